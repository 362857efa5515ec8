"""A streamed reply's tail part stays bounded whatever the batches look like.

The bench once showed a 20,000-token reply with one part of 31,000
characters: a tail that had grown past its last safe cut found no cut "in its
first PART_CHARS characters" beyond what it already held, so it was never
frozen again, and every append re-wrapped the whole of it (O(n²) once more).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from tui.ui.widgets.chat_body import PART_CHARS, ReplyBody

SENTENCE = "Every word of this reply must stay visible on the screen. "  # 58 characters


class BodyApp(App):
    def compose(self) -> ComposeResult:
        yield ReplyBody()


def words(n: int) -> str:
    """``n`` characters of words with no sentence end."""
    return ("word " * (n // 5 + 1))[:n]


async def test_a_tail_past_its_last_safe_cut_is_still_cut_later() -> None:
    app = BodyApp()
    batch = 3000
    async with app.run_test(size=(80, 30)) as pilot:
        body = app.query_one(ReplyBody)
        head = SENTENCE * ((PART_CHARS - 100) // len(SENTENCE))
        # the last sentence end sits before the tail's end, and none follows in
        # the part's first PART_CHARS characters: no cut beyond the tail there
        await body.write(head + words(PART_CHARS - 10 - len(head)))
        text = body.source
        for _ in range(10):
            chunk = words(200) + ". " + SENTENCE * ((batch - 202) // len(SENTENCE))
            await body.write(chunk)
            text += chunk
        await body.stop()
        await pilot.pause()
        parts = [p.source for p in body.query(Markdown)]
        assert "".join(parts) == text
        assert len(parts) >= len(text) // (PART_CHARS + batch), len(parts)
        assert max(map(len, parts)) <= PART_CHARS + batch, [len(p) for p in parts]
