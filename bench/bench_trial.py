"""Benchmark: the whole roll-out trial vs. the same requests one after another with httpx.

The demo gateway answers after ``--latency`` ms (200 by default) and streams at
``--tokens-per-second``. The checklist runs first, untimed (the trial reuses it);
then the trial's nine stages are timed. The baseline replays, in the same run, every
request the trial made (same method, URL, body and streaming; the stream the recovery
stage aborts is aborted after the same number of chunks) one after another with a
plain ``httpx.Client``. Target (issue 16): trial / sequence ≤ 1.0.

    .venv/bin/python bench/bench_trial.py [--latency MS] [--tokens-per-second N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx

from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.trial.model import Settings
from tui.core.trial.runner import run_trial
from tui.core.trial.stages_more import ABORT_AFTER
from tui.demo.server import DEMO_KEY, DemoGateway

TARGET = 1.0


def timed_trial(target: Target) -> tuple[float, list[Exchange], str]:
    log = ExchangeLog()
    report = asyncio.run(run_checks(target, log, env={}))
    first = len(log)
    t0 = time.perf_counter()
    run, _ = asyncio.run(run_trial(target, log, Settings(), report=report, env={}))
    took = time.perf_counter() - t0
    return took, log.all()[first:], run.verdict


def replay(exchanges: list[Exchange]) -> float:
    """The same requests one after another with httpx (the key put back in)."""
    headers = {"Authorization": f"Bearer {DEMO_KEY}"}
    t0 = time.perf_counter()
    with httpx.Client(timeout=60, trust_env=False) as client:
        for ex in exchanges:
            hdrs = dict(headers)
            if ex.request_body:
                hdrs["Content-Type"] = "application/json"
            with client.stream(
                ex.method, ex.url, content=ex.request_body or None, headers=hdrs
            ) as r:
                if ex.error_kind == "aborted":
                    events = 0
                    for line in r.iter_lines():
                        events += line.startswith("data:") and '"content":"' in line
                        if events > ABORT_AFTER:
                            break
                else:
                    for _ in r.iter_bytes():
                        pass
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=200.0)
    ap.add_argument("--tokens-per-second", type=float, default=500.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    gw = DemoGateway(latency_ms=args.latency, tokens_per_second=args.tokens_per_second)
    gw.start_in_thread()
    try:
        target = Target(base_url=gw.base_url, api_key=DEMO_KEY, model="gpt-4o-mini",
                        trust_env=False, timeout=30.0)  # fmt: skip
        trials, seqs, ratios = [], [], []
        for i in range(args.runs):
            took, exchanges, verdict = timed_trial(target)
            seq = replay(exchanges)
            trials.append(took)
            seqs.append(seq)
            ratios.append(took / seq)
            print(f"run {i + 1}: trial {took:.2f} s ({verdict}, {len(exchanges)} requests), "
                  f"sequential httpx {seq:.2f} s, ratio {took / seq:.2f}")  # fmt: skip
        print(
            f"median: trial {statistics.median(trials):.2f} s vs sequential "
            f"{statistics.median(seqs):.2f} s at {args.latency:.0f} ms latency, "
            f"{args.tokens_per_second:.0f} tokens/s: ratio {statistics.median(ratios):.2f} "
            f"(target <= {TARGET})"
        )
    finally:
        gw.stop()
    return 0 if statistics.median(ratios) <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
