"""The roll-out trial against the second review's hostile servers (issue 16 review 2):
a reply already complete when the trial aborts, stalled and never-ending replies, and
the other findings. Each server is a real loopback socket (tests/support/servers.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from tests.support.servers import Conn, RawServer
from tests.support.targets import target_for
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.trial.talk import Reply, chat

SSE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"


def sse_chunk(text: str | None, finish: str | None = None) -> bytes:
    delta = {"content": text} if text is not None else {}
    d = {"id": "x", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini",
         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}  # fmt: skip
    return b"data: " + json.dumps(d).encode() + b"\n\n"


def serve(handler: Callable[[Conn], Awaitable[None]]) -> RawServer:
    async def wrapped(conn: Conn) -> None:
        if await conn.read_request() is not None:
            await handler(conn)

    return RawServer(wrapped, max_seconds=60).start()


def ask(srv: RawServer, **kw) -> Reply:
    target = target_for(srv.url, timeout=kw.pop("timeout", 2.0))

    async def go() -> Reply:
        async with GatewayClient(target, ExchangeLog()) as client:
            url = target.endpoint("chat/completions")
            return await chat(client, url, "gpt-4o-mini", "hi", step="trial.x", **kw)

    return asyncio.run(go())


# -- 1. a reply complete before the abort ----------------------------------------------


async def _whole_at_once(conn: Conn) -> None:
    body = b"".join(sse_chunk(f"{i}\n") for i in range(12))
    await conn.write(SSE_HEAD + body + sse_chunk(None, "stop") + b"data: [DONE]\n\n")


async def _still_going(conn: Conn) -> None:
    await conn.write(SSE_HEAD)
    for i in range(200):
        await conn.write(sse_chunk(f"{i}\n"))
        await asyncio.sleep(0.05)


def test_a_reply_complete_when_aborted_is_known_to_be():
    with_all = serve(_whole_at_once)
    r = ask(with_all, max_tokens=400, stream=True, stop_after=10)
    assert r.aborted and r.complete and r.chunks == 10


def test_a_reply_still_going_is_aborted_mid_stream():
    going = serve(_still_going)
    r = ask(going, max_tokens=400, stream=True, stop_after=10)
    assert r.aborted and not r.complete and r.chunks == 10
    assert r.ex.error_kind == "aborted" and r.total_ms < 2000
