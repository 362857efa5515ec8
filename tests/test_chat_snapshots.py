"""Snapshot tests of the chat pane (timings hidden so screenshots are deterministic).

Update with ``pytest tests/test_chat_snapshots.py --snapshot-update`` after
checking the new SVGs in ``tests/__snapshots__/test_chat_snapshots/`` by eye.
"""

from __future__ import annotations

import time

from textual.widgets import Input

from tests.test_chat_ui import ChatTestApp, make_target
from tui.ui.widgets.chat import ChatPane

SIZE = (100, 36)

#: The demo gateway echoes the prompt, so a fenced block in it comes back as code.
CODE_PROMPT = (
    "Explain:\n```python\ndef f(xs):\n    return {x: xs.count(x) for x in set(xs)}\n```\nThanks"
)


async def _send_and_wait(pilot, text: str, limit: float = 10.0) -> None:
    app = pilot.app
    pane = app.query_one(ChatPane)
    deadline = time.monotonic() + limit
    while not pane.models and time.monotonic() < deadline:
        await pilot.pause(0.02)
    app.query_one("#chat-input", Input).value = text
    await pilot.press("enter")
    await pilot.pause()
    while pane.busy and time.monotonic() < deadline:
        await pilot.pause(0.02)
    pane.set_status("")
    app.query_one("#chat-input", Input).blur()
    await pilot.pause(0.1)


def test_snapshot_streamed_markdown_code_block(snap_compare, demo_gateway) -> None:
    app = ChatTestApp(make_target(demo_gateway), fixed_timings=True)

    async def run_before(pilot) -> None:
        await _send_and_wait(pilot, CODE_PROMPT)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_inline_error(snap_compare, demo_gateway) -> None:
    app = ChatTestApp(make_target(demo_gateway, "model_not_found"), fixed_timings=True)

    async def run_before(pilot) -> None:
        await _send_and_wait(pilot, "hello")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_compare_mode(snap_compare, demo_gateway) -> None:
    app = ChatTestApp(make_target(demo_gateway), fixed_timings=True)

    async def run_before(pilot) -> None:
        pane = pilot.app.query_one(ChatPane)
        pilot.app.query_one("#chat-max", Input).value = "40"
        pane.start_compare("gpt-4o-mini", "deepseek-chat")
        await _send_and_wait(pilot, "Compare the two of you")

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)
