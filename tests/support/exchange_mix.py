"""A realistic mix of recorded exchanges (JSON answers, SSE streams, 429s, connect
timeouts), as the inspector holds them: shared by bench/bench_inspector.py and the
exchange memory tests, so the bench and the size bound measure the same thing."""

from __future__ import annotations

from tui.core.net.exchange import Exchange, SseEvent


def own(text: str) -> str:
    """A new string object equal to ``text`` (what masking leaves per exchange)."""
    return text[:1] + text[1:]


def mixed_exchange(i: int, masked_auth: str) -> Exchange:
    """Exchange ``i`` of the mix; ``masked_auth`` is its Authorization value, masked."""
    kind = i % 10
    ex = Exchange(
        id=f"ex-{i:06d}",
        step=("auth", "balance", "model", "stream", "chat")[i % 5],
        started_at=f"2025-01-02T03:{(i // 60) % 60:02d}:{i % 60:02d}.000Z",
        method="POST" if kind < 7 else "GET",
        url=f"http://127.0.0.1:8000/v1/chat/completions?n={i}",
        request_headers=[
            (own("host"), own("127.0.0.1:8000")),
            (own("authorization"), own(masked_auth)),
            (own("content-type"), own("application/json")),
        ],
        request_body=b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}',
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        response_headers=[
            (own("content-type"), own("application/json")),
            (own("x-request-id"), f"req-{i}"),
        ],
        response_body=b'{"id":"chatcmpl-1","choices":[{"message":{"content":"%d"}}]}' % i,
        body_size=60,
        timings={"connect": 1.0, "ttfb": 100.0, "transfer": 5.0, "total": 106.0},
        duration_ms=106.0,
    )
    if kind == 3:
        ex.streamed = True
        ex.response_headers = [(own("content-type"), own("text/event-stream"))]
        ex.sse_events = [
            SseEvent(10.0 * k, own('{"choices":[{"delta":{"content":"tok"}}]}')) for k in range(20)
        ]
        ex.response_body = b"".join(b"data: %s\n\n" % e.data.encode() for e in ex.sse_events)
    elif kind == 5:
        ex.status, ex.reason = 429, "Too Many Requests"
    elif kind == 8:
        ex.status, ex.reason, ex.response_headers, ex.response_body = None, "", [], b""
        ex.error, ex.error_kind = "connect timed out", "connect_timeout"
    return ex


def chat_exchange(status: int | None, body: bytes, ctype: str = "application/json") -> Exchange:
    """A recorded chat completion answered with ``status``, ``body`` of type ``ctype``."""
    return Exchange(
        id="ex-1",
        step="chat",
        started_at="",
        method="POST",
        url="http://x/v1/chat/completions",
        status=status,
        response_headers=[("content-type", ctype)],
        response_body=body,
    )
