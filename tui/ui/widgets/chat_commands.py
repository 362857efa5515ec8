"""Slash commands typed in the chat box (``/short``, ``/system …``, ``/compare …``); language switch.

A mixin for :class:`~tui.ui.widgets.chat.ChatPane`, kept apart so the pane
module stays about layout, workers and events.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Collapsible, Input, Static, Switch

from tui.core.chat_transcript import t
from tui.core.quick_prompts import prompt_by_command
from tui.ui.widgets.chat_settings import ChatSettingsBar


class ChatCommandsMixin:
    """``run_command`` and ``set_lang`` for the pane; relies on its actions and widgets."""

    def set_lang(self, lang: str) -> None:
        """Switch every label, the status line and the messages on screen to ``lang``."""
        self.lang = lang
        self.query_one("#chat-input", Input).placeholder = t("input", lang)
        self.query_one("#chat-system", Input).placeholder = t("system_ph", lang)
        self.query_one("#chat-system-box", Collapsible).title = t("system_prompt", lang)
        self.query_one(ChatSettingsBar).set_lang(lang)
        for hint in self.query("#chat-empty").results(Static):
            hint.update(Content(t("empty", lang)))
        for msg in self.query(".chat-user, .chat-assistant"):
            if hasattr(msg, "set_lang"):
                msg.set_lang(lang)
        if self._status is not None:
            key, fields = self._status
            self.query_one("#chat-status", Static).update(Content(t(key, lang, **fields)))

    def run_command(self, text: str) -> None:
        """Slash commands: quick prompts, /system, /model, /compare, /save, /clear …"""
        word, _, arg = text[1:].partition(" ")
        word, arg = word.lower(), arg.strip()
        qp = prompt_by_command(word)
        if qp is not None:
            self.action_quick(qp.id)
        elif word == "help":
            self.say("help")
        elif word == "system":
            self.query_one("#chat-system", Input).value = arg
            self.query_one(Collapsible).collapsed = not arg
        elif word == "model" and arg:
            self.query_one(ChatSettingsBar).set_model(arg)
        elif word == "compare":
            if self.compare is not None and not arg:
                self.run_worker(self.action_toggle_compare())
            elif arg:
                model_a = self.query_one(ChatSettingsBar).model_value or self.target.model
                self.start_compare(model_a, arg)
            else:
                self.run_worker(self.action_toggle_compare())
        elif word == "models":
            self.refresh_models()
        elif word == "save":
            self.action_save()
        elif word == "clear":
            self.run_worker(self.action_clear())
        elif word == "stop":
            self.action_stop()
        elif word == "stream" and arg in {"on", "off"}:
            self.query_one("#chat-stream", Switch).value = arg == "on"
        else:
            self.say("unknown_command", cmd=f"/{word}")
