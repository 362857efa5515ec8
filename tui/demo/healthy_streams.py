"""Healthy but unusual streams: what real, working gateways send that a naive check fails.

Each of these is a stream a user's client shows correctly, so gateway-doctor
must pass it (issue 20: no false alarms): a short reply in one fast burst, the
whole reply in one SSE event, keep-alive comments before the first token, an
HTTP/1.0 body delimited by closing the connection, a gateway that answers
faster than a millisecond, and a slow but steady one.
"""

from __future__ import annotations

from email.utils import formatdate

from tui.demo.http11 import ClientGone, Conn
from tui.demo.responses import SSE_HEADERS, Completion, sse
from tui.demo.streams import Pacer

#: short_burst: a mock-model-sized reply (the LiteLLM case of issue 20), after a proxy's overhead.
SHORT_BURST_TOKENS = 7
SHORT_BURST_WAIT = 0.3
#: single_event: the gateway's own wait before its one event (a non-streaming upstream).
SINGLE_EVENT_WAIT = 0.3
#: keepalive_first: comments every KEEPALIVE_EVERY s, KEEPALIVE_COUNT times, then the reply at once.
KEEPALIVE_EVERY = 0.2
KEEPALIVE_COUNT = 4
KEEPALIVE = b": keep-alive\n\n"
#: slow_steady: one token every SLOW_INTERVAL s, at most SLOW_TOKENS of them.
SLOW_INTERVAL = 0.2
SLOW_TOKENS = 5

MODES = frozenset(
    {"short_burst", "single_event", "keepalive_first", "http10_stream", "very_fast", "slow_steady"}
)


async def stream_unusual(conn: Conn, comp: Completion, mode: str, tps: float) -> None:
    """Write the healthy-but-unusual stream ``mode`` (one of :data:`MODES`)."""
    if mode == "http10_stream":
        await _http10(conn, comp, tps)
        return
    if mode == "short_burst":
        _shorten(comp, SHORT_BURST_TOKENS)
        await _hold(conn, SHORT_BURST_WAIT)
        await conn.start_stream(200, SSE_HEADERS)
        await conn.chunk(_events(comp))
        await conn.end_stream()
        return
    if mode == "single_event":
        await conn.start_stream(200, SSE_HEADERS)
        await _hold(conn, SINGLE_EVENT_WAIT)
        whole = comp.chunk({"role": "assistant", "content": comp.text}, comp.finish_reason)
        tail = comp.tail_events()[1:]  # the usage chunk (if asked) and [DONE]
        await conn.chunk(sse(whole) + b"".join(tail))
        await conn.end_stream()
        return
    if mode == "keepalive_first":
        await conn.start_stream(200, SSE_HEADERS)
        for _ in range(KEEPALIVE_COUNT):
            await conn.chunk(KEEPALIVE)
            await _hold(conn, KEEPALIVE_EVERY)
        await conn.chunk(_events(comp))
        await conn.end_stream()
        return
    if mode == "slow_steady":
        _shorten(comp, SLOW_TOKENS)
        await _paced(conn, comp, 1.0 / SLOW_INTERVAL)
        return
    await _paced(conn, comp, 0)  # very_fast: no pacing at all


def _shorten(comp: Completion, n: int) -> None:
    """A reply that ends by itself after ``n`` tokens (finish_reason stop)."""
    if len(comp.tokens) > n:
        comp.tokens = comp.tokens[:n]
    comp.finish_reason = "stop"


def _events(comp: Completion) -> bytes:
    body = sse(comp.role_chunk())
    body += b"".join(sse(comp.content_chunk(t)) for t in comp.tokens)
    return body + b"".join(comp.tail_events())


async def _hold(conn: Conn, seconds: float) -> None:
    if await conn.wait_or_disconnect(seconds):
        raise ClientGone()


async def _paced(conn: Conn, comp: Completion, tps: float) -> None:
    await conn.start_stream(200, SSE_HEADERS)
    await conn.chunk(sse(comp.role_chunk()))
    pacer = Pacer(tps)
    for token in comp.tokens:
        await pacer.wait()
        await conn.chunk(sse(comp.content_chunk(token)))
    await conn.chunk(b"".join(comp.tail_events()))
    await conn.end_stream()


async def _http10(conn: Conn, comp: Completion, tps: float) -> None:
    """``HTTP/1.0 200``, no Content-Length, no chunking: the body ends when the connection closes."""
    head = (
        "HTTP/1.0 200 OK\r\n"
        f"Date: {formatdate(usegmt=True)}\r\n"
        "Server: gateway-doctor-demo\r\n"
        f"X-Request-Id: {conn.request_id}\r\n"
        "Content-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\n"
        "Connection: close\r\n\r\n"
    )
    conn.keep_alive = False
    if conn.latency > 0:
        await _hold(conn, conn.latency)
    await conn.write_raw(head.encode("latin-1"))
    await conn.write_raw(sse(comp.role_chunk()))
    pacer = Pacer(tps)
    for token in comp.tokens:
        await pacer.wait()
        await conn.write_raw(sse(comp.content_chunk(token)))
    await conn.write_raw(b"".join(comp.tail_events()))
    conn.cut()
