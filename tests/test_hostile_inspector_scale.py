"""The inspector under a session of tens of thousands of exchanges, and absurd URLs.

A loopback gateway answers real requests (JSON 200, 429, an SSE stream); those
recorded exchanges are repeated under new ids to make a long session, as a
long chat or a script against the gateway would. The list draws only the rows
on screen, so a filter, clearing it and a new arrival cost a list operation
(the DataTable measured every cell: seconds at this size). A URL of 100,000
characters with terminal escapes, markup and a right-to-left override is one
row within its columns, its controls shown as visible text.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time

from tests.conftest import FAKE_KEY
from tests.support.console import plain
from tests.support.servers import MODELS_BODY, Conn, RawServer
from tests.support.targets import target_for
from tests.test_inspector_ui import InspectorApp
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.http import GatewayClient
from tui.ui.widgets.inspector import InspectorPane
from tui.ui.widgets.inspector_list import ExchangeList

# fmt: off
HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Inspector", "a session of 30,000 exchanges (a loopback gateway's real answers: JSON 200, "
     "429, an SSE stream, repeated under new ids)",
     "a filter word, clearing it and a new answer each update the list within 1 s / 1 s / "
     "0.5 s on a loaded 2-core machine (the DataTable took seconds); only rows on screen "
     "are formatted"),
    ("Inspector", "a requested URL 100,000 characters long holding ESC [2J, markup ([/], "
     "[bold]) and a right-to-left override",
     "its row is one line within the columns: the path elided to its column, the escape and "
     "the override shown as visible text (␛, <U+202E>), the markup as typed; the detail "
     "holds the URL, no key"),
]
# fmt: on

SESSION = 30_000
SSE_BODY = b'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n'


async def _gateway(conn: Conn) -> None:
    while (req := await conn.read_request()) is not None:
        if "stream" in req.target:
            await conn.respond(200, [("Content-Type", "text/event-stream")], SSE_BODY)
        elif "busy" in req.target:
            await conn.respond(429, [("Content-Type", "application/json")], b'{"error":{}}')
        else:
            await conn.respond(200, [("Content-Type", "application/json")], MODELS_BODY)


async def _record(client: GatewayClient, base: str, path: str, step: str) -> Exchange:
    return await client.request("GET", base + path, step=step)


async def _drawn(pilot) -> None:
    await pilot._wait_for_screen()  # noqa: SLF001
    pilot.app.screen._on_timer_update()  # noqa: SLF001


async def _timed(pilot, action) -> float:
    t0 = time.perf_counter()
    action()
    await _drawn(pilot)
    return time.perf_counter() - t0


async def test_a_long_session_filters_clears_and_lists_a_new_answer_fast() -> None:
    log = ExchangeLog()
    with RawServer(_gateway, max_seconds=60) as srv:
        async with GatewayClient(target_for(srv.url), log) as client:
            seeds = [
                await _record(client, srv.url, "/v1/models", "model"),
                await _record(client, srv.url, "/v1/busy", "balance"),
                await _record(client, srv.url, "/v1/stream", "stream"),
            ]
            assert [ex.status for ex in seeds] == [200, 429, 200]
            for i in range(SESSION - len(seeds)):
                copy = dataclasses.replace(seeds[i % 3], id=f"ex-{i + 10:06d}")
                log.add(copy, premasked=True)
            app = InspectorApp(log)
            async with app.run_test(size=(160, 45)) as pilot:
                pane = app.query_one(InspectorPane)
                table = pane.query_one(ExchangeList)
                await _drawn(pilot)
                assert table.row_count == SESSION
                formatted: list[str] = []
                cells = pane._cells  # noqa: SLF001
                table._format = lambda ex: (formatted.append(ex.id), cells(ex))[1]  # noqa: SLF001

                took = await _timed(pilot, lambda: pane._set_filter("stream"))  # noqa: SLF001
                assert table.row_count == SESSION // 3 and took < 1.0, took
                took = await _timed(pilot, lambda: pane._set_filter(""))  # noqa: SLF001
                assert table.row_count == SESSION and took < 1.0, took

                t0 = time.perf_counter()
                fresh = asyncio.ensure_future(_record(client, srv.url, "/v1/busy?new=1", "auth"))

                def answered() -> bool:
                    if not fresh.done() or table.row_count != SESSION + 1:
                        return False
                    at = [c.key.value for c in table.ordered_columns].index("status")
                    return table.get_row_at(table.cursor_row)[at] == "429"

                while not answered():
                    await asyncio.sleep(0.001)
                await _drawn(pilot)
                assert time.perf_counter() - t0 < 0.5
                assert pane.follow and table.cursor_row == SESSION
                assert "?new=1" in table.get_row_at(SESSION)[-1]
                # every row drawn since: a few screens' worth, not the session
                assert 0 < len(formatted) < 200, len(formatted)


async def test_a_huge_url_with_escapes_and_markup_is_one_row_of_visible_text() -> None:
    log = ExchangeLog()
    query = "[/][bold]x\x1b[2J\u202e" + "a" * 100_000 + f"&key={FAKE_KEY}&end=tail"
    with RawServer(_gateway, max_seconds=60) as srv:
        async with GatewayClient(target_for(srv.url), log) as client:
            ex = await _record(client, srv.url, "/v1/models?q=" + query, "model")
    assert FAKE_KEY not in ex.url
    app = InspectorApp(log)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(InspectorPane)
        await _drawn(pilot)
        table = pane.query_one(ExchangeList)
        row = table.get_row_at(0)
        path_at = [c.key.value for c in table.ordered_columns].index("path")
        path = row[path_at]
        assert len(path) <= table.ordered_columns[path_at].width and path.endswith("end=tail")
        lines = [s.text for s in app.screen._compositor.render_strips()]  # noqa: SLF001
        listed = [line for line in lines if "end=tail" in line]
        assert len(listed) == 1 and "\x1b" not in "".join(lines) and "\u202e" not in "".join(lines)
        pane.show_exchange(ex.id)
        await _drawn(pilot)
        summary = plain(pane.query_one("#insp-summary").render())
        assert "[/][bold]x␛[2J<U+202E>aaa" in summary
        assert FAKE_KEY not in summary and FAKE_KEY not in app.export_screenshot()
