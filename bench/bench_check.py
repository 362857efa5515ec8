"""Benchmark: `gateway-doctor check` against the same 5 requests made by hand with curl.

Whole processes, same runs: ``gateway-doctor check`` (a fresh Python process,
start-up included) vs. five ``curl`` processes one after another, and vs. the
same five started at once (the floor: nothing can be faster than the slowest
of them). The demo gateway answers after 200 ms and streams at
``--tokens-per-second``.

The 5 requests are one per step, as a person checks a gateway by hand:
``GET /models`` without the key (network), ``GET /models`` with it (auth),
the model ping (``POST /chat/completions``, the body ``check`` sends), one
balance read (``GET /dashboard/billing/subscription``: someone who knows the
gateway reads one endpoint, while ``check`` tries each family's, 6 requests),
and the streamed probe (``check``'s body, read to the end). ``check`` sends
10 requests; the extra ones are balance reads of other gateway families.

Since issue 15, ``check`` also reads the balance again once the completions are
done, to show what the run cost ("balance 87.66 -> 87.659 USD"): a sixth request
that cannot start before the stream ends. So the figures are printed twice: against
the 5 requests issue 14 named, and against the same 6 by hand (the re-read last in
the sequential run, and after the 5 parallel ones in the parallel run).

    .venv/bin/python bench/bench_check.py [--latency MS] [--tokens-per-second N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tui.core.diagnosis.checks.base import PING_MESSAGES
from tui.core.diagnosis.checks.model import PING_FIELDS
from tui.core.diagnosis.checks.stream import stream_fields
from tui.demo.server import DEMO_KEY, DemoGateway

CURL = "/usr/bin/curl"
ROOT = Path(__file__).resolve().parent.parent
TARGET_SEQUENTIAL, TARGET_PARALLEL = 0.6, 1.5


def curl_commands(base: str) -> list[list[str]]:
    """The 5 requests (see the module docstring), as curl command lines."""
    common = [CURL, "-sS", "-o", "/dev/null", "--max-time", "30"]
    key = ["-H", f"Authorization: Bearer {DEMO_KEY}"]
    post = ["-H", "Content-Type: application/json", "--data-raw"]
    ping = {"model": "gpt-4o-mini", "messages": PING_MESSAGES, **PING_FIELDS}
    stream = {"model": "gpt-4o-mini", "messages": PING_MESSAGES, **stream_fields()}
    return [
        [*common, f"{base}/models"],
        [*common, *key, f"{base}/models"],
        [*common, *key, *post, json.dumps(ping), f"{base}/chat/completions"],
        [*common, *key, f"{base}/dashboard/billing/subscription"],
        [*common, "-N", *key, *post, json.dumps(stream), f"{base}/chat/completions"],
    ]


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    out.update(GATEWAY_DOCTOR_API_KEY=DEMO_KEY, NO_COLOR="1")
    out.pop("OPENAI_API_KEY", None)
    # An installed tool has its bytecode compiled; the unmeasured first run writes it.
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


def run_check(base: str) -> float:
    cmd = [sys.executable, "-m", "tui", "check", "--base-url", base, "--timeout", "15"]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env(), cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if res.returncode != 0:
        print(f"check exited {res.returncode}:\n{res.stdout}{res.stderr}", file=sys.stderr)
    return elapsed


def run_sequential(cmds: list[list[str]], after: list[list[str]]) -> tuple[float, float]:
    """Seconds for ``cmds`` one after another, and with ``after`` run next."""
    t0 = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, check=True, env=env())
    five = time.perf_counter() - t0
    for cmd in after:
        subprocess.run(cmd, check=True, env=env())
    return five, time.perf_counter() - t0


def run_parallel(cmds: list[list[str]], after: list[list[str]]) -> tuple[float, float]:
    """Seconds for ``cmds`` all at once, and with ``after`` started when they are done."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(cmd, env=env()) for cmd in cmds]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"curl failed: {p.args}")
    five = time.perf_counter() - t0
    for cmd in after:
        subprocess.run(cmd, check=True, env=env())
    return five, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=int, default=200, help="demo latency in ms (default 200)")
    ap.add_argument(
        "--tokens-per-second",
        type=float,
        default=150,
        help="demo streaming speed (default 150: the 64-token probe streams for about 0.4 s)",
    )
    ap.add_argument("--runs", type=int, default=5, help="repetitions (medians are reported)")
    args = ap.parse_args(argv)
    if not os.access(CURL, os.X_OK):
        print(f"{CURL} is needed for this benchmark", file=sys.stderr)
        return 2
    gw = DemoGateway(latency_ms=args.latency, tokens_per_second=args.tokens_per_second)
    gw.start_in_thread()
    try:
        base = gw.scenario_url("healthy")
        cmds = curl_commands(base)
        reread = [cmds[3]]  # the balance read again once the completions are done
        run_check(base)  # warm the file cache once, not measured
        checks, seqs, pars, seqs6, pars6 = [], [], [], [], []
        for _ in range(args.runs):
            checks.append(run_check(base))
            five, six = run_sequential(cmds, reread)
            seqs.append(five)
            seqs6.append(six)
            five, six = run_parallel(cmds, reread)
            pars.append(five)
            pars6.append(six)
    finally:
        gw.stop()
    c, s, p, s6, p6 = (statistics.median(x) for x in (checks, seqs, pars, seqs6, pars6))
    print(f"demo gateway:                 {args.latency} ms per response, "
          f"{args.tokens_per_second:g} tokens/s")  # fmt: skip
    print(
        f"gateway-doctor check:         {c * 1000:6.0f} ms (whole process, median of {args.runs})"
    )
    print(
        f"5 curls one after another:    {s * 1000:6.0f} ms   + the balance re-read: {s6 * 1000:6.0f} ms"
    )
    print(
        f"5 curls at once:              {p * 1000:6.0f} ms   + the balance re-read: {p6 * 1000:6.0f} ms"
    )
    print("against the 6 requests check sends (the 5 and the balance read again at the end):")
    report(c / s6, c / p6)
    print("against the 5 requests issue 14 named (before check read the balance again):")
    report(c / s, c / p)
    return 0


def report(sequential: float, parallel: float) -> None:
    for name, ratio, target in (
        ("  check / sequential curls", sequential, TARGET_SEQUENTIAL),
        ("  check / parallel curls", parallel, TARGET_PARALLEL),
    ):
        verdict = "OK" if ratio <= target else "NOT met"
        print(f"{name + ':':<29} {ratio:6.3f}  (target <= {target}: {verdict})")


if __name__ == "__main__":
    raise SystemExit(main())
