"""Benchmark: probing 40 models (``gateway-doctor models --probe``) at concurrency 4.

The demo gateway (scenario ``many_models``) answers each request after 200 ms. With
4 requests in flight the floor is 40/4 × 0.2 s = 2.0 s; the issue's bound is 1.3× that.
Measured in the same run: the probe engine (in process, the same code the command
runs), the same 40 one-token requests made with plain httpx 4 at a time (what any
client would take), and the whole command as a fresh process (start-up, the model
list and /api/pricing included).

    .venv/bin/python bench/bench_models.py [--latency MS] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tui.core.diagnosis.checks.base import PING_MESSAGES
from tui.core.diagnosis.model import Target
from tui.core.models.probe import probe_models
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.demo.model_mix import MANY
from tui.demo.server import DEMO_KEY, DemoGateway

ROOT = Path(__file__).resolve().parent.parent
MODELS, CONCURRENCY, BOUND = list(MANY), 4, 1.3


async def engine(base: str) -> float:
    target = Target(base_url=base, api_key=DEMO_KEY, model="x", timeout=30, trust_env=False)
    t0 = time.perf_counter()
    async with GatewayClient(target, ExchangeLog()) as client:
        got = await probe_models(client, MODELS, concurrency=CONCURRENCY)
    took = time.perf_counter() - t0
    assert all(r.status == "pass" for r in got), [r.code for r in got if r.status != "pass"]
    return took


async def plain_httpx(base: str) -> float:
    sem = asyncio.Semaphore(CONCURRENCY)
    headers = {"Authorization": f"Bearer {DEMO_KEY}"}
    t0 = time.perf_counter()
    async with httpx.AsyncClient(trust_env=False, timeout=30, headers=headers) as client:

        async def one(model: str) -> None:
            async with sem:
                body = {"model": model, "messages": PING_MESSAGES, "max_tokens": 1}
                r = await client.post(f"{base}/chat/completions", json=body)
                r.raise_for_status()

        await asyncio.gather(*(one(m) for m in MODELS))
    return time.perf_counter() - t0


def command(base: str) -> float:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        GATEWAY_DOCTOR_API_KEY=DEMO_KEY,
        NO_COLOR="1",
        GATEWAY_DOCTOR_STATE_DIR="/tmp/gd-bench-state",
    )
    argv = [sys.executable, "-m", "tui", "models", "--base-url", base, "--probe", "--yes",
            "--match", "demo-model-*", "--concurrency", str(CONCURRENCY), "--json"]  # fmt: skip
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=200.0, help="gateway latency, ms")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    gw = DemoGateway(scenario="many_models", latency_ms=args.latency, tokens_per_second=2000)
    gw.start_in_thread()
    try:
        base = gw.base_url
        floor = len(MODELS) / CONCURRENCY * args.latency / 1000
        eng, raw, cmd = [], [], []
        for _ in range(args.runs):
            eng.append(asyncio.run(engine(base)))
            raw.append(asyncio.run(plain_httpx(base)))
            cmd.append(command(base))
    finally:
        gw.stop()
    e, r, c = (statistics.median(x) for x in (eng, raw, cmd))
    print(f"{len(MODELS)} models, concurrency {CONCURRENCY}, gateway latency {args.latency:.0f} ms, "
          f"median of {args.runs} runs")  # fmt: skip
    print(f"  floor 40/4 x {args.latency / 1000:g} s            {floor:6.3f} s")
    print(f"  plain httpx, 4 at a time       {r:6.3f} s  ({r / floor:.2f}x floor)")
    print(f"  probe engine (in process)      {e:6.3f} s  ({e / floor:.2f}x floor; "
          f"bound {BOUND}x: {'PASS' if e / floor <= BOUND else 'FAIL'}; {e / r:.2f}x httpx)")  # fmt: skip
    print(f"  gateway-doctor models --probe  {c:6.3f} s  ({c / floor:.2f}x floor, whole process: "
          "start-up, /models and /api/pricing included)")  # fmt: skip
    return 0 if e / floor <= BOUND else 1


if __name__ == "__main__":
    raise SystemExit(main())
