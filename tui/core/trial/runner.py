"""Runs the trial: the checklist first, then the stages, concurrent where independent.

::

    checklist ─► short ─► batch ─► stream ∥ long reply ∥ long context ∥ Chinese ∥ code ∥ multi-turn ─► recovery

Short confirms the basics; batch runs alone and finds the concurrency the gateway
allows, which then bounds the six stages that run side by side (at most ``--batch``
requests at a time); recovery runs alone at the end. A failed checklist step skips
the whole trial ("waits for …"), and a failed short stage skips the rest: one root
cause, not a wall of red. Results are shown in the note's order whatever ran first.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.diagnosis.checks.base import Context
from tui.core.diagnosis.model import Report, Status, Target
from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.exchange import ExchangeLog, now_iso
from tui.core.net.http import GatewayClient
from tui.core.safe.masking import mask
from tui.core.trial import stages as st
from tui.core.trial import stages_more as sm
from tui.core.trial.codes import STAGES
from tui.core.trial.model import Ctx, Settings, Slots, StageResult, TrialRun


@dataclass(slots=True)
class StageStarted:
    stage: str


@dataclass(slots=True)
class StageFinished:
    result: StageResult


TrialEvent = StageStarted | StageFinished

PARALLEL = ("stream", "long_reply", "long_context", "chinese", "code", "multi_turn")


def waits_for(report: Report) -> list[str]:
    """The codes of the checklist's failed steps (skipped steps name theirs)."""
    roots: list[str] = []
    for c in report.checks:
        if c.status is Status.FAIL:
            roots.append(c.code)
    return roots


def _waits_msg(codes: list[str]) -> Msg:
    """``waits for Authentication (auth.invalid_key)`` / ``… Short message (trial.short.empty)``."""
    parts = []
    for c in codes:
        head, _, rest = c.partition(".")
        name = msg(f"trial.stage.{rest.split('.')[0]}") if head == "trial" else msg(f"step.{head}")
        parts.append(msg("check.skip.root", step=name, code=c))
    return msg("check.skip.waits_for", roots=parts)


def skipped(stage: str, why: Msg, blocked: list[str]) -> StageResult:
    res = StageResult(stage, Status.SKIP, "trial.skipped", message=why)
    res.evidence["blocked_by"] = blocked
    return res


def _chat_url(target: Target, report: Report | None) -> str:
    base = target.base_url.strip()
    net = report.by_id("network") if report is not None else None
    if net is not None and net.evidence.get("effective_base_url"):
        base = str(net.evidence["effective_base_url"])
    return base.rstrip("/") + "/chat/completions"


def balance_reader(
    report: Report | None, target: Target, log: ExchangeLog, client: GatewayClient
) -> sm.BalanceReader | None:
    """Reads the balance the way the checklist's balance step did, when it read a number."""
    from tui.core.diagnosis.checks.balance_again import _AGAIN

    res = report.by_id("balance") if report is not None else None
    if res is None or res.evidence.get("remaining") is None or res.evidence.get("unlimited"):
        return None
    family = str(res.evidence.get("family") or "")
    if family not in _AGAIN:
        return None
    path, reader = _AGAIN[family]
    source = next(
        (
            e
            for e in (log.get(i) for i in res.exchanges)
            if e is not None and e.status == 200 and e.url.split("?")[0].endswith(path)
        ),
        None,
    )
    if source is None:
        return None
    root = source.url.split("?")[0][: -len(path)]
    ctx = Context(target=target, log=log, client=client, env=os.environ, base_url=target.base_url)

    async def read() -> float | None:
        try:
            finding = await asyncio.wait_for(reader(ctx, root), target.timeout + 1.0)
        except (TimeoutError, Exception):  # noqa: BLE001 - no figure is an answer too
            return None
        return finding.remaining

    return read


def _balance_unit(report: Report | None) -> str:
    res = report.by_id("balance") if report is not None else None
    return str(res.evidence.get("unit") or "") if res is not None else ""


