"""Chat pane (placeholder; the chat issue replaces it, same constructor)."""

from __future__ import annotations

from textual.widgets import Static

from tui.core.exchange import ExchangeLog
from tui.core.model import Target


class ChatPane(Static):
    def __init__(self, target: Target, log: ExchangeLog, lang: str = "en", **kwargs) -> None:
        super().__init__("Chat", **kwargs)
        self.target = target
        self.exchange_log = log
        self.lang = lang

    def set_target(self, target: Target) -> None:
        self.target = target
