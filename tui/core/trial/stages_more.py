"""The last three stages: multi-turn, batch and recovery.

Batch runs alone, right after the short stage: the concurrency limit it finds bounds
the stages after it (a gateway that allows two requests at a time would otherwise fail
them with 429s that say nothing about their own capability). Recovery runs alone at
the end: a slot kept busy by the aborted stream must not be blamed on another stage.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tui.core.diagnosis.model import Status
from tui.core.i18n.catalogue import msg
from tui.core.trial import prompts as p
from tui.core.trial import stages as st
from tui.core.trial.budget import money
from tui.core.trial.model import Ctx, StageResult
from tui.core.trial.stages import SHORT_MAX, failed, incomplete, result, retry_after, send
from tui.core.trial.talk import Reply, chat

#: How many content chunks the recovery stage reads before it aborts the stream.
ABORT_AFTER = 10
#: The longest Retry-After the recovery stage waits for a busy slot to free.
MAX_WAIT = 5.0
#: The aborted request's charge is looked for this long after the abort (s), reading
#: the balance every WATCH_EVERY s: "not billed" is only said after the whole window.
WATCH_FOR = 3.0
WATCH_EVERY = 0.5
_PARALLEL = re.compile(r"parallel|concurren|in flight|in-flight|并发")

#: Reads the balance (a float in the gateway's unit), or None; given by the runner.
BalanceReader = Callable[[], Awaitable[float | None]]


async def stage_multi_turn(ctx: Ctx) -> StageResult:
    history: list[dict[str, str]] = []
    replies: list[Reply] = []
    for turn in (p.TURN_1, p.TURN_2, p.TURN_3):
        history.append(p.user(turn))
        r = await send(ctx, "multi_turn", list(history), max_tokens=24)
        replies.append(r)
        if not r.ok:
            return failed("multi_turn", r, replies[:-1])
        if (cut := incomplete("multi_turn", r, replies[:-1])) is not None:
            return cut
        history.append({"role": "assistant", "content": r.text})
    figs = {"turns": 3, "total_ms": round(sum(r.ex.duration_ms for r in replies), 1)}
    if p.remembered(replies[-1].text):
        m = msg("trial.detail.multi_turn.ok", fact=p.FACT_WORD)
        return result("multi_turn", "ok", Status.PASS, m, replies, figs)
    m = msg("trial.detail.multi_turn.forgotten", fact=p.FACT_WORD, reply=replies[-1].text[:60])
    return result("multi_turn", "forgotten", Status.FAIL, m, replies, figs)


async def stage_batch(ctx: Ctx) -> StageResult:
    n = ctx.settings.batch
    t0 = time.perf_counter()

    async def one() -> Reply:
        return await chat(
            ctx.client, ctx.url, ctx.target.model, p.SHORT_PROMPT, step="trial.batch",
            max_tokens=SHORT_MAX,
        )  # fmt: skip

    replies = list(await asyncio.gather(*(one() for _ in range(n))))
    ok = [r for r in replies if r.ok]
    limited = [r for r in replies if r.ex.status == 429]
    times = sorted(r.ex.duration_ms for r in ok)
    waits = [w for w in (retry_after(r) for r in limited) if w is not None]
    figs: dict[str, Any] = {
        "ok": f"{len(ok)}/{n}",
        "rate_limited": len(limited) or None,
        "retry_after": max(waits) if waits else None,
        "min_ms": round(times[0], 1) if times else None,
        "median_ms": round(statistics.median(times), 1) if times else None,
        "max_ms": round(times[-1], 1) if times else None,
    }
    if not ok:
        return failed("batch", replies[0], replies[1:], **figs)
    if not limited:
        if len(ok) < n:
            bad = next(r for r in replies if not r.ok)
            return failed("batch", bad, [r for r in replies if r is not bad], **figs)
        m = msg(st.singular("trial.detail.batch.ok", n), n=n, spread=round(times[-1] - times[0], 1))
        return result("batch", "ok", Status.PASS, m, replies, figs, started=t0)
    words = " ".join((r.info.message if r.info else "") for r in limited).lower()
    if _PARALLEL.search(words) or not waits:
        ctx.limit = len(ok)
        figs["limit"] = len(ok)
        m = msg("trial.detail.batch.concurrency_limited", n=n, ok=len(ok), limit=len(ok))
        return result("batch", "concurrency_limited", Status.WARN, m, replies, figs, started=t0)
    m = msg("trial.detail.batch.rate_limited", n=n, ok=len(ok), seconds=max(waits))
    return result("batch", "rate_limited", Status.WARN, m, replies, figs, started=t0)


async def stage_recovery(
    ctx: Ctx, balance: BalanceReader | None = None, unit: str = ""
) -> StageResult:
    """``unit``: the balance's unit (the checklist's balance step read it)."""
    before = await balance() if balance is not None else None
    aborted = await send(
        ctx, "recovery", p.RECOVERY_PROMPT, max_tokens=400, stream=True, stop_after=ABORT_AFTER
    )
    if not aborted.aborted:
        if not aborted.ok:
            return failed("recovery", aborted)
        if (cut := incomplete("recovery", aborted)) is not None:
            return cut
        m = msg(
            st.singular("trial.detail.recovery.too_short", aborted.chunks), chunks=aborted.chunks
        )
        return result("recovery", "failed", Status.FAIL, m, [aborted])
    t = time.perf_counter()  # the abort
    retry = await send(ctx, "recovery", p.SHORT_PROMPT, max_tokens=SHORT_MAX, retry_429=False)
    replies = [aborted, retry]
    figs: dict[str, Any] = {"abort_after": aborted.chunks, "retry_ms": retry.total_ms}
    if not retry.ok:
        wait = retry_after(retry)
        if retry.ex.status == 429:
            freed = await _wait_free(ctx, wait, replies)
            figs["freed_s"] = round(time.perf_counter() - t, 1) if freed else None
            figs["retry_after"] = wait
            m = msg("trial.detail.recovery.slot_busy", said=_said(retry))
            return result("recovery", "slot_busy", Status.FAIL, m, replies, figs)
        m = msg("trial.detail.recovery.retry_failed", said=_said(retry))
        return result("recovery", "retry_failed", Status.FAIL, m, replies, figs)
    if aborted.complete:
        # The whole reply had arrived when the trial aborted: the gateway rightly
        # billed a complete reply, so whether an abort is billed cannot be told.
        figs["complete_before_abort"] = True
        m = msg("trial.detail.recovery.ok_complete", chunks=aborted.chunks, ms=retry.total_ms)
        return result("recovery", "ok", Status.PASS, m, replies, figs)
    if before is not None and balance is not None:
        billed, watched = await _aborted_cost(ctx, balance, before, replies, t)
        figs["watched_s"] = watched
        if billed is not None:
            figs["abort_cost"] = billed
            figs["abort_unit"] = unit or None
            if billed > 0:
                cost = f"{money(billed)} {unit}".strip()
                m = msg("trial.detail.recovery.billed_abort", cost=cost, watched=watched)
                return result("recovery", "billed_abort", Status.WARN, m, replies, figs)
            m = msg(
                "trial.detail.recovery.ok_not_billed",
                chunks=aborted.chunks, ms=retry.total_ms, watched=watched,
            )  # fmt: skip
            return result("recovery", "ok", Status.PASS, m, replies, figs)
    m = msg("trial.detail.recovery.ok", chunks=aborted.chunks, ms=retry.total_ms)
    return result("recovery", "ok", Status.PASS, m, replies, figs)


def _said(r: Reply) -> Any:
    from tui.core.trial.stages import said

    return said(r)


async def _wait_free(ctx: Ctx, wait: float | None, replies: list[Reply]) -> bool:
    """Wait what the gateway asked (at most MAX_WAIT) and try once more: freed or not."""
    await asyncio.sleep(min(MAX_WAIT, wait if wait is not None else 1.0))
    again = await send(ctx, "recovery", p.SHORT_PROMPT, max_tokens=SHORT_MAX, retry_429=False)
    replies.append(again)
    return again.ok


async def _watch(balance: BalanceReader, since: float, until_change: float | None) -> float | None:
    """Read the balance every WATCH_EVERY s until WATCH_FOR s after ``since``; with
    ``until_change``, stop at the first read that differs from it. A gateway charges
    when it notices the client left, which may come after the next request went out."""
    last = await balance()
    while last is not None and time.perf_counter() - since < WATCH_FOR:
        if until_change is not None and abs(last - until_change) > 1e-12:
            break
        await asyncio.sleep(min(WATCH_EVERY, max(0.0, WATCH_FOR - (time.perf_counter() - since))))
        last = await balance()
    return last


async def _aborted_cost(
    ctx: Ctx, balance: BalanceReader, before: float, replies: list[Reply], aborted_at: float
) -> tuple[float | None, float]:
    """What the aborted request cost, and how long the balance was watched (s): the drop
    across abort + retry once the window has passed, less one more request like the
    retry (measured the same way); None when it cannot be told."""
    settled = await _watch(balance, aborted_at, None)
    watched = round(time.perf_counter() - aborted_at, 1)
    if settled is None:
        return None, watched
    ref_reply = await send(ctx, "recovery", p.SHORT_PROMPT, max_tokens=SHORT_MAX)
    replies.append(ref_reply)
    after_ref = await _watch(balance, time.perf_counter(), settled)
    if after_ref is None or not ref_reply.ok:
        return None, watched
    one = before - settled - (settled - after_ref)
    tolerance = max(1e-9, abs(settled - after_ref) * 0.5)
    return (round(one, 6) if one > tolerance else 0.0), watched