async def run_trial(
    target: Target,
    log: ExchangeLog,
    settings: Settings | None = None,
    *,
    report: Report | None = None,
    on_event: Callable[[TrialEvent], None] | None = None,
    lang: str = "en",
    env: Mapping[str, str] | None = None,
) -> tuple[TrialRun, Report]:
    """Run the checklist (unless ``report`` is given), then the trial's stages."""
    settings = settings or Settings()
    if report is None:
        from tui.core.diagnosis.engine import run_checks

        report = await run_checks(target, log, lang=lang, env=env)
    run = TrialRun(target=target, started_at=now_iso(), settings=settings, stages=[])
    t0 = time.perf_counter()
    chosen = [s for s in STAGES if s in settings.stages]
    results: dict[str, StageResult] = {}

    def emit(event: TrialEvent) -> None:
        if on_event is not None:
            try:
                on_event(event)
            except Exception:  # noqa: BLE001 - a UI callback bug must not stop the trial
                pass

    def finish(res: StageResult) -> None:
        res.detail = render(res.message, lang) if res.message is not None else ""
        results[res.id] = res
        emit(StageFinished(res))

    roots = waits_for(report)
    if roots:
        run.waits_for = roots
        for s in chosen:
            finish(skipped(s, _waits_msg(roots), roots))
        run.stages = [results[s] for s in chosen]
        return run, report

    client = GatewayClient(target, log)
    ctx = Ctx(target, client, _chat_url(target, report), settings, Slots(settings.batch))

    async def one(stage: str, fn: Callable[[], Awaitable[StageResult]]) -> StageResult:
        emit(StageStarted(stage))
        try:
            res = await fn()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug in one stage must not hide the others
            error = mask(f"{type(exc).__name__}: {exc}")
            res = StageResult(
                stage, Status.FAIL, "trial.internal_error",
                message=msg("trial.detail.internal_error", error=error),
            )  # fmt: skip
        finish(res)
        return res

    fns: dict[str, Callable[[], Awaitable[StageResult]]] = {
        "short": lambda: st.stage_short(ctx),
        "stream": lambda: st.stage_stream(ctx),
        "long_reply": lambda: st.stage_long_reply(ctx),
        "long_context": lambda: st.stage_long_context(ctx),
        "chinese": lambda: st.stage_chinese(ctx),
        "code": lambda: st.stage_code(ctx),
        "multi_turn": lambda: sm.stage_multi_turn(ctx),
        "batch": lambda: sm.stage_batch(ctx),
        "recovery": lambda: sm.stage_recovery(
            ctx, balance_reader(report, target, log, client), _balance_unit(report)
        ),
    }
    try:
        for stage in ("short", "batch"):
            if stage in chosen and stage not in results:
                res = await one(stage, fns[stage])
                if stage == "short" and res.status is Status.FAIL:
                    why = _waits_msg([res.code])
                    for s in chosen:
                        if s not in results:
                            finish(skipped(s, why, [res.code]))
        if ctx.limit:
            ctx.slots.lower(ctx.limit)
        todo = [s for s in PARALLEL if s in chosen and s not in results]
        await asyncio.gather(*(one(s, fns[s]) for s in todo))
        if "recovery" in chosen and "recovery" not in results:
            await one("recovery", fns["recovery"])
    finally:
        await client.aclose()
    run.stages = [results[s] for s in chosen]
    run.duration_ms = round((time.perf_counter() - t0) * 1000, 1)
    return run, report


def interrupted_run(
    target: Target, settings: Settings, done: list[StageResult], started_at: str, ms: float
) -> TrialRun:
    """What a trial stopped by Ctrl-C measured: the finished stages, the rest not run."""
    by_id = {r.id: r for r in done}
    stages = []
    for s in (s for s in STAGES if s in settings.stages):
        res = by_id.get(s)
        if res is None:
            res = StageResult(s, Status.SKIP, "trial.skipped", message=msg("trial.detail.not_run"))
            res.detail = ""
        stages.append(res)
    run = TrialRun(target, started_at, settings, stages, duration_ms=round(ms, 1))
    run.interrupted = True
    return run


def record(run: TrialRun, result: dict[str, Any]) -> Msg | None:
    """Append the run to the history (issue 18); the warning to show when it could not
    be written (or unreadable lines were skipped), as ``check`` shows it; else None."""
    try:
        from tui.core import history  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    try:
        problem = history.record_run("trial", run.target, result)
    except Exception as exc:  # noqa: BLE001 - the history never stops a run
        return msg("history.not_written", reason=str(exc) or type(exc).__name__)
    return problem if isinstance(problem, Msg) else None
