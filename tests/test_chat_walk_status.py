"""Chat-pane fixes from a new-user walk: the quick prompt's verdict, a message typed
while a reply streams, and status lines that outlived what they were about.

Each UI test talks to the demo gateway over a real loopback socket and failed
on the code before its fix.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.test_chat_ui import ChatTestApp, make_target, wait_idle
from tui.core.chat.quick_hints import quick_hint
from tui.core.chat.quick_prompts import prompt_by_id
from tui.core.chat.types import ChatTurn, Reply
from tui.demo.server import DemoGateway
from tui.ui.widgets.chat import ChatPane


def _status(pane: ChatPane) -> str:
    return str(pane.query_one("#chat-status").render())


@pytest.fixture
def slow_gateway():
    """A demo gateway at 40 tokens a second: a reply streams long enough to type under it."""
    gw = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=40).start_in_thread()
    try:
        yield gw
    finally:
        gw.stop()


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "Garbled text in the stream"), ("zh-CN", "乱码")]
)
async def test_chinese_quick_prompt_on_a_garbled_stream_is_not_a_pass(demo_gateway, lang, said):
    """`demo --scenario garbled`, F4: the reply held U+FFFD and was marked stream.garbled,
    yet the verdict said "✓ Chinese Q&A: Chinese text arrives intact" (the verdict
    looked at errors and Esc only, never at the reply's notes)."""
    app = ChatTestApp(make_target(demo_gateway, "garbled"), lang=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await pilot.press("f4")
        await wait_idle(pilot, pane)
        reply = pane.session.history[-1].reply
        assert "\ufffd" in reply.content and "stream.garbled" in reply.notes
        verdict = _status(pane)
    assert verdict.startswith("✗") and "✓" not in verdict, verdict
    assert "stream.garbled" in verdict and said in verdict, verdict


async def test_chinese_quick_prompt_on_a_healthy_gateway_still_passes(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await pilot.press("f4")
        await wait_idle(pilot, pane)
        assert pane.session.history[-1].reply.notes == []
        verdict = _status(pane)
    assert verdict.startswith("✓ Chinese Q&A"), verdict


def test_quick_verdict_follows_the_reply_notes_and_its_text():
    """A warning that does not garble the text is a "!", not a ✓; U+FFFD in the text is
    garbling even with no stream flag (a plain JSON reply is not scanned as a stream)."""
    qp = prompt_by_id("chinese")
    assert qp is not None
    warned = Reply("m", content="你好", notes=["stream.not_streamed"])
    hint = quick_hint(qp, [ChatTurn("q", warned)])
    assert hint.startswith("!") and "stream.not_streamed" in hint, hint
    replaced = Reply("m", content="一个词\ufffd\ufffd一个词地")
    hint = quick_hint(qp, [ChatTurn("q", replaced)])
    assert hint.startswith("✗") and "stream.garbled" in hint, hint
    assert quick_hint(qp, [ChatTurn("q", Reply("m", content="你好"))]).startswith("✓")


async def test_a_message_typed_while_a_reply_streams_stays_in_the_box(slow_gateway):
    """F3, then `my important typed question` + Enter: the box was emptied (the text
    lost, not sent later, not under Up). Now it stays, to be sent once the reply ends."""
    app = ChatTestApp(make_target(slow_gateway, timeout=10))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        box = app.query_one("#chat-input", Input)
        await pilot.press("f3")
        await pilot.pause()
        assert pane.busy
        box.value = "my important typed question"
        await pilot.press("enter")
        await pilot.pause()
        assert box.value == "my important typed question"
        assert "still streaming" in _status(pane)
        await pilot.press("escape")
        await wait_idle(pilot, pane)
        assert box.value == "my important typed question"
        await pilot.press("enter")
        await wait_idle(pilot, pane)
        assert box.value == ""
        assert pane.session.history[-1].prompt == "my important typed question"


async def test_a_stopped_verdict_goes_when_the_next_prompt_starts(slow_gateway):
    """F3, Esc, then a free-form prompt that finished fine: the status line still said
    "■ Long reply stopped by you: nothing is proven yet." under the new reply."""
    app = ChatTestApp(make_target(slow_gateway, timeout=10))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        app.query_one("#chat-max", Input).value = "12"
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("escape")
        await wait_idle(pilot, pane)
        assert _status(pane).startswith("■ Long reply stopped")
        app.query_one("#chat-input", Input).value = "a question of my own"
        await pilot.press("enter")
        await pilot.pause()
        assert "stopped" not in _status(pane)
        await wait_idle(pilot, pane)
        assert pane.session.history[-1].reply.ok
        assert "stopped" not in _status(pane), _status(pane)


async def test_the_busy_notice_goes_when_the_reply_ends(slow_gateway):
    """Enter while a free-form reply streamed said "A reply is still streaming — Esc
    stops it.", and that stayed after the reply had finished."""
    app = ChatTestApp(make_target(slow_gateway, timeout=10))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        app.query_one("#chat-max", Input).value = "120"
        box = app.query_one("#chat-input", Input)
        box.value = "first question"
        await pilot.press("enter")
        await pilot.pause()
        assert pane.busy
        box.value = "second question"
        await pilot.press("enter")
        await pilot.pause()
        assert "still streaming" in _status(pane)
        await wait_idle(pilot, pane, 10)
        assert pane.session.history[-1].reply.ok
        assert "still streaming" not in _status(pane), _status(pane)
