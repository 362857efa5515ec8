"""The first six stages: short, stream, long reply, long context, Chinese, code.

Each takes the trial's :class:`~tui.core.trial.model.Ctx` and returns one
:class:`~tui.core.trial.model.StageResult` whose code is ``trial.<stage>.<what>``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from tui.core.diagnosis.checks import retry_after as retry
from tui.core.diagnosis.checks.base import said as gateway_said
from tui.core.diagnosis.checks.base import transport_message
from tui.core.diagnosis.model import Status
from tui.core.i18n.catalogue import Msg, msg
from tui.core.trial import prompts as p
from tui.core.trial.model import Ctx, StageResult
from tui.core.trial.talk import Reply, chat

SHORT_MAX = 16
LONG_MAX = 2000
#: A reply cut this close to 100 s was cut by a proxy's 100 s limit (Cloudflare's).
LIMIT_100S = (95_000.0, 110_000.0)
#: The longest Retry-After a stage waits out before it sends once more.
MAX_429_WAIT = 5.0
#: How many times a stage sends a request again after a short 429.
RETRIES_429 = 3
#: Bisection steps of the long-context stage after a failure.
BISECT_STEPS = 8
#: The bisection refines at most this many steps once a size worked (to 1/32 of it).
REFINE_STEPS = 4


def said(reply: Reply) -> Msg:
    """What a failed request said: the HTTP status and the gateway's words, or the transport."""
    if reply.info is not None and reply.ex.status is not None:
        # The checklist's words, with the Retry-After said as a delay, a date or ignored.
        return msg(
            "check.http.status", status=reply.ex.status, said=gateway_said(reply.info),
            retry=retry.note(reply.info),
        )  # fmt: skip
    return transport_message(reply.ex)


def result(
    stage: str,
    what: str,
    status: Status,
    message: Msg,
    replies: Iterable[Reply],
    figures: dict[str, Any] | None = None,
    *,
    estimate_in: int = 30,
    started: float | None = None,
) -> StageResult:
    """A stage's result with the tokens its replies spent and their exchange ids."""
    rs = list(replies)
    figures = dict(figures or {})
    waited = [r.waited_429 for r in rs if r.waited_429 is not None]
    if waited:
        figures["waited_429"] = max(waited)
    elapsed = (
        round((time.perf_counter() - started) * 1000, 1)
        if started is not None
        else round(sum(r.ex.duration_ms for r in rs), 1)
    )
    return StageResult(
        id=stage,
        status=status,
        code=f"trial.{stage}.{what}",
        message=message,
        figures={k: v for k, v in figures.items() if v is not None},
        tokens_in=sum(r.tokens_in(estimate_in) for r in rs),
        tokens_out=sum(r.tokens_out() for r in rs if r.ok),
        elapsed_ms=elapsed,
        answered=sum(1 for r in rs if r.ok or r.aborted),
        exchanges=[r.ex.id for r in rs if r.ex.id],
    )


def singular(msg_id: str, n: int) -> str:
    """The singular variant (``…_one``: "1 chunk") when ``n`` is 1."""
    return f"{msg_id}_one" if n == 1 else msg_id


def failed(stage: str, reply: Reply, replies: Iterable[Reply] = (), **figures: Any) -> StageResult:
    figures.setdefault("http_status", reply.ex.status)
    m = msg("trial.detail.failed", said=said(reply))
    return result(stage, "failed", Status.FAIL, m, [reply, *replies], figures)


def incomplete(stage: str, r: Reply, replies: Iterable[Reply] = ()) -> StageResult | None:
    """A 2xx reply whose body did not complete, said as the transport's cause
    (``<stage>.timeout`` / ``<stage>.interrupted``); None when it completed. Asked first,
    so a stalled or never-ending reply is never judged for what it says."""
    if (over := oversized(stage, r, replies)) is not None:
        return over
    unfinished = r.streamed and not r.complete and not r.aborted  # closed at a clean EOF
    if not r.broken and not unfinished:
        return None
    what = "timeout" if "timeout" in (r.broken or "") else "interrupted"
    if r.streamed:
        m = msg(
            singular("trial.detail.incomplete_chunks", r.chunks), chunks=r.chunks, cause=_why_cut(r)
        )
    else:
        m = msg("trial.detail.incomplete", cause=_why_cut(r))
    figs = {"total_ms": r.total_ms, "chunks": r.chunks if r.streamed else None}
    return result(stage, what, Status.FAIL, m, [*replies, r], figs)


