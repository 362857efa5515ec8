"""A new user's walk (inspector, chat): a request in flight reads as in flight, the
inspector's counter counts it, and the chat's footer offers Stop only while a reply
streams."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from textual.widgets import Static

from tests.test_chat_ui import ChatTestApp, make_target, type_and_send, wait_idle
from tests.test_inspector_ui import InspectorApp, json_exchange
from tui.core.inspect import format as fmt
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.inspector import InspectorPane
from tui.ui.widgets.inspector_detail import ExchangeDetail


def _sent(n: int, seconds_ago: float) -> Exchange:
    at = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    return Exchange(
        id=f"ex-{n:04d}",
        step="auth",
        started_at=at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        method="GET",
        url="http://127.0.0.1:8000/v1/models",
    )


def test_a_request_in_flight_reads_as_waited_for_not_as_an_error() -> None:
    ex = _sent(1, 3.4)
    now = datetime.now(UTC)
    assert fmt.response_head(ex, "en", now) == "… waiting for the response · 3 s"
    assert fmt.response_head(ex, "zh-CN", now) == "… 正在等待响应 · 已等 3 秒"
    failed = _sent(2, 1.0)
    failed.error_kind, failed.error = "read_timeout", "timed out"
    assert fmt.response_head(failed, "en").startswith("✗ read_timeout:")


async def test_the_inspector_shows_a_request_in_flight_as_in_flight() -> None:
    log = ExchangeLog()
    log.started(_sent(1, 2.2))
    app = InspectorApp(log)
    async with app.run_test(size=(120, 48)) as pilot:
        await pilot.pause()
        detail = app.query_one(ExchangeDetail)
        assert detail.exchange_id == "ex-0001"
        head = str(app.query_one("#insp-response-head", Static).render())
        summary = str(app.query_one("#insp-summary", Static).render())
        assert "✗" not in head and "error" not in head, head
        assert head.startswith("… waiting for the response · 2 s"), head
        assert "waiting…" in summary and "0 ms" not in summary, summary
        await pilot.pause(1.2)  # the seconds count on while it waits
        head = str(app.query_one("#insp-response-head", Static).render())
        assert head.startswith("… waiting for the response · 3 s"), head


async def test_the_inspector_counter_counts_requests_in_flight() -> None:
    log = ExchangeLog()
    for n in range(1, 10):  # sent ahead of the checklist, none answered yet
        log.started(_sent(n, 1.0))
    app = InspectorApp(log)
    async with app.run_test(size=(120, 48)) as pilot:
        await pilot.pause()
        pane = app.query_one(InspectorPane)
        count = str(pane.query_one("#inspector-count").render())
        assert count == "9/9", count
        log.add(json_exchange(1, id="ex-0001"))  # the first one's answer
        log.started(_sent(10, 0.0))
        await pilot.pause()
        count = str(pane.query_one("#inspector-count").render())
        assert count == "10/10", count


def _offers_stop(app) -> bool:
    return any(b.binding.action == "stop" for b in app.screen.active_bindings.values())


async def test_the_chat_footer_offers_stop_only_while_a_reply_streams(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway, "stream_stall", timeout=10))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await pilot.pause()
        assert not pane.busy and not _offers_stop(app)
        await type_and_send(pilot, "tell me a story")
        deadline = time.monotonic() + 5
        while not _offers_stop(app):
            assert time.monotonic() < deadline, "Stop never appeared while the reply streamed"
            await pilot.pause(0.02)
        assert pane.busy
        await pilot.press("escape")  # stops the reply
        await wait_idle(pilot, pane, 2)
        assert pane.session.history[-1].reply.stopped
        assert not _offers_stop(app)
        assert app.focused is app.query_one("#chat-input")
        await pilot.press("escape")  # nothing streams: Esc still leaves the text box
        assert app.focused is None
