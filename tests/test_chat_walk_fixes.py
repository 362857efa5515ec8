"""Fixes from the new-user walkthrough of the chat pane.

Each test talks to the demo gateway (or a hostile server) over a real
loopback socket and failed on the code before its fix.
"""

from __future__ import annotations

from tests.conftest import FAKE_KEY
from tui.core.chat.session import ChatSession, ChatSettings
from tui.core.chat.transcript import chat_error_summary, format_stats
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog


def target_for(gw, scenario: str = "healthy", *, timeout: float = 2.0) -> Target:
    return Target(
        base_url=gw.scenario_url(scenario), api_key=FAKE_KEY, model="gpt-4o-mini", timeout=timeout
    )


async def test_stream_cut_before_any_text_is_stream_interrupted(demo_gateway):
    """stream_cut with a one-token reply: the 200 event stream breaks before any
    text. That is a stream problem, not a 502/504 intermediary (model.gateway_error)."""
    log = ExchangeLog()
    target = target_for(demo_gateway, "stream_cut")
    session = ChatSession(target, log, ChatSettings(max_tokens=1))
    try:
        turn = await session.send("hi")
    finally:
        await session.aclose()
    assert turn.reply.content == ""  # cut before the first (only) token
    err = turn.reply.error
    assert err is not None and err.code == "stream.interrupted", err
    assert err.http_status == 200
    summary = chat_error_summary(turn.reply, target, log)
    assert "stream.interrupted" in summary and "model.gateway_error" not in summary


async def test_one_token_reply_shows_no_tokens_per_second(demo_gateway):
    """A one-token answer has no generation rate: "1.2 tok/s" was meaningless."""
    log = ExchangeLog()
    session = ChatSession(target_for(demo_gateway), log, ChatSettings(max_tokens=1))
    try:
        one = await session.send("hi")
        session.settings.max_tokens = 8
        many = await session.send("hi again")
    finally:
        await session.aclose()
    assert one.reply.ok and one.reply.stats.completion_tokens == 1
    assert one.reply.stats.tokens_per_s is None
    assert "tok/s" not in format_stats(one.reply.stats)
    assert many.reply.ok and (many.reply.stats.completion_tokens or 0) >= 2
    assert many.reply.stats.tokens_per_s is not None


async def test_ctrl_y_reports_the_latest_failure_with_its_own_gateway(demo_gateway):
    """invalid_key, then the target switches to healthy and replies succeed:
    Ctrl+Y copied the old auth.invalid_key with the new base URL. Now it says
    there is nothing to report; the error card's button still copies that old
    failure, with the gateway it happened on and when."""
    from tests.test_chat_ui import ChatTestApp, make_target, type_and_send, wait_idle
    from tui.ui.widgets.chat import ChatPane

    bad, good = make_target(demo_gateway, "invalid_key"), make_target(demo_gateway)
    app = ChatTestApp(bad)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await pilot.press("ctrl+y")
        await type_and_send(pilot, "hi")
        await wait_idle(pilot, pane)
        await pilot.press("ctrl+y")
        first = pane.last_copied
        assert "auth.invalid_key" in first and bad.base_url in first
        assert "This failure happened at" in first and "switched to" not in first
        pane.set_target(good)
        await pilot.pause(0.2)
        await type_and_send(pilot, "hello")
        await wait_idle(pilot, pane)
        assert pane.session.history[-1].reply.ok
        pane.last_copied = ""
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert pane.last_copied == ""  # nothing stale copied
        notes = [str(n.message) for n in app._notifications]
        assert "No failure to report: no reply yet." in notes
        assert "No failure to report: the latest reply succeeded." in notes
        await pilot.click(".chat-copy-summary")  # the old error card, on purpose
        await pilot.pause()
        old = pane.last_copied
        assert "auth.invalid_key" in old and f"against {bad.base_url}" in old
        assert f"switched to {good.base_url}" in old


async def test_quick_prompt_while_busy_keeps_the_busy_notice_and_the_right_hint():
    """F2 pressed while F3 still streams is not sent: the status said "Short test:
    testing…" anyway, then gave F3's result as the short test's. Now it says a reply
    is still streaming, and F3's result is reported as the long reply's."""
    from tests.test_chat_ui import ChatTestApp, make_target, wait_idle
    from tui.demo.server import DemoGateway
    from tui.ui.widgets.chat import ChatPane

    slow = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=40).start_in_thread()
    app = ChatTestApp(make_target(slow, "stream_cut"))
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(ChatPane)
        status = pane.query_one("#chat-status")
        await pilot.press("f3")
        await pilot.pause()
        assert pane.busy
        await pilot.press("f2")
        await pilot.pause()
        assert "still streaming" in str(status.render())
        await pilot.press("escape")  # stop F3 (its partial text stays)
        await wait_idle(pilot, pane)
        assert [turn.prompt[:40] for turn in pane.transcript] == [
            pane.session.history[0].prompt[:40]
        ]
        text = str(status.render())
    slow.stop()
    assert text.startswith("■ Long reply stopped"), text