def oversized(stage: str, r: Reply, replies: Iterable[Reply] = ()) -> StageResult | None:
    """A reply far beyond the max_tokens asked for (``<stage>.oversized``, a warning):
    its content is not judged, and its size is said, not counted as tokens."""
    if not r.beyond:
        return None
    counted = r.usage.get("completion_tokens") or 0
    m = msg(
        "trial.detail.oversized", max_tokens=r.max_tokens, chars=r.chars,
        counted=msg("trial.oversized.counted", tokens=counted) if counted else "",
        stopped=msg("trial.oversized.stopped") if r.oversized else "",
    )  # fmt: skip
    figs = {"chars": r.chars, "usage_out": counted or None, "total_ms": r.total_ms}
    return result(stage, "oversized", Status.WARN, m, [*replies, r], figs)


def _why_cut(r: Reply) -> Msg:
    """The transport's cause of a reply that did not complete, in words."""
    kind = r.broken or ""
    if kind == "total_timeout":
        return msg("trial.cause.trial_limit", seconds=round(r.ex.duration_ms / 1000))
    if "timeout" in kind:
        return msg("trial.cause.idle", seconds=round(ctx_timeout(r), 1))
    if not kind or kind in ("remote_closed", "protocol", "incomplete", "closed"):
        return msg("trial.cause.closed")
    return transport_message(r.ex)


async def send(ctx: Ctx, stage: str, messages: Any, *, retry_429: bool = True, **kw: Any) -> Reply:
    """One request of ``stage`` within the trial's concurrency slots.

    A 429 whose Retry-After is short is waited out and the request sent again (at most
    :data:`RETRIES_429` times), with one slot fewer for every stage: a rate or
    concurrency limit is the batch stage's finding, not a fault of the stage that met it.
    """
    waited = 0.0
    for attempt in range(RETRIES_429 + 1):
        async with ctx.slots:
            busy = ctx.slots.busy
            r = await chat(
                ctx.client, ctx.url, ctx.target.model, messages, step=f"trial.{stage}", **kw
            )
        wait = retry_after(r)
        if not retry_429 or r.ex.status != 429 or wait is None or wait > MAX_429_WAIT:
            break
        if attempt == RETRIES_429:
            break
        ctx.slots.lower(busy - 1)
        await asyncio.sleep(wait)
        waited += wait
    if waited:
        r.waited_429 = waited
    return r


def retry_after(r: Reply) -> float | None:
    """The Retry-After of a refused request, in seconds (None when absent or unreadable)."""
    # A negative, NaN or absurd (over a day) delay is no delay to wait: not retried at once.
    return retry.seconds(r.info.retry_after if r.info is not None else None)


async def stage_short(ctx: Ctx) -> StageResult:
    r = await send(ctx, "short", p.SHORT_PROMPT, max_tokens=SHORT_MAX)
    if not r.ok:
        return failed("short", r)
    if (cut := incomplete("short", r)) is not None:
        return cut
    figs = {
        "ttft_ms": r.ttft_ms,
        "total_ms": r.total_ms,
        "usage_in": r.usage.get("prompt_tokens"),
        "usage_out": r.usage.get("completion_tokens"),
    }
    if not r.text.strip():
        return result("short", "empty", Status.FAIL, msg("trial.detail.short.empty"), [r], figs)
    m = msg("trial.detail.short.ok", ms=r.total_ms, reply=r.text.strip()[:40])
    return result("short", "ok", Status.PASS, m, [r], figs)


