"""A streamed reply's text as a chain of bounded Markdown parts.

Textual's ``Markdown.append`` re-parses and re-wraps the document's last
block on every append, so one long paragraph cost O(length so far) per append
and O(n²) in all (20,000 tokens at 10,000 tok/s rendered 22× slower than the
network). Here only the tail part takes appends; once it holds ``PART_CHARS``
characters it is frozen at a block boundary (or, inside one long paragraph,
after a sentence) and a new tail starts, so each append costs the same
whatever the reply's length. A paragraph continued in the next part keeps no
bottom margin, so it reads as a line break, not a new paragraph.
"""

from __future__ import annotations

import asyncio
import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

#: A tail part is frozen once it holds this many characters (at a safe point).
PART_CHARS = 4000
#: A sentence end followed by white space, where a long paragraph may be continued.
_SENTENCE = re.compile(r"[.!?。！？][\"')\]”’]?\s+")
_BLOCK_START = re.compile(r"\s{0,3}([-*+>|#]|\d+[.)]|\s)")


def split_point(text: str, limit: int = PART_CHARS) -> tuple[int, bool]:
    """Where the first ``limit`` characters of ``text`` may be cut so both halves
    render as they would together; ``(0, False)`` when nowhere safe.

    Returns the cut and whether it falls inside a paragraph (a continuation).
    A block boundary in the second half wins; else the last sentence end of a
    plain paragraph. Never inside a code fence, a list, a quote, a table or an
    open inline span.
    """
    head = text[:limit]
    block = head.rfind("\n\n")
    if block >= limit // 2 and _closed(head[: block + 2]):
        return block + 2, False
    para = head[block + 2 :] if block >= 0 else head
    if _BLOCK_START.match(para) or "\n" in para.strip("\n"):
        return 0, False  # list, quote, table, heading, indented code: keep it whole
    cut = 0
    for m in _SENTENCE.finditer(para):
        if m.end() >= len(para):
            break
        cut = m.end()
    base = len(head) - len(para)
    if cut and _closed(text[: base + cut]):
        return base + cut, True
    return 0, False


def _closed(text: str) -> bool:
    """No code fence left open, and no inline span either."""
    return text.count("```") % 2 == 0 and text.count("~~~") % 2 == 0 and _inline_closed(text)


def _inline_closed(text: str) -> bool:
    """No code span, emphasis or link left open (they would not span two parts)."""
    return (
        text.count("`") % 2 == 0
        and text.count("**") % 2 == 0
        and text.count("[") == text.count("]")
        and text.count("(") >= text.count(")")
    )


class ReplyBody(Vertical):
    """The reply text: frozen Markdown parts and one tail that takes appends."""

    DEFAULT_CSS = """
    ReplyBody { height: auto; }
    ReplyBody > Markdown { height: auto; margin: 0; padding: 0; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stream: MarkdownStream | None = None
        #: What the tail has been given (Markdown.source lags until its append runs).
        self._tail_text = ""
        self._pinned_width = 0
        self._lock = asyncio.Lock()
        self._sealed = False

    def compose(self) -> ComposeResult:
        yield Markdown("", classes="chat-part")

    @property
    def tail(self) -> Markdown:
        return self.query(Markdown).last()

    @property
    def source(self) -> str:
        """Every part's Markdown source, joined: the text shown so far."""
        return "".join(part.source for part in self.query(Markdown))

    async def write(self, text: str) -> None:
        """Append ``text`` to the tail; a full tail is frozen and a new one takes the
        rest (several times for a large batch), so no part grows past a safe cut.
        Writes are serialised: a timer flush and a delta flush may overlap."""
        async with self._lock:
            await self._write(text)

    async def _write(self, text: str) -> None:
        while len(self._tail_text) + len(text) >= PART_CHARS:
            joined = self._tail_text + text
            cut, continued = split_point(joined)
            if cut <= len(self._tail_text):
                # The tail has passed its last safe point: look past its end too,
                # or it would never be cut again and every append re-wrap all of it.
                cut, continued = split_point(joined, len(self._tail_text) + PART_CHARS // 2)
            if cut <= len(self._tail_text):
                break  # no safe point in the new text yet: the tail keeps growing
            await self._write_tail(joined[len(self._tail_text) : cut])
            await self._freeze(continued)
            text = joined[cut:]
        await self._write_tail(text)

    async def _write_tail(self, text: str) -> None:
        if not text:
            return
        if self._stream is None:
            self._stream = Markdown.get_stream(self.tail)
        self._tail_text += text
        await self._stream.write(text)

    async def _freeze(self, continued: bool) -> None:
        """End the tail's stream, pin its height once laid out, start a new tail."""
        await self.stop()
        if continued:  # the paragraph goes on in the next part: no gap between them
            for block in self.tail.children[-1:]:
                block.styles.margin = (0, 0, 0, 0)
        self._tail_text = ""
        self.call_after_refresh(self._pin, self.tail)
        await self.mount(Markdown("", classes="chat-part"))

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
        parts = list(self.query(Markdown))
        for part in parts[1:]:
            await part.remove()
        self._tail_text = text
        await parts[0].update(text)
