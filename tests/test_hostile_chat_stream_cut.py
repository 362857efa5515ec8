"""Chat against a gateway whose 200 event stream breaks before any reply text.

Before the fix such a reply was diagnosed as ``model.gateway_error`` (a 502/504
intermediary) with Cloudflare/nginx advice; the checklist calls the same break
``stream.interrupted``, and so does chat now. ``HOSTILE_ROWS`` is asserted below
(docs/hardening.md is generated from them).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import FAKE_KEY
from tests.support.servers import Conn, RawServer
from tui.core.chat.session import ChatSession
from tui.core.chat.transcript import chat_error_summary
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog

# fmt: off
HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Chat", "200 `text/event-stream` headers, then the connection closes before any event",
     "the reply's error is stream.interrupted (HTTP 200), not model.gateway_error; the "
     "Ctrl+Y summary's failing step says stream.interrupted"),
    ("Chat", "200 event stream with the role chunk only, then a TCP reset",
     "stream.interrupted, no reply text; never the 502/504 intermediary advice"),
]
# fmt: on

_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
    b"Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n"
)
_ROLE = b'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n'


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def _cut(mode: str):  # noqa: ANN202
    async def handle(conn: Conn) -> None:
        req = await conn.read_request()
        if req is None:
            return
        assert json.loads(req.body)["stream"] is True
        await conn.write(_HEAD)
        if mode == "close":
            return  # the server closes: the chunked body never ends
        await conn.write(_chunk(_ROLE))
        conn.reset()

    return handle


@pytest.mark.parametrize("mode", ["close", "reset"])
async def test_stream_broken_before_text_is_stream_interrupted(mode: str) -> None:
    with RawServer(_cut(mode), max_seconds=20) as server:
        target = Target(base_url=f"{server.url}/v1", api_key=FAKE_KEY, model="m", timeout=3)
        log = ExchangeLog()
        session = ChatSession(target, log)
        try:
            turn = await session.send("hi")
        finally:
            await session.aclose()
    err = turn.reply.error
    assert turn.reply.content == ""
    assert err is not None and err.code == "stream.interrupted", err
    assert err.http_status == 200
    summary = chat_error_summary(turn.reply, target, log)
    assert "model.gateway_error" not in summary
    assert any(
        "stream.interrupted" in line
        for line in summary.splitlines()
        if line.startswith("Failing step:")
    ), summary
