"""One chat turn on screen: the user's prompt and the assistant's streamed reply.

The reply body is a chain of bounded ``Markdown`` parts (:mod:`.chat_body`), its tail fed through ``Markdown.get_stream()``:
fragments are appended (and coalesced when they come faster than the widget
can render), so a long reply is never re-rendered whole per token. Under the
body: the stats line, a "stopped" mark, notes, and for failures an inline
error box with the diagnosis code, the remediation and a copy-summary button.
"""

from __future__ import annotations

import asyncio
import time

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Static

from tui.core.chat.session import Reply
from tui.core.chat.transcript import format_stats, t
from tui.core.diagnosis.remediation import remedy
from tui.core.i18n.catalogue import text
from tui.core.safe.json_parse import note_in
from tui.core.safe.masking import registered_secrets
from tui.ui.labels import t as ui_t
from tui.ui.safe import shown, shown_content
from tui.ui.widgets.chat_body import ReplyBody

#: A finished reply longer than this is scanned for secrets in a thread.
OFF_LOOP_CHARS = 16_384


class UserMessage(Static):
    """The prompt as the user typed it (plain text, never markup)."""

    def __init__(self, prompt: str, lang: str = "en", **kwargs) -> None:
        super().__init__(shown_content(prompt), **kwargs)  # shown masked, sent as typed
        self.border_title = t("you", lang)
        self.add_class("chat-user")

    def set_lang(self, lang: str) -> None:
        self.border_title = t("you", lang)


