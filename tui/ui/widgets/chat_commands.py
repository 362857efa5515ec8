"""Slash commands typed in the chat box (``/short``, ``/system …``, ``/compare …``); the language.

A mixin for :class:`~tui.ui.widgets.chat.ChatPane`, kept apart so the pane
module stays about layout, workers and events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Collapsible, Input, Static, Switch

from tui.core.chat.quick_prompts import prompt_by_command
from tui.core.chat.transcript import t
from tui.ui.safe import shown_content
from tui.ui.widgets.chat_settings import ChatSettingsBar

if TYPE_CHECKING:
    from tui.core.chat.compare import CompareSession
    from tui.core.diagnosis.model import Target

    _Pane = Vertical  # what ChatPane is, for the type checker
else:
    _Pane = object


class ChatCommandsMixin(_Pane):
    """``run_command`` and the ``lang`` reactive for the pane; relies on its actions and widgets."""

    #: the pane's language, bound to the console's (MainScreen.lang)
    lang: reactive[str] = reactive("en")
    #: the label key :meth:`say` shows in the status line (None: other text, or none)
    _said: str | None = None

    if TYPE_CHECKING:  # ChatPane's, which these commands drive
        target: Target
        compare: CompareSession | None
        _status: Callable[[str], str] | None
        refresh_models: Callable[..., Any]
        start_compare: Callable[[str, str], None]
        action_quick: Callable[[str], None]
        action_toggle_compare: Callable[[], Awaitable[None]]
        action_save: Callable[[], None]
        action_clear: Callable[[], Awaitable[None]]
        action_stop: Callable[[], None]

    def set_status(self, text: str) -> None:
        """Show ``text`` as is (it will not follow a language switch)."""
        self._status = None
        self._said = None
        self.query_one("#chat-status", Static).update(shown_content(text))  # model names typed

    def say(self, key: str, **fields: object) -> None:
        """Show the label ``key`` in the status line (re-rendered on a language switch)."""
        self.say_with(lambda lang: t(key, lang, **fields))
        self._said = key

    def say_with(self, text_for: Callable[[str], str]) -> None:
        """Show ``text_for(lang)`` in the status line, again after a language switch."""
        self.set_status(text_for(self.lang))
        self._status = text_for

    async def note(self, text_for: Callable[[str], str]) -> None:
        """A console note in the transcript (``/help``, ``/models``): scrolls, never clipped,
        and follows a language switch."""
        if getattr(self, "compare", None) is not None:  # the single transcript is hidden
            self.say_with(text_for)
            return
        for hint in self.query("#chat-empty"):
            await hint.remove()
        note = Static(shown_content(text_for(self.lang)), classes="chat-note")
        note.text_for = text_for  # type: ignore[attr-defined]
        scroller = self.query_one("#chat-log", VerticalScroll)
        await scroller.mount(note)
        scroller.anchor()

    def watch_lang(self, old: str, lang: str) -> None:
        """Switch every label, the status line and the messages on screen to ``lang``."""
        if old == lang or not self.is_mounted:
            return
        self.refresh_bindings()
        self.query_one("#chat-input", Input).placeholder = t("input", lang)
        self.query_one("#chat-system", Input).placeholder = t("system_ph", lang)
        self.query_one("#chat-system-box", Collapsible).title = t("system_prompt", lang)
        self.query_one(ChatSettingsBar).set_lang(lang)
        for hint in self.query("#chat-empty").results(Static):
            hint.update(Content(t("empty", lang)))
        for note in self.query(".chat-note").results(Static):
            if hasattr(note, "text_for"):  # a reply's own notes: AssistantMessage.set_lang
                note.update(shown_content(note.text_for(lang)))
        for msg in self.query(".chat-user, .chat-assistant"):
            if hasattr(msg, "set_lang"):
                msg.set_lang(lang)
        if self._status is not None:
            self.query_one("#chat-status", Static).update(shown_content(self._status(lang)))
        show_marks = getattr(self, "show_marks", None)  # the model list's probe marks
        if callable(show_marks):
            show_marks()

    def run_command(self, text: str) -> None:
        """Slash commands: quick prompts, /system, /model, /compare, /save, /clear …"""
        word, _, arg = text[1:].partition(" ")
        word, arg = word.lower(), arg.strip()
        qp = prompt_by_command(word)
        if qp is not None:
            self.action_quick(qp.id)
        elif word == "help":
            # In the transcript, not the status line: it wraps to 4 lines at 80 columns.
            self.run_worker(self.note(lambda lang: t("help", lang)))
        elif word == "system":
            self.query_one("#chat-system", Input).value = arg
            self.query_one(Collapsible).collapsed = not arg
        elif word == "model" and arg:
            self.query_one(ChatSettingsBar).set_model(arg)
        elif word == "compare":
            if arg:
                model_a = self.query_one(ChatSettingsBar).model_value or self.target.model
                self.start_compare(model_a, arg)
            else:
                self.run_worker(self.action_toggle_compare())
        elif word == "models":
            self.refresh_models(listing=True)
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