async def stage_stream(ctx: Ctx) -> StageResult:
    r = await send(ctx, "stream", p.SHORT_PROMPT, max_tokens=SHORT_MAX, stream=True)
    if not r.ok:
        return failed("stream", r)
    figs = {
        "ttft_ms": r.ttft_ms,
        "total_ms": r.total_ms,
        "chunks": r.chunks,
        "max_gap_ms": round(r.max_gap_ms, 1),
        "done": r.done,
    }
    if not r.streamed:
        m = msg("trial.detail.stream.not_streamed", ctype=r.ex.content_type or "-")
        return result("stream", "not_streamed", Status.FAIL, m, [r], figs)
    if (cut := incomplete("stream", r)) is not None:
        return cut
    if r.finish is None:
        m = msg(singular("trial.detail.stream.interrupted", r.chunks), chunks=r.chunks)
        return result("stream", "interrupted", Status.FAIL, m, [r], figs)
    if not r.done:
        m = msg(singular("trial.detail.stream.no_done", r.chunks), chunks=r.chunks)
        return result("stream", "no_done", Status.WARN, m, [r], figs)
    m = msg(
        singular("trial.detail.stream.ok", r.chunks), chunks=r.chunks, ms=r.ttft_ms or 0.0,
        gap=r.max_gap_ms,
    )  # fmt: skip
    return result("stream", "ok", Status.PASS, m, [r], figs)


def _cut_cause(r: Reply) -> Msg:
    """Why a long reply stopped mid-way, from when and how it stopped."""
    if LIMIT_100S[0] <= r.ex.duration_ms <= LIMIT_100S[1]:
        return msg("trial.cause.limit_100s")
    kind = r.ex.error_kind or ""
    stats = r.ex.sse_stats
    if kind == "total_timeout" and not r.chunks and stats is not None and stats.events:
        # Events kept coming, none with text: not a slow model but a stream we can't read.
        return msg(
            "trial.cause.our_limit_unread",
            seconds=round(r.ex.duration_ms / 1000),
            events=stats.events,
        )
    if kind == "total_timeout":
        return msg("trial.cause.our_limit", seconds=round(r.ex.duration_ms / 1000))
    if "timeout" in kind:
        return msg("trial.cause.idle", seconds=round(ctx_timeout(r), 1))
    return msg("trial.cause.closed")


def ctx_timeout(r: Reply) -> float:
    last = r.last_ms or 0.0
    return max(0.0, (r.ex.duration_ms - last) / 1000)


async def stage_long_reply(ctx: Ctx) -> StageResult:
    limit = max(ctx.target.timeout * 4, 150.0)
    r = await send(
        ctx, "long_reply", p.LONG_REPLY_PROMPT, max_tokens=LONG_MAX, stream=True, timeout=limit
    )
    if not r.ok:
        return failed("long_reply", r)
    if (over := oversized("long_reply", r)) is not None:
        return over
    n = r.usage.get("completion_tokens") or r.chunks
    figs = {
        "tokens": n,
        "tokens_per_s": r.tokens_per_s(),
        "ttft_ms": r.ttft_ms,
        "total_ms": r.total_ms,
        "max_gap_ms": round(r.max_gap_ms, 1),
        "finish": r.finish or "-",
    }
    seconds = round(r.ex.duration_ms / 1000, 1)
    if r.broken or r.finish is None:
        m = msg(
            singular("trial.detail.long_reply.cut", n),
            tokens=n,
            seconds=seconds,
            cause=_cut_cause(r),
        )
        return result("long_reply", "cut", Status.FAIL, m, [r], figs)
    if r.finish == "length":  # cut by a token limit below what was asked
        m = msg(singular("trial.detail.long_reply.limited", n), tokens=n)
        return result("long_reply", "limited", Status.WARN, m, [r], figs)
    if p.LONG_REPLY_END not in r.text:  # ended on its own (stop, content_filter …) early
        m = msg(singular("trial.detail.long_reply.stopped_early", n), tokens=n, finish=r.finish)
        return result("long_reply", "stopped_early", Status.WARN, m, [r], figs)
    m = msg("trial.detail.long_reply.ok", tokens=n, rate=r.tokens_per_s() or 0.0)
    return result("long_reply", "ok", Status.PASS, m, [r], figs)


#: What gateways say when a prompt is over the model's context (OpenAI, vLLM, new-api).
_CONTEXT_WORDS = ("context_length", "maximum context", "too long")  # not-ui-text: gateway words


