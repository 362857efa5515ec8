"""Chat-pane fixes from a new-user walk: the quick prompt's verdict, a message typed
while a reply streams, and status lines that outlived what they were about.

Each UI test talks to the demo gateway over a real loopback socket and failed
on the code before its fix.
"""

from __future__ import annotations

import pytest

from tests.test_chat_ui import ChatTestApp, make_target, wait_idle
from tui.core.chat.quick_hints import quick_hint
from tui.core.chat.quick_prompts import prompt_by_id
from tui.core.chat.types import ChatTurn, Reply
from tui.ui.widgets.chat import ChatPane


def _status(pane: ChatPane) -> str:
    return str(pane.query_one("#chat-status").render())


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
