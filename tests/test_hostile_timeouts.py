"""A gateway that accepts the connection and never answers: the timeout is told in
words a user understands (no asyncio/anyio internals) in the exchange, the
inspector's list, the JSON export and the HAR, and the HAR puts the waiting time
under ``wait`` with the reason in ``comment`` (issue 15)."""

from __future__ import annotations

import asyncio
import json
import re

from tests.support.servers import Conn, RawServer
from tests.support.targets import target_for
from tui.core.inspect import format as fmt
from tui.core.inspect.exports import har_entry, render_json
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.http import GatewayClient

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "Timeouts",
        "the gateway accepts the connection, reads the request and never sends a byte",
        "the exchange says “the server sent nothing for 0.5 s (read timeout)”, never "
        "“Cancelled via cancel scope 7f77…; reason: deadline exceeded”, in the inspector "
        "row, JSON and HAR",
    ),
    (
        "Timeouts",
        "the same silent gateway, exported as HAR",
        "the HAR entry's whole wait is under timings.wait (receive 0) and the reason is in "
        "the entry's and the response's comment as well as _error",
    ),
]

INTERNAL = re.compile(r"cancel scope|deadline exceeded|CancelledError|0x[0-9a-f]{6,}|[0-9a-f]{12}")


async def _silent(conn: Conn) -> None:
    await conn.read_request()
    await asyncio.sleep(30)


async def _timed_out() -> Exchange:
    with RawServer(_silent, max_seconds=20) as srv:
        log = ExchangeLog()
        async with GatewayClient(target_for(srv.url, timeout=0.5), log) as client:
            return await client.request("GET", srv.url + "/v1/models", step="auth")


async def test_read_timeout_is_told_in_words_everywhere() -> None:
    ex = await _timed_out()
    assert ex.status is None and ex.error_kind == "read_timeout"
    assert ex.error == "the server sent nothing for 0.5 s (read timeout)", ex.error
    row = " ".join(fmt.list_row(ex))
    for text in (ex.error, row, render_json(ex), json.dumps(har_entry(ex))):
        assert not INTERNAL.search(text), text


async def test_har_timeout_entry_waits_under_wait_with_the_reason_in_comment() -> None:
    ex = await _timed_out()
    entry = har_entry(ex)
    timings = entry["timings"]
    assert entry["response"]["status"] == 0
    assert timings["receive"] == 0
    assert timings["wait"] >= 400, timings  # the 0.5 s of silence
    assert ex.error in entry["comment"] and entry["response"]["comment"] == ex.error
    assert entry["_error"] == ex.error