def _context_verdict(r: Reply) -> str:
    """``ok``, or which limit a long prompt hit."""
    if r.ex.status == 413:
        return "body_limit"
    if not r.ok:
        info = r.info
        words = f"{info.code or ''} {info.message}".lower() if info else ""
        if any(w in words for w in _CONTEXT_WORDS):
            return "context_limit"
        return "failed"
    start, end = p.context_seen(r.text)
    return "ok" if start and end else "truncated"


async def _context_try(ctx: Ctx, tokens: int) -> Reply:
    return await send(ctx, "long_context", p.context_prompt(tokens), max_tokens=64)


async def _largest_ok(ctx: Ctx, size: int, tries: list[Reply]) -> tuple[int, int]:
    """The largest size that works, ``(lo, hi)``: halve until one works, then bisect
    between the last failing and the last working size until they are within 1/32 of
    each other; at most BISECT_STEPS requests, so any ``--context`` gives about the
    same answer (halving alone gave 3,584 from 8,192 but 2,000 from 32,000)."""
    lo, hi = 0, size
    for _ in range(BISECT_STEPS):
        mid = hi // 2 if lo == 0 else (lo + hi) // 2
        if mid < 64 or (lo and hi - lo <= max(64, hi // 32)):
            break
        r = await _context_try(ctx, mid)
        tries.append(r)
        if _context_verdict(r) == "ok":
            lo = mid
        else:
            hi = mid
    return lo, hi


async def stage_long_context(ctx: Ctx) -> StageResult:
    size = ctx.settings.context_size()
    first = await _context_try(ctx, size)
    if (cut := incomplete("long_context", first)) is not None:
        return cut
    what = _context_verdict(first)
    est = p.context_tokens_estimate(size)
    figs: dict[str, Any] = {
        "size": size,
        "body_kb": round(len(first.ex.request_body) / 1024, 1),
        "total_ms": first.total_ms,
    }
    if what == "ok":
        m = msg("trial.detail.long_context.ok", size=size)
        return result("long_context", "ok", Status.PASS, m, [first], figs, estimate_in=est)
    if what == "failed":
        return failed("long_context", first, size=size)
    tries = [first]
    lo, hi = await _largest_ok(ctx, size, tries)
    figs["first_try_ms"] = figs.pop("total_ms")  # the row's time is the whole search
    figs["largest_ok"] = lo or None
    works = (
        msg("trial.detail.long_context.works", size=lo) if lo else msg("trial.detail.none_worked")
    )
    m = msg(f"trial.detail.long_context.{what}", size=size, kb=figs["body_kb"], works=works)
    status = Status.FAIL
    res = result("long_context", what, status, m, tries, figs, estimate_in=est)
    res.evidence["largest_ok"] = lo
    return res


async def stage_chinese(ctx: Ctx) -> StageResult:
    r = await send(ctx, "chinese", p.CHINESE_PROMPT, max_tokens=200, stream=True)
    if not r.ok:
        return failed("chinese", r)
    if (cut := incomplete("chinese", r)) is not None:
        return cut
    v = p.judge_chinese(r.text)
    figs = {"total_ms": r.total_ms, "chars": len(r.text.strip())}
    status = {"ok": Status.PASS, "changed": Status.WARN}.get(v.what, Status.FAIL)
    m = msg(f"trial.detail.chinese.{v.what}", sample=v.sample)
    return result("chinese", v.what, status, m, [r], figs, estimate_in=60)


async def stage_code(ctx: Ctx) -> StageResult:
    r = await send(ctx, "code", p.CODE_PROMPT, max_tokens=300)
    if not r.ok:
        return failed("code", r)
    if (cut := incomplete("code", r)) is not None:
        return cut
    v = p.judge_code(r.text)
    figs = {"total_ms": r.total_ms, "chars": len(r.text)}
    status = {"ok": Status.PASS, "changed": Status.WARN}.get(v.what, Status.FAIL)
    m = msg(f"trial.detail.code.{v.what}", sample=v.sample)
    return result("code", v.what, status, m, [r], figs, estimate_in=80)
