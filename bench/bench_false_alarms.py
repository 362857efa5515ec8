"""Benchmark: the false-alarm rate of `check` against healthy gateways (issue 20).

Runs the whole checklist (in-process engine) 50 times against each healthy
demo-gateway scenario, a few runs at once so that scheduling jitter is part of
the measurement, and prints per scenario the failures and warnings (target:
0 failures; a warning only where its detail says why a user should care), how
the stream probe judged buffering, and — as the same-run baseline — how many
of the same streams the old rule (>= 5 chunks within 25 ms after 250 ms)
would have failed as stream.buffered.

    .venv/bin/python bench/bench_false_alarms.py [--runs N] [--at-once K] [--tps T]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter

from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Report, Status, Target
from tui.core.net.exchange import ExchangeLog
from tui.demo.server import DEMO_KEY, DemoGateway

HEALTHY = (
    "healthy",
    "ping_comments",
    "short_burst",
    "single_event",
    "keepalive_first",
    "http10_stream",
    "no_balance",
    "very_fast",
    "slow_steady",
)


def old_rule_buffered(report: Report) -> bool:
    """The burst rule before issue 20, applied to this run's stream evidence."""
    ev = report.by_id("stream").evidence
    n, first, spread = ev.get("content_chunks") or 0, ev.get("first_token_ms"), ev.get("spread_ms")
    return n >= 5 and first is not None and spread is not None and spread <= 25 and first >= 250


async def bench(scenario: str, runs: int, at_once: int, tps: float) -> dict:
    # The scenario is the server default, so the balance endpoints at its root belong to it too.
    gw = DemoGateway(scenario=scenario, tokens_per_second=tps)
    await gw.start()
    sem = asyncio.Semaphore(at_once)
    target = Target(base_url=gw.base_url, api_key=DEMO_KEY, model="gpt-4o-mini", timeout=15,
                    trust_env=False)  # fmt: skip

    async def one() -> Report:
        async with sem:
            return await run_checks(target, ExchangeLog(), env={})

    t0 = time.perf_counter()
    try:
        reports = await asyncio.gather(*(one() for _ in range(runs)))
    finally:
        await gw.aclose()
    fails: Counter[str] = Counter()
    warns: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for r in reports:
        for c in r.checks:
            if c.status in (Status.FAIL, Status.WARN):
                (fails if c.status is Status.FAIL else warns)[c.code] += 1
                examples.setdefault(c.code, c.detail)
    verdicts = Counter(
        (r.by_id("stream").evidence.get("buffering") or {}).get("verdict", "-") for r in reports
    )
    return {
        "runs": runs,
        "seconds": time.perf_counter() - t0,
        "fails": fails,
        "warns": warns,
        "examples": examples,
        "verdicts": verdicts,
        "old_rule": sum(old_rule_buffered(r) for r in reports),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=50, help="checks per scenario (default 50)")
    ap.add_argument("--at-once", type=int, default=5, help="concurrent checks (default 5)")
    ap.add_argument("--tps", type=float, default=50.0, help="demo tokens/s (default 50)")
    args = ap.parse_args(argv)
    total_fail = total_warn = total_old = total_runs = 0
    print(
        f"{'scenario':<16} {'runs':>4} {'fail':>4} {'warn':>4} {'old rule':>8}  buffering verdicts"
    )
    for scenario in HEALTHY:
        res = asyncio.run(bench(scenario, args.runs, args.at_once, args.tps))
        n_fail, n_warn = sum(res["fails"].values()), sum(res["warns"].values())
        total_fail, total_warn = total_fail + n_fail, total_warn + n_warn
        total_old, total_runs = total_old + res["old_rule"], total_runs + res["runs"]
        verdicts = ", ".join(f"{v} {k}" for k, v in res["verdicts"].most_common())
        print(f"{scenario:<16} {res['runs']:>4} {n_fail:>4} {n_warn:>4} {res['old_rule']:>8}  "
              f"{verdicts}  ({res['seconds']:.1f} s)")  # fmt: skip
        for code, count in (res["fails"] + res["warns"]).most_common():
            print(f"    {count} × {code}: {res['examples'][code][:160]}")
    print(
        f"total: {total_fail} failures, {total_warn} warnings in {total_runs} runs; "
        f"the old burst rule would have failed {total_old} of the same streams "
        f"(rate {total_old / max(total_runs, 1):.3f} vs {total_fail / max(total_runs, 1):.3f})"
    )
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
