"""stream: a streamed completion, watched event by event.

Most "it works in curl but the client shows nothing / garbage / stops" reports
are streaming faults between the model and the client: a proxy that buffers
the whole answer (``proxy_buffering``), a connection cut mid-answer, an
upstream error sent as an SSE event, invalid UTF-8 from a byte-level cut, a
``stream: true`` answered with plain JSON. Comment lines (``: PING``) are
keep-alives and are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.core.diagnosis.checks import buffering, stream_words
from tui.core.diagnosis.checks.base import (
    Context,
    Results,
    http_said,
    info_of,
    is_timeout,
    short,
    transport_message,
)
from tui.core.diagnosis.checks.base import (
    said as said_by,
)
from tui.core.diagnosis.checks.proxy_identity import buffered_by_proxy
from tui.core.diagnosis.checks.stream_flood import flood, flood_message
from tui.core.diagnosis.model import CheckResult, Status, step_limit
from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.exchange import Exchange, SseEvent
from tui.core.net.http import parse_json
from tui.core.net.sse import ParsedEvent, SseParser
from tui.core.net.sse_keep import DROPPED
from tui.core.safe import json_parse as safe_json
from tui.core.safe.masking import mask

#: The stream probe asks for a reply long enough to be spread out by a live stream
#: (about 30-60 tokens), so that buffering can be told from a fast backend.
STREAM_MESSAGES = [
    {
        "role": "user",
        "content": "Count from 1 to 30, separated by spaces. "  # not-ui-text: prompt to the model
        "Reply with the numbers only.",
    }
]
STREAM_MAX_TOKENS = 64
#: Bounds on what one analysis keeps, whatever the stream sends (counters cover the rest).
KEEP_OFFSETS = 2048
KEEP_TEXT = 64 * 1024
KEEP_EXAMPLES = 5


@dataclass
class StreamFacts:
    """What the SSE events of one streamed answer show.

    Fed one event at a time (:meth:`add`), in constant memory per event: the
    offsets and text are kept up to a bound, the counts and the timing
    (first/last content offset, largest gap) cover every event.
    """

    data_events: int = 0
    content_chunks: int = 0
    comments: int = 0
    done: bool = False
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    malformed: list[str] = field(default_factory=list)
    malformed_count: int = 0
    #: The first malformed line as the detail shows it (a message for a refused depth).
    malformed_shown: Msg | str | None = None
    #: Damaged text: ``{"kind": "invalid_utf8", "sample": …}`` or ``{"kind": "U+FFFD"}``.
    garbled: list[dict[str, str]] = field(default_factory=list)
    error_event: dict[str, Any] | None = None
    #: Offsets of the first KEEP_OFFSETS content chunks.
    content_offsets: list[float] = field(default_factory=list)
    first_offset: float | None = None
    last_offset: float | None = None
    max_gap: float | None = None
    #: The first KEEP_TEXT characters of the answer, as delta pieces (joined on demand).
    pieces: list[str] = field(default_factory=list)
    text_len: int = 0
    #: No Content-Type header: the body was parsed as SSE after the fact.
    untyped: bool = False

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def add(self, ev: SseEvent) -> None:
        """Account for one event (comments, stray lines and the drop marker included)."""
        if ev.comment:
            self.comments += 1
            return
        if ev.event in ("stray", DROPPED):
            if ev.event == "stray":
                for ln in ev.data.splitlines():
                    if ln.strip():
                        self._malformed(ln)
            return
        self.data_events += 1
        data = ev.data.strip()
        if data == "[DONE]":
            self.done = True
            return
        if ev.event == "invalid_utf8" and len(self.garbled) < KEEP_EXAMPLES:
            self.garbled.append({"kind": "invalid_utf8", "sample": short(data[:400], 80)})
        got = safe_json.parse(data)
        if got.too_deep:
            deep = msg("check.stream.malformed_deep", depth=got.too_deep)
            self._malformed(render(deep, "en"), deep)
            return
        obj = got.value
        if not isinstance(obj, dict):
            self._malformed("data: " + short(data[:400], 120))
            return
        if obj.get("error"):
            err = obj["error"]
            self.error_event = err if isinstance(err, dict) else {"message": err}
            return
        if isinstance(obj.get("usage"), dict):
            self.usage = obj["usage"]
        for choice in obj.get("choices") or []:
            if isinstance(choice, dict):
                self._choice(choice, ev)

    def _choice(self, choice: dict[str, Any], ev: SseEvent) -> None:
        if choice.get("finish_reason"):
            self.finish_reason = choice["finish_reason"]
        delta = choice.get("delta") or {}
        if not isinstance(delta, dict):
            return
        piece = delta.get("content") or delta.get("reasoning_content") or ""
        if not piece:
            return
        piece = str(piece)
        off = ev.offset_ms
        self.content_chunks += 1
        if self.last_offset is not None and (
            self.max_gap is None or off - self.last_offset > self.max_gap
        ):
            self.max_gap = off - self.last_offset
        if self.first_offset is None:
            self.first_offset = off
        self.last_offset = off
        if len(self.content_offsets) < KEEP_OFFSETS:
            self.content_offsets.append(off)
        if self.text_len < KEEP_TEXT:
            self.pieces.append(piece[: KEEP_TEXT - self.text_len])
            self.text_len += len(self.pieces[-1])
        if "\ufffd" in piece and ev.event != "invalid_utf8" and len(self.garbled) < KEEP_EXAMPLES:
            # The piece is shown only masked with the text around it (see evidence()).
            self.garbled.append({"kind": "U+FFFD"})

    def _malformed(self, line: str, shown: Msg | None = None) -> None:
        self.malformed_count += 1
        if self.malformed_shown is None:
            self.malformed_shown = shown or short(line, 100)
        if len(self.malformed) < KEEP_EXAMPLES:
            self.malformed.append(line)

    def evidence(self) -> dict[str, Any]:
        first, last = self.first_offset, self.last_offset
        out: dict[str, Any] = {
            "events": self.data_events,
            "content_chunks": self.content_chunks,
            "comments_ignored": self.comments,
            "done": self.done,
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            "first_token_ms": round(first, 1) if first is not None else None,
            "max_gap_ms": round(self.max_gap, 1) if self.max_gap is not None else None,
            "spread_ms": round(last - first, 1) if first is not None and last is not None else None,
            # Masked as a whole before it is cut: a key split over several deltas
            # is found in the assembled text, and no piece of it survives the cut.
            "text": short(mask(self.text), 120),
        }
        if self.malformed:
            out["malformed_lines"] = self.malformed[:KEEP_EXAMPLES]
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
    """Walk the recorded SSE events of ``ex`` (linear in their number)."""
    f = StreamFacts()
    events, f.untyped = events_of(ex)
    for ev in events:
        f.add(ev)
    return f


def stream_fields() -> dict[str, Any]:
    """The end of the streamed probe's body (also sent ahead by the engine)."""
    return {
        "messages": STREAM_MESSAGES,
        "max_tokens": STREAM_MAX_TOKENS,
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def stream_options(ctx: Context) -> dict[str, Any]:
    """How the probe is sent: streamed, with twice the per-request limit for the whole answer."""
    return {"stream": True, "total_timeout": step_limit("stream", ctx.target)}


class LiveFacts:
    """Feeds :class:`StreamFacts` as events arrive (``on_sse``), so every event counts.

    The exchange keeps only the first and last events (sse_keep); the analysis
    must not depend on what was left out.
    """

    def __init__(self) -> None:
        self.facts = StreamFacts()

    def adopt(self, other: LiveFacts) -> None:
        """Read the facts of a request sent ahead with ``other`` as its callback."""
        self.facts = other.facts

    def __call__(self, pe: ParsedEvent, offset: float) -> None:
        event = "invalid_utf8" if pe.invalid_utf8 and pe.event is None else pe.event
        self.facts.add(SseEvent(offset, pe.data, event, pe.id, pe.comment))


def facts_of(ex: Exchange, live: LiveFacts) -> StreamFacts:
    """The live facts when the stream was parsed as it came, else an analysis of ``ex``."""
    if ex.sse_stats is not None:
        f = live.facts
        before = f.malformed_count
        for ev in ex.sse_events:  # stray lines are only known at the end
            if ev.event == "stray":
                f.add(ev)
        f.malformed_count = before + ex.sse_stats.stray_lines
        return f
    return analyse(ex)


async def check_stream(ctx: Context) -> CheckResult:
    """A streamed completion: status, content type, chunks, timing, ending."""
    done = Results("stream")
    live = LiveFacts()
    ex = await ctx.ping("stream", stream_fields(), on_sse=live, **stream_options(ctx))
    f = facts_of(ex, live)
    ev = done.evidence
    ev.update({"content_type": ex.content_type, "ttfb_ms": ex.timings.get("ttfb")})
    ev.update(f.evidence())

    def fail(code: str, detail: Msg, **kw: Any) -> CheckResult:
        return done(Status.FAIL, code, detail, facts=ex, **kw)

    if ex.status is None:
        return done.transport_failure(ex)
    info = info_of(ex)
    if not (200 <= ex.status < 300):
        code = {
            "rate_limited": "rate_limited",
            "quota": "insufficient",
            "gateway_error": "gateway_error",
        }.get(info.kind)
        if code is None:
            code = "gateway_error" if info.html else "server_error"
        return fail(code, http_said(info, ex.status), info=info)
    if f.untyped:
        ev["untyped"] = True  # no Content-Type header: parsed as SSE anyway
    ctype: Msg | str = ex.content_type or msg("check.stream.no_ctype")
    if ex.content_type != "text/event-stream" and not f.untyped:
        body = parse_json(ex)
        if isinstance(body, dict) and body.get("error"):
            said = msg("check.stream.error_json", status=ex.status, error=said_by(info))
            return fail("error_event", said, info=info)
        if isinstance(body, dict) and body.get("choices"):
            return fail("not_streamed", msg("check.stream.plain_json", ctype=ctype), charged=True)
        return fail("not_streamed", msg("check.stream.not_sse", ctype=ctype))
    if f.error_event:
        quoted = short(str(f.error_event.get("message") or f.error_event))
        return fail(
            "error_event", msg("check.stream.error_event", chunks=f.content_chunks, error=quoted)
        )
    if f.garbled:
        return fail("garbled", stream_words.garbled_msg(f.garbled[0]))
    if f.malformed:
        line = f.malformed_shown or short(f.malformed[0], 100)
        return fail("malformed", msg("check.stream.malformed", n=f.malformed_count, line=line))
    fl = flood(ex, f)
    if fl is not None:
        ev["flood"] = fl
        return fail("stalled" if fl["data_events"] else "timeout", flood_message(fl))
    if ex.error and f.data_events and is_timeout(ex):
        said = msg("check.stream.stalled", chunks=f.content_chunks, seconds=ctx.timeout)
        return fail("stalled", said)
    if ex.error and not f.data_events:
        said = msg("check.stream.no_data", error=transport_message(ex))
        return fail("timeout" if is_timeout(ex) else "interrupted", said)
    if ex.error:
        said = msg("check.stream.broke", chunks=f.content_chunks, error=transport_message(ex))
        return fail("interrupted", said)
    if not f.done and not f.finish_reason:
        return fail("interrupted", msg("check.stream.closed", chunks=f.content_chunks))
    # Arrival times mean nothing when the body was parsed after the fact (untyped).
    bf = None if f.untyped else buffering.judge(ev, ex, ctx.lag)
    if bf is not None:
        ev["buffering"] = bf.evidence()
        if bf.verdict == buffering.BUFFERED:
            # The gateway side first: the proxy's advice, when known, replaces its advice.
            gateway_side = stream_words.buffered_via(ex, ev)
            await buffered_by_proxy(ctx, ex, ev)
            said = bf.message(proxy=stream_words.buffered_by_proxy_message(ev), via=gateway_side)
            return fail("buffered", said)
    usage = f.usage or {}
    charged = bool(usage.get("total_tokens") or usage.get("completion_tokens")) or None
    notes: list[Msg] = [] if f.done else [msg("check.stream.note.no_done")]
    notes += [bf.note] if bf is not None and bf.note else []
    notes += [msg("check.stream.note.untyped")] if f.untyped else []
    said_notes = msg("check.stream.notes", notes=notes) if notes else ""
    if f.first_offset is not None:
        said = msg(
            "check.stream.ok",
            chunks=stream_words.chunks_msg(f.content_chunks),
            ms=f.first_offset,
            finish=f.finish_reason,
            notes=said_notes,
        )
    else:
        said = msg("check.stream.ok_no_token", finish=f.finish_reason, notes=said_notes)
    return done(Status.PASS, "ok", said, facts=ex, charged=charged)
