"""Runs the checklist: a small dependency graph, concurrent where it can be.

::

    config ─┬─ network ─┬─ auth ─┬─ balance ─┬─ stream
            └─ proxy ───┘        └─ model ───┘

Independent steps run concurrently (network ∥ proxy, balance ∥ model). When a
step fails, the steps that depend on it are ``skip`` with a detail naming what
they wait for: one root cause, not a cascade of red. Every request goes
through :class:`~tui.core.net.http.GatewayClient`, so it is bounded, recorded and
masked; the whole run is also capped so it ends whatever the server does.
When the balance step read a number and a completion was (or may have been)
charged, the balance is read once more at the end (one bounded round trip,
:mod:`~tui.core.diagnosis.checks.balance_again`), so "Charged" can show the delta.

The console and the CLI depend only on :func:`run_checks` and the two events.
``only`` re-runs a subset; results of the other checks come from ``previous``
(dependencies without a previous result are run too).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping

from tui.core.diagnosis.checks.auth import check_auth
from tui.core.diagnosis.checks.balance import check_balance, first_urls
from tui.core.diagnosis.checks.balance_again import read_again
from tui.core.diagnosis.checks.base import Context, skipped, span_ms
from tui.core.diagnosis.checks.config import check_config
from tui.core.diagnosis.checks.model import PING_FIELDS, check_model
from tui.core.diagnosis.checks.network import check_network
from tui.core.diagnosis.checks.overlap import Overlap
from tui.core.diagnosis.checks.proxy import check_proxy
from tui.core.diagnosis.checks.proxy_probe import url_problem
from tui.core.diagnosis.checks.stream import LiveFacts, check_stream, stream_fields, stream_options
from tui.core.diagnosis.codes import VOCABULARY
from tui.core.diagnosis.detail import localize
from tui.core.diagnosis.events import CheckFinished, CheckStarted, EngineEvent
from tui.core.diagnosis.model import CHECK_IDS, CheckResult, Report, Status, Target, run_limit
from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.exchange import Exchange, ExchangeLog, now_iso
from tui.core.net.http import GatewayClient
from tui.core.net.looplag import LoopLag
from tui.core.safe.masking import mask

#: What each check needs to have passed (or warned) before it can run.
DEPENDS: dict[str, tuple[str, ...]] = {
    "config": (),
    "network": ("config",),
    "proxy": ("config",),
    "auth": ("network", "proxy"),
    "balance": ("auth",),
    "model": ("auth",),
    "stream": ("model", "balance"),
}

CHECKS: dict[str, Callable[[Context], Awaitable[CheckResult]]] = {
    "config": check_config,
    "network": check_network,
    "proxy": check_proxy,
    "auth": check_auth,
    "balance": check_balance,
    "model": check_model,
    "stream": check_stream,
}


def _timeout_code(cid: str) -> str | None:
    """Code for a check cut off by the overall time cap, where its vocabulary has one."""
    return f"{cid}.timeout" if "timeout" in VOCABULARY[cid] else None


def overall_cap(target: Target) -> float:
    """The whole run's time limit (:func:`~tui.core.diagnosis.model.run_limit`)."""
    return run_limit(target)


def _closure(only: Iterable[str], previous: Report | None) -> set[str]:
    """``only`` plus every dependency that has no previous result to reuse."""
    todo = {c for c in only if c in CHECKS}
    stack = list(todo)
    while stack:
        cid = stack.pop()
        for dep in DEPENDS[cid]:
            if dep not in todo and (previous is None or previous.by_id(dep) is None):
                todo.add(dep)
                stack.append(dep)
    return todo


#: Results that say nothing either way about what depends on them: the balance could not
#: be read, or its check crashed (a bug of ours); the stream step runs all the same.
NOT_BLOCKING = frozenset({"balance.unknown", "balance.internal_error"})


def _blocks(res: CheckResult | None) -> bool:
    """Whether a result stops the checks that depend on it."""
    return (
        res is not None
        and res.status in (Status.FAIL, Status.SKIP)
        and res.code not in NOT_BLOCKING
    )


def _may_run(cid: str, todo: set[str], results: Mapping[str, CheckResult]) -> bool:
    """No result already known blocks ``cid`` (what runs in this run may still fail)."""
    for dep in DEPENDS[cid]:
        if dep in todo:
            if not _may_run(dep, todo, results):
                return False
        elif _blocks(results.get(dep)):
            return False
    return True


