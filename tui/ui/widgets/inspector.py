"""Inspector pane (placeholder; the inspector issue replaces it, same constructor)."""

from __future__ import annotations

from textual.widgets import Static

from tui.core.exchange import ExchangeLog


class InspectorPane(Static):
    def __init__(self, log: ExchangeLog, lang: str = "en", **kwargs) -> None:
        super().__init__("Inspector", **kwargs)
        self.exchange_log = log
        self.lang = lang

    def show_exchange(self, exchange_id: str) -> None:
        """Select and show one exchange (used by 'jump to evidence')."""
