"""Benchmark: console launch → first frame → all checks done, vs ``gateway-doctor check``.

Both run as fresh subprocesses (imports included) against the demo gateway
started here on loopback. Prints the median of a few runs in milliseconds and
the ratio console / check for "all checks done" (same run, same gateway).
Usage: python bench/bench_console.py [--runs N] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = r"""
import json, sys, time
t_start = float(sys.argv[2])
from tui.core import masking
from tui.core.model import Target
from tui.demo.server import DEMO_KEY
from tui.ui.app import GatewayDoctorApp
masking.register_secret(DEMO_KEY)
marks = {}
app = GatewayDoctorApp(Target(base_url=sys.argv[1], api_key=DEMO_KEY, model="gpt-4o-mini",
                              timeout=10, trust_env=False), system_copy=lambda t: None)
async def pilot(p):
    marks["first_frame"] = time.time() - t_start
    while app.report is None:
        await p.pause(0.005)
    marks["checks_done"] = time.time() - t_start
    app.exit()
app.run(headless=True, auto_pilot=pilot, size=(140, 40))
print(json.dumps(marks))
"""


def console_once(url: str) -> dict[str, float]:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, url, repr(start)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    marks = json.loads(proc.stdout.strip().splitlines()[-1])
    marks["exit"] = time.time() - start
    return marks


def check_once(url: str) -> dict[str, float]:
    from tui.demo.server import DEMO_KEY

    env = {**os.environ, "OPENAI_API_KEY": DEMO_KEY, "NO_COLOR": "1"}
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        env.pop(name, None)
    start = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "check", "--base-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    proc.stdout.read(1)
    first = time.time() - start
    proc.communicate(timeout=120)
    return {"first_output": first, "exit": time.time() - start}


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", default="healthy")
    args = parser.parse_args()
    from tui.demo.server import DemoGateway

    gateway = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=2000)
    gateway.start_in_thread()
    try:
        url = gateway.scenario_url(args.scenario)
        console = [console_once(url) for _ in range(args.runs)]
        check = [check_once(url) for _ in range(args.runs)]
    finally:
        gateway.stop()
    print(
        f"demo gateway scenario {args.scenario!r}, median of {args.runs} runs (ms, from process launch)"
    )
    print(f"{'':28}{'first frame/output':>20}{'checks done':>14}{'exit':>10}")
    print(
        f"{'console (headless Textual)':28}{median(console, 'first_frame'):>20.0f}"
        f"{median(console, 'checks_done'):>14.0f}{median(console, 'exit'):>10.0f}"
    )
    print(
        f"{'gateway-doctor check':28}{median(check, 'first_output'):>20.0f}"
        f"{median(check, 'exit'):>14.0f}{median(check, 'exit'):>10.0f}"
    )
    ratio = median(console, "checks_done") / median(check, "exit")
    print(f"ratio console / check, checks done: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
