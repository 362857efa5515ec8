"""A reply part's height is pinned only at its true height.

CI once showed a long reply's transcript 28 rows short: a part was pinned at
the height of a layout that had not yet caught up with its last text (a busy
machine lays out a frame or more late). Here the part is measured by the pin
itself, so a stale layout can't be frozen in.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from tui.ui.widgets.chat_body import ReplyBody

SENTENCE = "Every word of this reply must stay visible on the screen. "


class BodyApp(App):
    def compose(self) -> ComposeResult:
        yield ReplyBody()


async def test_a_part_laid_out_before_its_last_text_is_not_pinned_short() -> None:
    app = BodyApp()
    async with app.run_test(size=(60, 40)) as pilot:
        body = app.query_one(ReplyBody)
        part = body.query_one(Markdown)
        await part.update(SENTENCE * 3)
        await pilot.pause()
        short = part.size.height
        await part.update(SENTENCE * 30)  # its layout has not caught up yet
        body._sealed = True
        body._pin(part)  # the pin runs before the next layout, as on a loaded machine
        for _ in range(20):
            await pilot.pause(0.05)
        full = part.get_content_height(body.size, app.size, part.size.width)
        assert full > short * 3, (full, short)
        assert part.size.height == full, (part.size.height, full, short)
