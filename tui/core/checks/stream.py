"""stream: a streamed completion, watched event by event.

Most "it works in curl but the client shows nothing / garbage / stops" reports
are streaming faults between the model and the client: a proxy that buffers
the whole answer (``proxy_buffering``), a connection cut mid-answer, an
upstream error sent as an SSE event, invalid UTF-8 from a byte-level cut, a
``stream: true`` answered with plain JSON. Comment lines (``: PING``) are
keep-alives and are ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tui.core.checks.base import (
    Context,
    Results,
    info_of,
    is_timeout,
    retry_hint,
    short,
    transport_detail,
)
from tui.core.exchange import Exchange, SseEvent
from tui.core.http import parse_json
from tui.core.model import CheckResult, Status
from tui.core.sse import SseParser

STREAM_MAX_TOKENS = 16
#: A burst: at least this many content chunks within BURST_MS, after BURST_WAIT_MS of silence.
BURST_MIN_CHUNKS = 5
BURST_MS = 25.0
BURST_WAIT_MS = 250.0


@dataclass
class StreamFacts:
    """What the SSE events of one streamed answer show."""

    data_events: int = 0
    content_chunks: int = 0
    comments: int = 0
    done: bool = False
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    malformed: list[str] = field(default_factory=list)
    garbled: list[str] = field(default_factory=list)
    error_event: dict[str, Any] | None = None
    content_offsets: list[float] = field(default_factory=list)
    text: str = ""
    #: No Content-Type header: the body was parsed as SSE after the fact.
    untyped: bool = False

    def evidence(self) -> dict[str, Any]:
        offs = self.content_offsets
        gaps = [round(b - a, 1) for a, b in zip(offs, offs[1:], strict=False)]
        out: dict[str, Any] = {
            "events": self.data_events,
            "content_chunks": self.content_chunks,
            "comments_ignored": self.comments,
            "done": self.done,
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            "first_token_ms": round(offs[0], 1) if offs else None,
            "max_gap_ms": max(gaps) if gaps else None,
            "spread_ms": round(offs[-1] - offs[0], 1) if offs else None,
            "text": short(self.text, 120),
        }
        if self.malformed:
            out["malformed_lines"] = self.malformed[:5]
        if self.garbled:
            out["garbled"] = self.garbled[:3]
        if self.error_event:
            out["error_event"] = self.error_event
        return out


def events_of(ex: Exchange) -> tuple[list[SseEvent], bool]:
    """The SSE events of ``ex``; parsed from the body when the header was missing."""
    if ex.sse_events or ex.content_type or not ex.response_body.lstrip().startswith(b"data:"):
        return ex.sse_events, False
    parser = SseParser()
    parsed = parser.feed(ex.response_body) + parser.close()
    offset = ex.duration_ms
    events = [
        SseEvent(offset, p.data, "invalid_utf8" if p.invalid_utf8 else p.event, p.id, p.comment)
        for p in parsed
    ]
    if parser.stray_lines:
        events.append(SseEvent(offset, "\n".join(parser.stray_lines), "stray"))
    return events, True


def analyse(ex: Exchange) -> StreamFacts:
    """Walk the recorded SSE events of ``ex``."""
    f = StreamFacts()
    events, f.untyped = events_of(ex)
    for ev in events:
        if ev.comment:
            f.comments += 1
            continue
        if ev.event == "stray":
            f.malformed += [ln for ln in ev.data.splitlines() if ln.strip()]
            continue
        f.data_events += 1
        data = ev.data.strip()
        if data == "[DONE]":
            f.done = True
            continue
        if ev.event == "invalid_utf8":
            f.garbled.append("invalid UTF-8 bytes: " + short(data, 80))
        try:
            obj = json.loads(data)
        except ValueError:
            f.malformed.append("data: " + short(data, 120))
            continue
        if not isinstance(obj, dict):
            f.malformed.append("data: " + short(data, 120))
            continue
        if obj.get("error"):
            f.error_event = (
                obj["error"] if isinstance(obj["error"], dict) else {"message": obj["error"]}
            )
            continue
        if isinstance(obj.get("usage"), dict):
            f.usage = obj["usage"]
        for choice in obj.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            if choice.get("finish_reason"):
                f.finish_reason = choice["finish_reason"]
            delta = choice.get("delta") or {}
            piece = delta.get("content") or delta.get("reasoning_content") or ""
            if piece:
                f.content_chunks += 1
                f.content_offsets.append(ev.offset_ms)
                f.text += str(piece)
                if "\ufffd" in piece and ev.event != "invalid_utf8":
                    f.garbled.append("U+FFFD in content: " + short(piece, 40))
    return f


def is_buffered(f: StreamFacts) -> bool:
    """Everything arrived in one burst after a long silence."""
    offs = f.content_offsets
    if len(offs) < BURST_MIN_CHUNKS:
        return False
    return offs[-1] - offs[0] <= BURST_MS and offs[0] >= BURST_WAIT_MS


async def check_stream(ctx: Context) -> CheckResult:
    """A streamed completion: status, content type, chunks, timing, ending."""
    done = Results("stream")
    ex = await ctx.ping(
        "stream",
        {
            "max_tokens": STREAM_MAX_TOKENS,
            "stream": True,
            "stream_options": {"include_usage": True},
        },
        stream=True,
        total_timeout=ctx.timeout * 2,
    )
    f = analyse(ex)
    ev = done.evidence
    ev.update({"content_type": ex.content_type, "ttfb_ms": ex.timings.get("ttfb")})
    ev.update(f.evidence())

    def fail(code: str, detail: str, **kw: Any) -> CheckResult:
        return done(Status.FAIL, code, detail, facts=ex, **kw)

    if ex.status is None:
        return done.transport_failure(ex)
    info = info_of(ex)
    if not (200 <= ex.status < 300):
        code = {
            "rate_limited": "rate_limited",
            "quota": "rate_limited",
            "gateway_error": "gateway_error",
        }.get(info.kind)
        if code is None:
            code = "gateway_error" if info.html else "server_error"
        return fail(code, f"HTTP {ex.status}: {short(info.message)}{retry_hint(info)}", info=info)
    if f.untyped:
        ev["note"] = "no Content-Type header: parsed as SSE anyway; strict clients may fail"
    if ex.content_type != "text/event-stream" and not f.untyped:
        body = parse_json(ex)
        if isinstance(body, dict) and body.get("error"):
            return fail(
                "error_event", f"HTTP {ex.status} with an error: {short(info.message)}", info=info
            )
        if isinstance(body, dict) and body.get("choices"):
            return fail(
                "not_streamed",
                f"asked to stream, the gateway answered one plain JSON completion "
                f"({ex.content_type or 'no content type'}): the client sees nothing "
                "until the end, or nothing at all",
                charged=True,
            )
        return fail(
            "not_streamed",
            f"asked to stream, got {ex.content_type or 'no content type'}, not text/event-stream",
        )
    if f.error_event:
        msg = str(f.error_event.get("message") or f.error_event)
        return fail(
            "error_event", f"after {f.content_chunks} chunks the stream sent an error: {short(msg)}"
        )
    if f.garbled:
        return fail("garbled", f"the text arrives damaged: {f.garbled[0]}")
    if f.malformed:
        return fail(
            "malformed",
            f"{len(f.malformed)} line(s) are not valid SSE data: {short(f.malformed[0], 100)}",
        )
    if ex.error and f.data_events and is_timeout(ex):
        return fail(
            "stalled",
            f"after {f.content_chunks} chunks the stream went silent; "
            f"nothing more within {ctx.timeout:g} s",
        )
    if ex.error and not f.data_events:
        return fail("timeout" if is_timeout(ex) else "interrupted", transport_detail(ex))
    if ex.error or (not f.done and not f.finish_reason):
        how = transport_detail(ex) if ex.error else "the connection closed"
        return fail(
            "interrupted", f"after {f.content_chunks} chunks {how} without finish_reason or [DONE]"
        )
    if is_buffered(f) and not f.untyped:
        return fail(
            "buffered",
            f"all {f.content_chunks} chunks arrived in one burst after "
            f"{f.content_offsets[0]:.0f} ms: something between you and the model "
            "buffers the stream",
        )
    usage = f.usage or {}
    charged = bool(usage.get("total_tokens") or usage.get("completion_tokens")) or None
    missing = [] if f.done else ["no [DONE]"]
    note = f" ({', '.join(missing)})" if missing else ""
    return done(
        Status.PASS,
        "ok",
        f"{f.content_chunks} chunks, first token at {f.content_offsets[0]:.0f} ms, "
        f"finish_reason {f.finish_reason}{note}"
        if f.content_offsets
        else f"stream ended cleanly (finish_reason {f.finish_reason}){note}",
        facts=ex,
        charged=charged,
    )
