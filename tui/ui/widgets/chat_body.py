"""A streamed reply's text as a chain of bounded Markdown parts.

Textual's ``Markdown.append`` re-parses and re-wraps the document's last
block on every append, so one long paragraph cost O(length so far) per append
and O(n²) in all (20,000 tokens at 10,000 tok/s rendered 22× slower than the
network). Here only the tail part takes appends; once it holds ``PART_CHARS``
characters it is frozen at a safe cut (a block boundary, between two items of
a tight list, or after a sentence of a paragraph, Chinese ``。`` included) and
a new tail starts, so each append costs the same whatever the reply's length.
A tail with no safe cut (one line with no spaces, a long quote or table, one
long code block) is cut anyway once it holds ``HARD_CHARS``: at a line break,
else a space, else anywhere; inside a code fence the frozen part gets a
closing fence and the next part reopens it, shown only (``ReplyBody.source``
is what was written, exactly). A part continued in the next one keeps no
bottom margin, so it reads as a line break, not a new block.
"""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from tui.core.chat.markdown_cuts import HARD_CHARS, PART_CHARS, Cut, hard_cut, split_point


class ReplyPart(Markdown):
    """One part of a reply. ``prefix``/``suffix`` are shown, not written: a code
    fence reopened at its start, closed at its end."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.prefix = ""
        self.suffix = ""

    @property
    def written(self) -> str:
        """The part's text as written (its source without what was only shown)."""
        source = self.source[len(self.prefix) :]
        return source[: len(source) - len(self.suffix)] if self.suffix else source


class ReplyBody(Vertical):
    """The reply text: frozen Markdown parts and one tail that takes appends."""

    DEFAULT_CSS = """
    ReplyBody { height: auto; }
    ReplyBody > Markdown { height: auto; margin: 0; padding: 0; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stream: MarkdownStream | None = None
        #: What the tail has been given, a reopened fence included (Markdown.source
        #: lags until its append runs).
        self._tail_text = ""
        self._pinned_width = 0
        self._lock = asyncio.Lock()
        self._sealed = False

    def compose(self) -> ComposeResult:
        yield ReplyPart(classes="chat-part")

    @property
    def tail(self) -> ReplyPart:
        return self.query(ReplyPart).last()

    @property
    def source(self) -> str:
        """Everything written so far and rendered, exactly once, in order (a fence
        closed and reopened between two parts is shown only, not written)."""
        return "".join(part.written for part in self.query(ReplyPart))

    async def write(self, text: str) -> None:
        """Append ``text`` to the tail; a full tail is frozen and a new one takes the
        rest (several times for a large batch), so no part grows past a safe cut.
        Writes are serialised: a timer flush and a delta flush may overlap."""
        async with self._lock:
            await self._write(text)

    async def _write(self, text: str) -> None:
        while len(self._tail_text) + len(text) >= PART_CHARS:
            joined = self._tail_text + text
            cut = self._cut(joined)
            if cut is None:
                break  # no point to cut at yet: the tail keeps growing (to HARD_CHARS)
            if cut.at >= len(self._tail_text):
                await self._write_tail(joined[len(self._tail_text) : cut.at])
            else:  # the cut lies in what the tail shows: take the rest back (once)
                await self.stop()
                await self.tail.update(joined[: cut.at])
                self._tail_text = joined[: cut.at]
            await self._freeze(cut)
            text = joined[cut.at :]
        await self._write_tail(text)

    def _cut(self, joined: str) -> Cut | None:
        """Where to freeze the tail, given its text and the new text after it."""
        shown = len(self._tail_text)
        least = len(self.tail.prefix)  # past a reopened fence, or nothing is gained
        cut, continued = split_point(joined)
        if cut >= shown:
            return Cut(cut, continued)
        # The tail has passed its last safe point: look past its end too, or it
        # would never be cut again and every append re-wrap all of it.
        further, further_continued = split_point(joined, shown + PART_CHARS // 2)
        if further > shown:
            return Cut(further, further_continued)
        # Else the last safe point the tail shows (before a code fence opened just
        # short of PART_CHARS; after a long code block that has just closed).
        cut, continued = max((cut, continued), (further, further_continued))
        if cut > least:
            return Cut(cut, continued)
        if len(joined) >= HARD_CHARS:
            hard = hard_cut(joined)
            if hard.at > least:
                return hard
        return None

    async def _write_tail(self, text: str) -> None:
        if not text:
            return
        if self._stream is None:
            self._stream = Markdown.get_stream(self.tail)
        self._tail_text += text
        await self._stream.write(text)

    async def _freeze(self, cut: Cut) -> None:
        """End the tail's stream, pin its height once laid out, start a new tail."""
        part = self.tail
        if cut.close:
            await self._write_tail(cut.close)
            part.suffix = cut.close
        await self.stop()
        if cut.continued:  # the block goes on in the next part: no gap between them
            for block in part.children[-1:]:
                block.styles.margin = (0, 0, 0, 0)
        self._tail_text = ""
        self.call_after_refresh(self._pin, part)
        new = ReplyPart(classes="chat-part")
        new.prefix = cut.reopen
        await self.mount(new)
        await self._write_tail(cut.reopen)

    def _pin(self, part: Markdown, tries: int = 20) -> None:
        """Fix a frozen part's height: a layout then never measures its text again
        (measuring every part on every frame made each frame O(reply length)).
        Pinned only once the layout agrees with a fresh measure; else left auto."""
        if not part.is_attached or (part is self.tail and not self._sealed):
            return
        laid_out = part.size.height and part.size.width == self.size.width
        if laid_out and part.size.height == self._measure(part):
            part.styles.height = part.size.height
        elif tries:  # not laid out yet at this width: after the next frame
            self.set_timer(0.05, lambda: self._pin(part, tries - 1))

    def _measure(self, part: Markdown) -> int:
        """The part's height from its text now, not from the last layout: a layout
        that has not caught up with the last append must not be pinned (a busy
        machine lays out a frame or more late)."""
        width = part.size.width - part.styles.gutter.width
        content = part.get_content_height(self.size, self.app.size, width)
        return content + part.styles.gutter.height

    def on_resize(self) -> None:
        """Another width re-wraps every part: measure them once more, then pin again."""
        if self.size.width == self._pinned_width:
            return
        self._pinned_width = self.size.width
        parts = list(self.query(Markdown))
        for part in parts if self._sealed else parts[:-1]:
            part.styles.height = "auto"
            self.call_after_refresh(self._pin, part)

    def seal(self) -> None:
        """The reply is complete: pin the tail too, so a long conversation costs a
        layout no more than a short one (every finished reply has a fixed height)."""
        self._sealed = True
        self.call_after_refresh(self._pin, self.tail)

    async def stop(self) -> None:
        """Render what the tail was given and end its stream."""
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None

    async def replace(self, text: str) -> None:
        """Show ``text`` instead of everything (a non-streamed reply, a re-mask)."""
        await self.stop()
        parts = list(self.query(ReplyPart))
        for part in parts[1:]:
            await part.remove()
        parts[0].prefix = parts[0].suffix = ""
        self._tail_text = text
        await parts[0].update(text)