def send_ahead(ctx: Context, todo: set[str]) -> None:
    """Send the requests of the network, auth, model, balance and stream steps now.

    Called once config passes: the steps still interpret them in dependency
    order, and a step that is skipped leaves its request marked not needed.
    """
    proxy = ctx.target.proxy
    if proxy and url_problem(proxy):
        return  # the proxy step names the problem; nothing goes out through it
    wanted = {cid for cid in todo if _may_run(cid, todo, ctx.results)}
    # The longest first: the stream is the critical path of a healthy run.
    if "stream" in wanted:
        ctx.ping_ahead("stream", stream_fields(), sse_factory=LiveFacts, **stream_options(ctx))
    if "network" in wanted:
        ctx.ahead("GET", ctx.url("models"), step="network", auth=False)
    if "auth" in wanted:
        ctx.ahead("GET", ctx.url("models"), step="auth")
    if "model" in wanted:
        ctx.ping_ahead("model", dict(PING_FIELDS))
    if "balance" in wanted:
        for url in first_urls(ctx):
            ctx.ahead("GET", url, step="balance")


def _step(cid: str) -> Msg:
    """A step by its name in the catalogue (``Authentication`` / ``鉴权``)."""
    return msg(f"step.{cid}")


def _not_needed(ctx: Context, target: Target) -> Callable[[str], Msg]:
    def why(step: str) -> Msg:
        res = ctx.results.get(step)
        if res is None:
            return msg("check.overlap.why_ended")
        if res.status is Status.SKIP:
            said = res.message or res.evidence.get("detail_en") or res.detail
            return msg("check.overlap.why_skipped", step=_step(step), detail=said)
        if ctx.base_url.rstrip("/") != target.base_url.strip().rstrip("/"):
            return msg("check.overlap.why_moved", step=_step(step), url=ctx.base_url)
        return msg("check.overlap.why_unused", step=_step(step))

    return why


def _waits_for(roots: list[str], missing: list[str]) -> Msg:
    """``waits for Authentication (auth.invalid_key)``: the steps, and the codes that stop it."""
    parts = [msg("check.skip.root", step=_step(c.split(".")[0]), code=c) for c in roots]
    parts = parts or [msg("check.skip.step", step=_step(dep)) for dep in missing]
    return msg("check.skip.waits_for", roots=parts)


def _failed(cid: str, code: str, message: Msg) -> CheckResult:
    """A check that ended in failure without producing its own result."""
    return CheckResult(cid, Status.FAIL, code, detail=render(message, "en"), message=message)


async def _balance_again(ctx: Context, exchanges: list[Exchange]) -> None:
    """The balance read once more after the completions ("Charged" shows the delta)."""
    completions = [e for e in exchanges if e.step in CHECKS]
    try:
        await read_again(ctx, completions)
    except Exception:  # noqa: BLE001 - a bug here must not lose the run's results
        pass


def _restore(ctx: Context, previous: Report) -> None:
    """Facts later checks need from earlier results (effective URL, model list)."""
    net = previous.by_id("network")
    if net is not None and net.evidence.get("effective_base_url"):
        ctx.base_url = str(net.evidence["effective_base_url"])
    auth = previous.by_id("auth")
    if auth is not None and auth.status is not Status.FAIL:
        sample = auth.evidence.get("models")
        if isinstance(sample, list):
            ctx.models = [str(m) for m in sample]
        if auth.evidence.get("chat_status") is not None:
            ctx.models_endpoint = False


#: A step whose requests overlapped this much of our own loop running late (the console
#: building its screen, a loaded machine) says its timings include it.
LOOP_LATE_NOTED_MS = 50.0


def _late_ms(ctx: Context, spent: list[Exchange]) -> float:
    """How long our loop ran late while the step's requests were on the wire."""
    if ctx.lag is None or not spent:
        return 0.0
    t0 = min(e.perf_start for e in spent)
    t1 = max(e.perf_start + e.duration_ms / 1000 for e in spent)
    return ctx.lag.late_ms(t0, t1) if t0 > 0 else 0.0


