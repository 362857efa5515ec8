"""Issue 15, long waits: a running checklist row shows elapsed / limit, and the
inspector lists a request in flight as a pending row that gets its answer when
the request ends (a loopback gateway that holds the status line back)."""

from __future__ import annotations

import asyncio
import re
import time

from tests.support.console import wait_for
from tests.support.servers import MODELS_BODY, Conn, RawServer
from tests.support.targets import target_for
from tests.test_console_live import live_app
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.inspector import InspectorPane
from tui.ui.widgets.inspector_list import ExchangeList

#: Long enough for the console to be built (its late panes too) on a loaded machine
HOLD = 6.0


async def _slow_models(conn: Conn) -> None:
    """Every request waits HOLD seconds before its answer (like slow_headers)."""
    while (req := await conn.read_request()) is not None:
        await asyncio.sleep(HOLD)
        body = MODELS_BODY if req.target.endswith("/models") else b"{}"
        await conn.respond(200, [("Content-Type", "application/json")], body)


async def test_log_tells_listeners_when_a_request_starts() -> None:
    started, done = [], []
    log = ExchangeLog()
    log.subscribe_started(started.append)
    log.subscribe(done.append)
    with RawServer(_slow_models, max_seconds=20) as srv:
        async with GatewayClient(target_for(srv.url, timeout=HOLD + 4), log) as client:
            task = asyncio.ensure_future(client.request("GET", srv.url + "/v1/models", step="auth"))
            await asyncio.sleep(0.5)
            assert [ex.status for ex in started] == [None] and not done
            assert [ex.id for ex in log.in_flight()] == [started[0].id]
            ex = await task
    assert ex.status == 200 and done == [ex] and started[0].id == ex.id
    assert log.in_flight() == []


async def test_running_rows_show_elapsed_and_limit_and_pending_exchanges_update() -> None:
    with RawServer(_slow_models, max_seconds=30) as srv:
        app = live_app(srv.url + "/v1", timeout=8.0)
        async with app.run_test(size=(160, 45)) as pilot:
            checklist = app.screen.query_one(Checklist)
            await wait_for(pilot, lambda: checklist.rows["network"].status.value == "running")
            await pilot.pause(1.3)
            row = checklist.rows["network"]
            text = row.shown_text().result
            m = re.search(r"running · (\d+) s of 8 s", text)
            assert m and int(m.group(1)) >= 1, text
            pane = app.screen.query_one(InspectorPane)
            table = pane.query_one(ExchangeList)
            assert table.row_count >= 1
            status_at = [str(c.key.value) for c in table.ordered_columns].index("status")
            first = table.get_row_at(0)
            assert "waiting…" in str(first[status_at]), first
            assert "No exchanges yet" not in str(pane.query_one("#insp-summary").render())
            start = time.monotonic()
            await wait_for(pilot, lambda: "200" in str(table.get_row_at(0)[status_at]), timeout=8)
            assert time.monotonic() - start < HOLD + 3
            log = app.exchange_log
            ids = {ex.id for ex in log.all()} | {ex.id for ex in log.in_flight()}
            assert table.row_count == len(ids)  # one row per request, pending or done
            app.exit()
