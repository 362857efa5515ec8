"""Benchmark: `check`'s wall time vs. the same requests made one after another.

Starts the demo gateway with 200 ms latency before every response, runs the
engine once (healthy scenario), then replays exactly the requests the engine
made, sequentially, with a bare httpx client. The engine runs independent
steps concurrently, so the ratio must be below 1.

    .venv/bin/python bench/bench_check.py [--latency MS] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

import httpx

from tui.core.engine import run_checks
from tui.core.exchange import ExchangeLog
from tui.core.model import Target
from tui.demo.server import DEMO_KEY, DemoGateway


async def engine_run(target: Target) -> tuple[float, ExchangeLog, str]:
    log = ExchangeLog()
    t0 = time.perf_counter()
    report = await run_checks(target, log)
    return time.perf_counter() - t0, log, report.verdict


def sequential_run(log: ExchangeLog) -> float:
    """Replay the engine's requests one after another (bodies read fully)."""
    headers = {"Authorization": f"Bearer {DEMO_KEY}"}
    t0 = time.perf_counter()
    with httpx.Client(timeout=30, trust_env=False) as client:
        for ex in log.all():
            body = ex.request_body or None
            h = dict(headers)
            if body:
                h["Content-Type"] = "application/json"
            with client.stream(ex.method, ex.url, content=body, headers=h) as resp:
                for _ in resp.iter_bytes():
                    pass
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=int, default=200, help="demo latency in ms (default 200)")
    ap.add_argument("--runs", type=int, default=3, help="repetitions (median is reported)")
    args = ap.parse_args(argv)
    gw = DemoGateway(latency_ms=args.latency)
    gw.start_in_thread()
    try:
        target = Target(base_url=gw.scenario_url("healthy"), api_key=DEMO_KEY,
                        model="gpt-4o-mini", timeout=15, trust_env=False)  # fmt: skip
        engine_times, seq_times, n_requests = [], [], 0
        for _ in range(args.runs):
            elapsed, log, verdict = asyncio.run(engine_run(target))
            if verdict != "pass":
                print(f"unexpected verdict {verdict!r}", file=sys.stderr)
            engine_times.append(elapsed)
            n_requests = len(log)
            seq_times.append(sequential_run(log))
    finally:
        gw.stop()
    e, s = statistics.median(engine_times), statistics.median(seq_times)
    print(f"demo gateway latency:        {args.latency} ms per response")
    print(f"requests per check run:      {n_requests}")
    print(f"gateway-doctor check engine: {e * 1000:8.0f} ms (median of {args.runs})")
    print(f"same requests sequentially:  {s * 1000:8.0f} ms (median of {args.runs})")
    print(
        f"ratio engine / sequential:   {e / s:8.2f}  ({'OK, below 1' if e < s else 'NOT below 1'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