class ErrorBox(Vertical):
    """An inline failure: code, title, the gateway's words and what to do."""

    class CopySummary(Message):
        """The user asked for the support summary of ``reply``."""

        def __init__(self, reply: Reply) -> None:
            super().__init__()
            self.reply = reply

    def __init__(self, reply: Reply, lang: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        self.reply = reply
        self.lang = lang
        self.add_class("chat-error")

    def compose(self) -> ComposeResult:
        err = self.reply.error
        assert err is not None
        r = remedy(err.code, self.lang, err.facts)
        head = Content.assemble(("✗ ", "bold"), (err.code, "bold"), " — ", r.title)
        yield Static(head, classes="chat-error-title")
        retry = ui_t("chat.retry", self.lang, value=err.retry_after) if err.retry_after else ""
        message = note_in(err.text(self.lang), self.lang)  # our own words in the user's language
        if err.http_status:  # "HTTP 404: …" / "HTTP 404：…"
            message = text(
                "core.label_value", self.lang, label=f"HTTP {err.http_status}", value=message
            )
        yield Static(shown_content(f"{message}{retry}"), classes="chat-error-text")
        if r.why:
            yield Static(Content(r.why), classes="chat-error-why")
        steps = "\n".join(r.numbered())
        heading = t("what_to_do", self.lang) + text("core.colon", self.lang)
        yield Static(Content(f"{heading}\n{steps}"), classes="chat-error-steps")
        with Horizontal(classes="chat-error-actions"):
            yield Button(t("copy_summary", self.lang), classes="chat-copy-summary", compact=True)

    def set_lang(self, lang: str) -> None:
        """Render the error again in ``lang``."""
        if lang != self.lang:
            self.lang = lang
            self.refresh(recompose=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CopySummary(self.reply))


class AssistantMessage(Vertical):
    """A reply that streams in; :meth:`finish` adds stats, marks and errors."""

    #: Seconds between Markdown appends while streaming (about 12 per second).
    FLUSH_INTERVAL = 1 / 12
    #: The longest wait between appends when frames are slow (see :meth:`_frame_done`).
    MAX_INTERVAL = 0.25
    #: Characters kept back until more text arrives (see :meth:`flush`).
    HOLD_BACK = 64

    def __init__(
        self, model: str, lang: str = "en", *, fixed_timings: bool = False, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.model = model
        self.lang = lang
        self.fixed_timings = fixed_timings
        self.reply: Reply | None = None
        self._written = 0
        self._pending: list[str] = []
        self._held = ""
        self._last_flush = 0.0
        self._flush_timer: Timer | None = None
        self._interval = self.FLUSH_INTERVAL
        #: perf_counter() when the last token was rendered (benchmarks read it).
        self.rendered_at: float | None = None
        self._rendered_len = -1
        #: perf_counter() when the reply was complete (stats shown).
        self.finished_at: float | None = None
        self.border_title = shown_content(f"{t('assistant', lang)} · {model}")
        self.add_class("chat-assistant", "-streaming")

    def compose(self) -> ComposeResult:
        yield ReplyBody(classes="chat-body")
        yield Static("…", classes="chat-stats")

    def set_lang(self, lang: str) -> None:
        """Relabel the title, stats, marks and error box in ``lang`` (the reply text stays)."""
        self.lang = lang
        self.border_title = shown_content(f"{t('assistant', lang)} · {self.model}")
        reply = self.reply
        if reply is None:
            return
        stats = format_stats(reply.stats, lang, fixed_timings=self.fixed_timings)
        self.query_one(".chat-stats", Static).update(Content(stats))
        for mark in self.query(".chat-stopped").results(Static):
            mark.update(Content(f"■ {t('stopped', lang)}"))
        for note_widget, note in zip(
            self.query(".chat-note").results(Static), reply.notes, strict=False
        ):
            note_widget.update(Content(f"! {note} — {remedy(note, lang).title}"))
        for box in self.query(ErrorBox):
            box.set_lang(lang)

    @property
    def body(self) -> ReplyBody:
        return self.query_one(".chat-body", ReplyBody)

    def body_source(self) -> str:
        """The reply text as rendered so far (every block of the body)."""
        return self.body.source

    async def write(self, delta: str) -> None:
        """Buffer a piece of reply text; hand it to the Markdown stream once per frame.

        Tokens can arrive thousands per second; each Markdown append re-wraps
        the last block, so deltas are batched (at most one append every
        ``FLUSH_INTERVAL``) and the UI stays responsive at any token rate.
        """
        self._pending.append(delta)
        self._written += len(delta)
        if time.perf_counter() - self._last_flush >= self._interval:
            await self.flush()
        elif self._flush_timer is None:
            wait = self._interval - (time.perf_counter() - self._last_flush)
            self._flush_timer = self.set_timer(max(0.001, wait), self._timed_flush)

    async def flush(self, final: bool = False) -> None:
        """Send buffered text to the Markdown stream now.

        A model may echo a key back, split over several deltas. Until the reply
        ends, text after the last white space before the final ``HOLD_BACK``
        characters waits for the next flush: keys contain no white space, so
        what is shown never ends in half a key, and every key shown is whole
        and masked.
        """
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        if not self._pending and not (final and self._held):
            return
        raw = self._held + "".join(self._pending)
        self._pending.clear()
        cut = len(raw) if final else _safe_cut(raw, max(self.HOLD_BACK, _longest_secret()))
        if cut and not final and "\ud800" <= raw[cut - 1] <= "\udbff":
            cut -= 1  # half an emoji (a high surrogate): wait for its other half
        self._held = raw[cut:]
        self._last_flush = time.perf_counter()
        if cut == 0:
            return
        await self.body.write(shown(raw[:cut]))  # the model's words: escapes made visible
        if not final:
            self.call_after_refresh(self._frame_done, self._last_flush)

    def _frame_done(self, flushed_at: float) -> None:
        """Pace the appends by what a frame costs: the next one waits twice the time the
        last took to parse, lay out and paint, so at least half the loop stays free
        for keys and the network however fast the tokens come."""
        cost = time.perf_counter() - flushed_at
        self._interval = min(self.MAX_INTERVAL, max(self.FLUSH_INTERVAL, 2 * cost))

    async def end_of_text(self) -> None:
        """The model finished its text: render the last tokens now."""
        await self.flush(final=True)
        await self.body.stop()  # waits for the final append
        self.rendered_at = time.perf_counter()
        self._rendered_len = len(self.body.source)

    async def _timed_flush(self) -> None:
        self._flush_timer = None
        await self.flush()

    async def finish(self, reply: Reply) -> None:
        """Flush the stream, then show the stats line, marks and any error."""
        self.reply = reply
        await self.flush(final=True)
        await self.body.stop()
        if reply.content and self._written == 0:
            await self.body.replace(shown(reply.content))  # non-streamed reply: one update
        else:
            source = self.body.source
            # Scanning a long reply once more happens off the UI loop (keys stay live).
            big = len(source) > OFF_LOOP_CHARS
            masked = await asyncio.to_thread(shown, source) if big else shown(source)
            if masked != source:
                # A secret split across two flushes: re-render the whole reply masked once.
                await self.body.replace(masked)
        if self.rendered_at is None or len(self.body.source) != self._rendered_len:
            self.rendered_at = time.perf_counter()
        self.body.seal()
        self._set_state_class("-streaming", False)
        self.finished_at = time.perf_counter()
        stats = self.query_one(".chat-stats", Static)
        stats.update(
            Content(format_stats(reply.stats, self.lang, fixed_timings=self.fixed_timings))
        )
        extra: list[Widget] = []
        if reply.stopped:
            self._set_state_class("-stopped", True)
            extra.append(Static(Content(f"■ {t('stopped', self.lang)}"), classes="chat-stopped"))
        for note in reply.notes:
            r = remedy(note, self.lang)
            extra.append(Static(Content(f"! {note} — {r.title}"), classes="chat-note"))
        if reply.error is not None:
            self._set_state_class("-error", True)
            extra.append(ErrorBox(reply, self.lang))
        if not reply.content and reply.error is not None:
            self.body.display = False
        if extra:
            await self.mount_all(extra, before=stats)

    def _set_state_class(self, name: str, on: bool) -> None:
        """Only this box's border depends on its state classes: restyle it alone, not
        the hundreds of blocks of a long reply (that froze the UI after a stream)."""
        self.set_class(on, name, update=False)
        if self.is_attached:
            self.app.stylesheet.update_nodes([self], animate=False)


def _longest_secret() -> int:
    return max((len(x) for x in registered_secrets()), default=0)


def _safe_cut(raw: str, hold: int, limit: int = 4096) -> int:
    """Where to split ``raw`` so no non-space run (a key) is cut: after white space,
    at least ``hold`` characters from the end. A long run without white space
    (minified JSON) is let through once the held text passes ``limit``."""
    end = len(raw) - hold
    if end <= 0:
        return 0
    for i in range(end, 0, -1):
        if raw[i - 1].isspace():
            return i
    return end if len(raw) > limit else 0