async def run_checks(
    target: Target,
    log: ExchangeLog,
    on_event: Callable[[EngineEvent], None] | None = None,
    only: Iterable[str] | None = None,
    previous: Report | None = None,
    *,
    env: Mapping[str, str] | None = None,
    lang: str = "en",
) -> Report:
    """Run the checklist for ``target``; see the module docstring.

    ``env`` is the environment the proxy check reads (default ``os.environ``);
    ``lang="zh-CN"`` writes each detail in Chinese; its message (id and facts)
    stays on the result, so any language can be rendered from it later.
    """
    started_at = now_iso()
    t0 = time.perf_counter()
    todo = set(CHECK_IDS) if only is None else _closure(only, previous)
    client = GatewayClient(target, log)
    ctx = Context(
        target=target,
        log=log,
        client=client,
        env=os.environ if env is None else env,
        base_url=target.base_url.strip(),
    )
    if previous is not None and only is not None:
        _restore(ctx, previous)
        for cid in CHECK_IDS:
            prev = previous.by_id(cid)
            if cid not in todo and prev is not None:
                ctx.results[cid] = prev
    ctx.overlap = Overlap(client, log)
    ctx.lag = LoopLag()
    ctx.lag.start()
    first = len(log)
    loop = asyncio.get_running_loop()
    for cid in todo:
        ctx.futures[cid] = loop.create_future()
    if "config" not in todo and not _blocks(ctx.results.get("config")):
        send_ahead(ctx, todo)

    def emit(event: EngineEvent) -> None:
        if on_event is not None:
            try:
                on_event(event)
            except Exception:  # noqa: BLE001 - a UI callback bug must not stop the diagnosis
                pass

    def finish(res: CheckResult) -> CheckResult:
        localize(res, lang)
        spent = [e for e in map(log.get, res.exchanges) if e is not None]
        took = span_ms(spent)
        if took is not None and took > res.duration_ms:
            res.duration_ms = took  # the step's requests went out before its timer
        late = _late_ms(ctx, spent)
        if late >= LOOP_LATE_NOTED_MS:  # our own loop held (the console starting): said
            res.evidence["loop_late_ms"] = round(late)
        ctx.results[res.id] = res
        fut = ctx.futures[res.id]
        if not fut.done():
            fut.set_result(res)
        emit(CheckFinished(res))
        if res.id == "config" and not _blocks(res):
            send_ahead(ctx, todo)  # as soon as config passes, never when it fails
        return res

    async def run_one(cid: str) -> CheckResult:
        deps = [await ctx.result_of(d) for d in DEPENDS[cid]]
        blocking = [d for d in deps if d is not None and _blocks(d)]
        missing = [dep for dep, d in zip(DEPENDS[cid], deps, strict=True) if d is None]
        if blocking or missing:
            roots: list[str] = []
            for d in blocking:
                for code in d.evidence.get("blocked_by") or [d.code]:
                    if code not in roots:
                        roots.append(code)
            why = _waits_for(roots, missing)
            return finish(skipped(cid, why, evidence={"blocked_by": roots}))
        emit(CheckStarted(cid))
        t = time.perf_counter()
        try:
            res = await CHECKS[cid](ctx)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug in one check must not hide the others
            error = mask(f"{type(exc).__name__}: {exc}")  # it may quote the key
            fault = msg("check.engine.internal_error", step=_step(cid), error=error)
            res = _failed(cid, f"{cid}.internal_error", fault)
        if not res.duration_ms:
            res.duration_ms = round((time.perf_counter() - t) * 1000, 1)
        return finish(res)

    tasks = {cid: asyncio.create_task(run_one(cid), name=f"check-{cid}") for cid in todo}
    ended = False
    try:
        if tasks:
            _done, pending = await asyncio.wait(tasks.values(), timeout=overall_cap(target))
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        ended = True
    finally:
        for task in tasks.values():
            task.cancel()
        await ctx.lag.stop()
        try:
            await ctx.overlap.settle(_not_needed(ctx, target))
            if ended and "balance" in todo:
                await _balance_again(ctx, log.all()[first:])
        finally:
            await client.aclose()
    for cid in todo:
        if cid not in ctx.results:
            code = _timeout_code(cid)
            res = (
                _failed(cid, code, msg("check.skip.cap_failed", seconds=overall_cap(target)))
                if code
                else skipped(cid, msg("check.skip.cap"))
            )
            finish(res)
    not_run = msg("check.skip.not_run")
    checks = [ctx.results.get(cid) or skipped(cid, not_run) for cid in CHECK_IDS]
    return Report(
        target=target,
        started_at=started_at,
        duration_ms=round((time.perf_counter() - t0) * 1000, 1),
        checks=checks,
        proxy_in_use=target.proxy,
    )
