"""Streamed chat completions, healthy and broken in the ways real gateways break.

Each fault is written byte-exactly: a chunked body cut without its terminator,
stray non-``data:`` lines, invalid UTF-8, one burst at the end, silence, a
mid-stream error event, a TCP reset.
"""

from __future__ import annotations

import asyncio

from tui.demo.http11 import ClientGone, Conn
from tui.demo.responses import JSON_HEADERS, SSE_HEADERS, Completion, dumps, sse

#: A buffered stream is held at least this long, so the burst is recognisable
#: even when tokens are generated very fast (as in tests).
BUFFER_MIN_HOLD = 1.0
PING = b": PING\n\n"


class Pacer:
    """Releases token i at ``start + i / tps``, without drift."""

    def __init__(self, tokens_per_second: float) -> None:
        self.interval = 1.0 / tokens_per_second if tokens_per_second > 0 else 0.0
        self.start: float | None = None
        self.count = 0

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        if self.start is None:
            self.start = loop.time()
        self.count += 1
        delay = self.start + self.count * self.interval - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)


def cut_point(n: int) -> int:
    """Index of the first content token a broken stream never delivers."""
    return n // 2


async def stream_chat(conn: Conn, comp: Completion, mode: str, tps: float) -> None:
    """Write a streamed completion to ``conn`` in ``mode`` (a scenario id or 'healthy')."""
    if mode == "not_streamed":
        await conn.send(200, JSON_HEADERS, dumps(comp.full()))
        return
    if mode == "buffered_stream":
        await _buffered(conn, comp, tps)
        return
    closing = mode in ("stream_cut", "stream_stall", "reset_mid_body")
    await conn.start_stream(200, SSE_HEADERS, gzip=(mode == "gzip_sse"), close=closing)
    pacer = Pacer(tps)
    await conn.chunk(sse(comp.role_chunk()))
    cut = cut_point(len(comp.tokens))
    for i, token in enumerate(comp.tokens):
        if i == cut and await _break(conn, mode):
            return
        await pacer.wait()
        data = sse(comp.content_chunk(token))
        if mode == "ping_comments" and i % 3 == 0:
            data = PING + data
        elif mode == "malformed_sse" and i == cut:
            data = _malformed(comp) + data
        elif mode == "garbled" and i == cut:
            data = _garbled(comp, token)
        await conn.chunk(data)
    for event in comp.tail_events():
        await conn.chunk(event)
    await conn.end_stream()


async def _break(conn: Conn, mode: str) -> bool:
    """Break the stream at the cut point; True if the response is over."""
    if mode == "stream_cut":
        conn.cut()
        return True
    if mode == "reset_mid_body":
        conn.reset()
        return True
    if mode == "stream_error_event":
        err = {"error": {"message": "upstream error: overloaded", "type": "upstream_error"}}
        await conn.chunk(sse(err))
        await conn.end_stream()
        return True
    if mode == "stream_stall":
        await conn.wait_or_disconnect(None)
        conn.cut()
        raise ClientGone()
    return False


def _malformed(comp: Completion) -> bytes:
    """A JSON line without ``data:``, and ``data:`` followed by truncated JSON."""
    stray = dumps(comp.content_chunk(" stray"))
    broken = (
        b'data: {"id":"' + comp.id.encode() + b'","object":"chat.completion.chunk","choices":[{'
    )
    return stray + b"\n\n" + broken + b"\n\n" + b"event-without-colon\n\n"


def _garbled(comp: Completion, token: str) -> bytes:
    """One chunk with a UTF-8 sequence cut in half, then one with U+FFFD in it."""
    raw = dumps(comp.content_chunk("\x00SPLIT\x00")).replace(b"\\u0000SPLIT\\u0000", b"\xe4\xbd")
    return b"data: " + raw + b"\n\n" + sse(comp.content_chunk("\ufffd\ufffd" + token))


async def _buffered(conn: Conn, comp: Completion, tps: float) -> None:
    """Headers now; every event only after the whole answer was generated."""
    await conn.start_stream(200, SSE_HEADERS)
    body = sse(comp.role_chunk())
    body += b"".join(sse(comp.content_chunk(t)) for t in comp.tokens)
    body += b"".join(comp.tail_events())
    hold = max(len(comp.tokens) / tps if tps > 0 else 0.0, BUFFER_MIN_HOLD)
    if await conn.wait_or_disconnect(hold):
        raise ClientGone()
    await conn.chunk(body)
    await conn.end_stream()
