"""The chat pane: talk to the configured gateway and model, right beside the checklist.

Replies stream in as Markdown; ``Esc`` stops one (the request is cancelled,
the partial text stays, marked). Quick prompts follow the integration note's
testing order (F2–F6 or ``/short`` …). ``Ctrl+T`` compares two models side by
side. Every request goes through :class:`~tui.core.chat.session.ChatSession`, so it is
recorded (masked) in the exchange log and visible in the inspector.
Network work runs in Textual workers; the UI never waits on the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Collapsible, Input, Static, TextArea
from textual.worker import Worker

from tui.core.chat.compare import CompareSession
from tui.core.chat.quick_hints import quick_hint
from tui.core.chat.quick_prompts import QUICK_PROMPTS, QuickPrompt
from tui.core.chat.session import ChatSession, ChatTurn, list_models
from tui.core.chat.transcript import chat_error_summary, save_transcript, t
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.ui.bindings import bind
from tui.ui.host import host
from tui.ui.widgets.chat_commands import ChatCommandsMixin
from tui.ui.widgets.chat_settings import (
    ChatSettingsBar,
    ModelFilterList,
    ModelTyped,
    SettingsCommitted,
)
from tui.ui.widgets.model_probe import ModelProbeMixin

if TYPE_CHECKING:  # the Markdown stack is imported with the first reply, not at start-up
    from tui.ui.widgets.chat_message import AssistantMessage, ErrorBox

__all__ = ["ChatPane"]

#: seconds after the pane appears when the reply widgets are imported (after the checks)
PRELOAD_S = 1.0


def models_note(models: list[str], lang: str) -> str:
    """What ``/models`` found, one model a line."""
    from tui.ui.labels import t as ui_t

    head = ui_t("chat.models", lang, n=len(models))
    return head + "".join(f"\n  • {m}" for m in models)


def _preload_messages() -> None:
    """Import the reply widgets (the Markdown stack) before the first prompt needs them."""
    import tui.ui.widgets.chat_message  # noqa: F401


class ChatPane(ChatCommandsMixin, ModelProbeMixin, Vertical):
    """Multi-turn chat with stats, inline diagnosis, quick prompts and compare mode."""

    BINDINGS = [
        bind("escape", "stop", "chat.b.stop", id="chat.stop"),
        bind("ctrl+t", "toggle_compare", "chat.b.compare", id="chat.compare"),
        bind("ctrl+s", "save", "chat.b.save", id="chat.save"),
        bind("ctrl+l", "clear", "chat.b.clear", id="chat.clear"),
        bind("ctrl+y", "copy_summary", "chat.b.copy", id="chat.copy"),
        # The footer shows one "F2–F6 Quick tests" for the five (room at 80 columns).
        *(
            bind(
                qp.key,
                f"quick('{qp.id}')",
                "ui.b.quick" if i == 0 else f"quick.label.{qp.id}",
                id=f"chat.quick.{qp.id}",
                show=i == 0,
                key_display="F2–F6" if i == 0 else None,
            )
            for i, qp in enumerate(QUICK_PROMPTS)
        ),
    ]

    class ReplyFinished(Message):
        """A reply (or both compare replies) finished, was stopped or failed."""

        def __init__(self, turns: list[ChatTurn]) -> None:
            super().__init__()
            self.turns = turns

    def __init__(
        self,
        target: Target,
        log: ExchangeLog,
        lang: str = "en",
        *,
        fixed_timings: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.exchange_log = log
        self.lang = lang
        #: Snapshot mode: times shown as "…" so screenshots are deterministic.
        self.fixed_timings = fixed_timings
        self.session = ChatSession(target, log)
        self.compare: CompareSession | None = None
        self.models: list[str] = []
        #: model box id -> its value when it got focus (see on_descendant_focus)
        self.model_before: dict[str, str] = {}
        self._worker: Worker | None = None
        #: The turns of the latest finished reply (two in compare mode): what Ctrl+Y reports.
        self._latest: list[ChatTurn] = []
        #: Every turn shown, in order (single and compare replies): what Ctrl+S saves.
        self.transcript: list[ChatTurn] = []
        #: The quick prompt whose reply is in flight (its hint follows the result).
        self._quick: tuple[QuickPrompt, Worker] | None = None
        #: lang -> the status line's text, to re-render it after a language switch
        self._status: Callable[[str], str] | None = None
        #: the last support summary Ctrl+Y copied ("" none yet)
        self.last_copied = ""
        self.add_class("chat-pane")

    # -- layout ------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ChatSettingsBar(self.target.model, self.lang, id="chat-settings")
        yield ModelFilterList(id="chat-model-list")
        with Collapsible(title=t("system_prompt", self.lang), id="chat-system-box"):
            yield Input(placeholder=t("system_ph", self.lang), id="chat-system", compact=True)
        with VerticalScroll(id="chat-log"):
            yield Static(Content(t("empty", self.lang)), id="chat-empty")
        with Horizontal(id="chat-compare"):
            yield VerticalScroll(id="chat-log-a", classes="chat-compare-col")
            yield VerticalScroll(id="chat-log-b", classes="chat-compare-col")
        yield Static("", id="chat-status")
        # A draft is never selected on focus: the next letter would replace it.
        yield Input(placeholder=t("input", self.lang), id="chat-input", select_on_focus=False)

    def on_mount(self) -> None:
        if not self.app.is_running:  # the console quit as this pane was built: its
            return  # children may be gone already (NoMatches, a crash report)
        for scroller in self.query(VerticalScroll):
            scroller.anchor()
        self.refresh_models()
        self.set_timer(PRELOAD_S, _preload_messages)  # idle by then: the first reply is quick

    # -- public API ----------------------------------------------------------
    def set_target(self, target: Target) -> None:
        """Point the chat at another gateway/key/model (conversation kept)."""
        old_model = self.target.model
        self.target = target
        bar = self.query_one(ChatSettingsBar)
        if not bar.model_value or bar.model_value == old_model:
            bar.set_model(target.model)
        self._retarget(target)

    def focus_main(self) -> None:
        """Focus the message box (what the console does when it shows this pane)."""
        self.query_one("#chat-input", Input).focus()

    @property
    def busy(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    def send_prompt(self, prompt: str) -> Worker | None:
        """Send ``prompt`` (to both models in compare mode) in a worker."""
        prompt = prompt.strip()
        if not prompt:
            return None
        if self.busy:
            self.say("busy")
            return None
        if not self.target.base_url:
            self.say("no_target")
            return None
        bar = self.query_one(ChatSettingsBar)
        problems = bar.read_into(self.session.settings, self.target.model)
        self.session.settings.system_prompt = self.query_one("#chat-system", Input).value
        if not self.session.settings.model:
            self.say("no_model")
            return None
        # A new prompt: what the line said (a verdict, "still streaming") was about an
        # older one; only this prompt's own problems (a bad number) stay.
        self.set_status(" ".join(problems))
        if self.compare is not None:
            for side in self.compare.sides:
                model = side.settings.model
                bar.read_into(side.settings, model)
                side.settings.model = model
                side.settings.system_prompt = self.session.settings.system_prompt
            self._worker = self.run_worker(self._run_compare(prompt), group="chat", exclusive=True)
        else:
            self._worker = self.run_worker(self._run_single(prompt), group="chat", exclusive=True)
        return self._worker

    # -- workers -------------------------------------------------------------
    async def _start_turn(
        self, scroller: VerticalScroll, prompt: str, model: str
    ) -> AssistantMessage:
        for hint in self.query("#chat-empty"):
            await hint.remove()
        from tui.ui.widgets.chat_message import AssistantMessage, UserMessage

        msg = AssistantMessage(model, self.lang, fixed_timings=self.fixed_timings)
        await scroller.mount_all([UserMessage(prompt, self.lang), msg])
        scroller.anchor()
        return msg

    async def _run_single(self, prompt: str) -> None:
        scroller = self.query_one("#chat-log", VerticalScroll)
        msg = await self._start_turn(scroller, prompt, self.session.settings.model)
        try:
            turn = await self.session.send(prompt, msg.write, msg.end_of_text)
        except asyncio.CancelledError:
            await self._conclude([msg], [self.session.history[-1]])
            raise
        await self._conclude([msg], [turn])

    async def _run_compare(self, prompt: str) -> None:
        assert self.compare is not None
        cols = [
            self.query_one("#chat-log-a", VerticalScroll),
            self.query_one("#chat-log-b", VerticalScroll),
        ]
        msgs = [
            await self._start_turn(col, prompt, side.settings.model)
            for col, side in zip(cols, self.compare.sides, strict=True)
        ]

        async def on_delta(side: int, text: str) -> None:
            await msgs[side].write(text)

        async def on_end(side: int) -> None:
            await msgs[side].end_of_text()

        try:
            turns = await self.compare.send(prompt, on_delta, on_end)
        except asyncio.CancelledError:  # stopped: each side keeps what it had
            await self._conclude(msgs, [side.history[-1] for side in self.compare.sides])
            raise
        await self._conclude(msgs, turns)

    async def _conclude(self, msgs: list[AssistantMessage], turns: list[ChatTurn]) -> None:
        """Finish each reply's box, then say the reply is over (ReplyFinished, once)."""
        for msg, turn in zip(msgs, turns, strict=True):
            await self._finish(msg, turn)
        self.post_message(self.ReplyFinished(turns))

    async def _finish(self, msg: AssistantMessage, turn: ChatTurn) -> None:
        if msg.is_attached:
            await msg.finish(turn.reply)

    @work(group="models", exclusive=True)
    async def refresh_models(self, listing: bool = False) -> None:
        """Fill the model picker from ``GET /models`` (free text still works);
        ``listing`` (the ``/models`` command): also list them in the transcript."""
        if not self.target.base_url:
            if listing:
                self.say("no_target")
            return
        result = await list_models(self.target, self.exchange_log, self.session.client)
        if not self.is_attached or not self.query("#chat-status"):
            return  # the console closed while /models was on the wire
        if result.error is not None:
            self.say("models_failed", code=result.error.code)
            return
        self.models = result.models
        self.query_one(ChatSettingsBar).set_models(result.models)
        self.query_one(ModelFilterList).models = result.models
        self.say("models_loaded", n=len(result.models))
        await self.load_marks()  # the last probe's ✓/✗ beside each name (model_probe.py)
        if listing:
            models = list(result.models)
            await self.note(lambda lang: models_note(models, lang))

    @work(group="retarget", exclusive=True)
    async def _retarget(self, target: Target) -> None:
        if self._worker is not None:
            self._worker.cancel()
        await self.session.set_target(target)
        if self.compare is not None:
            models = self.compare.models
            await self.compare.aclose()
            self.compare = CompareSession(target, self.exchange_log, models, self.session.settings)
        self.refresh_models()

    # -- actions -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``Stop`` is in the footer (and bound) only while a reply streams; Esc's other
        uses (a probe, the model list, leaving the box) go through :meth:`on_key`."""
        if action == "stop":
            return self.busy
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A reply started or ended: the footer shows or hides ``Stop``."""
        self.refresh_bindings()

    def action_stop(self) -> None:
        """Esc: cancel the reply in flight (its partial text stays, marked), else a
        running model probe (its results so far are kept).

        With nothing to stop, Esc closes the model list, else leaves the text
        box, so the console's keys (1/2/3 panes, q, l, ?) work again.
        """
        listing = self.query_one(ModelFilterList)
        if self.busy and self._worker is not None:
            self._worker.cancel()
        elif self.stop_probe():  # a model probe: what it measured is kept
            pass
        elif listing.display:
            listing.display = False
        elif self.screen.focused is not None and self in self.screen.focused.ancestors:
            self.screen.set_focus(None)

    async def action_clear(self) -> None:
        if self.busy and self._worker is not None:
            self._worker.cancel()
        self.session.clear()
        self.transcript.clear()
        if self.compare is not None:
            self.compare.clear()
        for scroller in self.query(VerticalScroll):
            await scroller.remove_children()
        self._latest = []
        self.say("cleared")

    def action_save(self) -> None:
        turns = list(self.transcript)
        if not turns:
            self.say("nothing_to_save")
            return
        try:
            path = save_transcript(
                turns,
                self.target,
                system_prompt=self.session.settings.system_prompt,
                lang=self.lang,
            )
        except OSError as exc:
            self.say("save_failed", error=str(exc))
            return
        self.say("saved", path=str(path))
        self.notify(t("saved", self.lang, path=str(path)))

    async def action_toggle_compare(self) -> None:
        bar = self.query_one(ChatSettingsBar)
        box_b = self.query_one("#chat-model-b", Input)
        if self.compare is not None:
            await self.compare.aclose()
            self.compare = None
            self.remove_class("-compare", "-pick-b")  # chat.tcss: one transcript again
            self.set_status("")
            return
        self.add_class("-pick-b")
        model_a = bar.model_value or self.target.model
        model_b = bar.model_b_value
        if not model_b:
            box_b.focus()
            self.say("compare_need_b")
            return
        self.start_compare(model_a, model_b)

    def start_compare(self, model_a: str, model_b: str) -> None:
        """Enter compare mode for two models (the next prompt goes to both)."""
        self.compare = CompareSession(
            self.target, self.exchange_log, [model_a, model_b], self.session.settings
        )
        self.query_one("#chat-model-b", Input).value = model_b
        self.add_class("-compare")  # chat.tcss: model B's box and the two columns
        self.say("compare_on", a=model_a, b=model_b)
        self.query_one("#chat-input", Input).focus()

    def action_quick(self, prompt_id: str) -> None:
        for qp in QUICK_PROMPTS:
            if qp.id == prompt_id:
                worker = self.send_prompt(qp.text_for(self.lang))
                if worker is None:
                    return  # busy, no gateway or no model: send_prompt said so; keep it shown
                self._quick = (qp, worker)
                self.say_with(partial(quick_hint, qp, None))

    def on_chat_pane_reply_finished(self, event: ReplyFinished) -> None:
        """Keep every turn shown (for Ctrl+S, compare included); the quick prompt's
        hint follows the result: no "key and model name work" under an error."""
        self.transcript += event.turns
        self._latest = list(event.turns)
        if self._said == "busy":  # "a reply is still streaming": that reply is over now
            self.set_status("")
        if self._quick is None or self._quick[1] is not self._worker:
            return  # not the quick prompt's reply (a newer prompt already runs)
        qp, self._quick = self._quick[0], None
        turns = list(event.turns)
        self.say_with(lambda lang: quick_hint(qp, turns, lang))

    def action_copy_summary(self) -> None:
        """Ctrl+Y: the summary of the latest reply if it failed; an older failure
        is history (the gateway may be fixed or switched since), so say so instead."""
        failed = [turn for turn in self._latest if turn.reply.error is not None]
        if failed:
            self._copy_summary(failed[0])
        else:
            self.notify(t("no_failure" if self._latest else "no_reply_yet", self.lang), timeout=6)

    def _copy_summary(self, turn: ChatTurn) -> None:
        """Copy a failed reply's support summary the same way the checklist does,
        with the gateway that reply went to (the target may have changed since)."""
        from tui.ui.clipboard import copy_text, outcome_message

        text = chat_error_summary(
            turn.reply, self.target, self.exchange_log, self.lang, gateway=turn.gateway
        )
        system = host(self).system_copy
        outcome = copy_text(
            text, osc52=self.app.copy_to_clipboard, system=system, stem="chat-support-summary"
        )
        self.last_copied = text
        message, severity = outcome_message(outcome, self.lang)
        self.notify(message, severity=severity, timeout=8)

    # -- events --------------------------------------------------------------
    def on_error_box_copy_summary(self, event: ErrorBox.CopySummary) -> None:
        """The button on an error card: that reply, however old, with its own gateway."""
        turns = [turn for turn in self.transcript if turn.reply is event.reply]
        self._copy_summary(turns[-1] if turns else ChatTurn("", event.reply))

    @on(Input.Submitted, "#chat-input")
    def _on_prompt(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.busy and text and not text.startswith("/"):
            self.say("busy")  # not sent: the text stays in the box, to send once the reply ends
            return
        event.input.value = ""
        if text.startswith("/"):
            self.run_command(text)
        else:
            self.send_prompt(text)

    @on(Input.Submitted, "#chat-system")
    def _on_system(self, event: Input.Submitted) -> None:
        self.query_one("#chat-input", Input).focus()

    @on(ModelTyped)
    def _on_model_typed(self, event: ModelTyped) -> None:
        listing = self.query_one(ModelFilterList)
        listing.target_input = event.box
        listing.display = event.box.has_focus and listing.filter(event.value) > 0

    @on(ModelFilterList.Picked)
    def _on_model_picked(self, event: ModelFilterList.Picked) -> None:
        listing = self.query_one(ModelFilterList)
        box = listing.target_input or self.query_one("#chat-model", Input)
        box.value = event.model
        listing.display = False
        box.focus()

    @on(SettingsCommitted)
    def _on_settings_committed(self, event: SettingsCommitted) -> None:
        self.query_one(ModelFilterList).display = False
        if event.box.id == "chat-model-b" and self.compare is None and event.box.value.strip():
            bar = self.query_one(ChatSettingsBar)
            self.start_compare(bar.model_value or self.target.model, bar.model_b_value)
            return
        self.query_one("#chat-input", Input).focus()

    def on_descendant_focus(self, event) -> None:
        """Keep a model box's name as it was before typing (the list closed): choosing
        "Probe models" after typing a letter or two puts it back."""
        box = event.widget
        if isinstance(box, Input) and box.id in ("chat-model", "chat-model-b"):
            if not self.query_one(ModelFilterList).display:
                self.model_before[box.id] = box.value

    def on_descendant_blur(self, event) -> None:
        listing = self.query_one(ModelFilterList)
        if listing.display and not (listing.has_focus or self._model_box_focused()):
            listing.display = False

    def _model_box_focused(self) -> bool:
        return any(self.query_one(f"#{i}", Input).has_focus for i in ("chat-model", "chat-model-b"))

    def on_key(self, event) -> None:
        if event.key == "escape" and not self.busy:
            # Nothing streams, so the Stop binding is off: Esc still stops a model
            # probe, closes the model list or leaves the text box (action_stop).
            self.action_stop()
            event.stop()
            event.prevent_default()
            return
        # Down arrow from a model box moves into the filtered list.
        if event.key == "down" and self._model_box_focused():
            listing = self.query_one(ModelFilterList)
            if listing.display:
                listing.focus()
                event.stop()
            return
        if self._types_into_message_box(event):
            box = self.query_one("#chat-input", Input)
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def _types_into_message_box(self, event) -> bool:
        """A letter typed on the transcript (one shift+Tab away from the message box)
        is text for the box, never a console shortcut: ``hello`` must not switch the
        language (``l``) or jump to evidence (``e``). Digits still switch panes and
        space still scrolls or toggles."""
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors or not event.is_printable:
            return False
        if isinstance(focused, Input | TextArea | ModelFilterList):
            return False
        return bool(event.character) and event.character not in " 123"
