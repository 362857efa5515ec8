"""Benchmark: what the run history adds to a ``check`` run (issue 18).

In one process, against the demo gateway on loopback, with 10,000 runs already in
the history: ``check`` runs with the history switched off (the baseline), and
with it on (append one record + find the last passing run + compute the diff +
render the "since" line). Prints the median of each, the difference (target:
under 50 ms) and the ratio, and the cost of the history step alone, timed
directly. The 10,000 runs are real records of this gateway, passing ones far
back (the worst case for the backwards search is a long run of failures).

Run: ``.venv/bin/python bench/bench_history.py`` (exit status 1 if the limit fails).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

LIMIT_MS = 50.0
RUNS = 15
HISTORY = 10_000
KEY = "sk-bench-history-0000-1111-2222-3333"


def _fill(directory: Path, base_url: str) -> None:
    """10,000 records of this gateway: one passing run, then 9,999 failures."""
    from tui.commands import check as _check  # noqa: F401 - same imports as a run
    from tui.core.diagnosis.model import Target
    from tui.core.history.record import build_record

    target = Target(base_url=base_url, api_key=KEY, model="gpt-4o-mini")
    steps = [
        {"id": c, "status": "pass", "code": f"{c}.ok", "duration_ms": 40.0,
         "evidence": {"dns": {"addresses": ["127.0.0.1"]}, "http": {"server": "x"}}}
        for c in ("config", "network", "proxy", "auth", "balance", "model", "stream")
    ]  # fmt: skip
    good = json.dumps(build_record("check", target, {"verdict": "pass", "checks": steps}))
    bad = json.dumps(build_record("check", target, {"verdict": "fail", "checks": steps}))
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / "history.jsonl", "w", encoding="utf-8") as fh:
        fh.write(good + "\n" + (bad + "\n") * (HISTORY - 1))
    os.chmod(directory / "history.jsonl", 0o600)


def _check(base_url: str) -> float:
    from tui.cli import main

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        main(["check", "--base-url", base_url])
    return (time.perf_counter() - t0) * 1000


def main() -> int:
    state = Path(tempfile.mkdtemp(prefix="gd-bench-history-"))
    os.environ["GATEWAY_DOCTOR_STATE_DIR"] = str(state)
    os.environ["GATEWAY_DOCTOR_API_KEY"] = KEY
    from tui.commands import check
    from tui.core import history
    from tui.demo.server import DemoGateway

    gw = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=5000)
    gw.start_in_thread()
    try:
        gw.scenario = "no_channel"  # failing runs: the last passing one stays far back
        _fill(state, gw.base_url)
        real_record = check.record
        _check(gw.base_url)  # warm-up: imports, connections
        without, with_history, alone = [], [], []
        for _ in range(RUNS):
            check.record = lambda *a, **k: None  # type: ignore[assignment]
            without.append(_check(gw.base_url))
            check.record = real_record
            with_history.append(_check(gw.base_url))
        # the history step alone, on a failing report (the search goes all the way back)
        from tui.core.diagnosis.model import CheckResult, Report, Status, Target

        failed = CheckResult("model", Status.FAIL, "model.unavailable")
        report = Report(Target(base_url=gw.base_url, api_key=KEY), "", 0.0, [failed])
        for _ in range(RUNS):
            t0 = time.perf_counter()
            comparison, _problem = history.record_and_compare(
                "check", report.target, history.report_result(report)
            )
            history.since_message(comparison, "fail")
            alone.append((time.perf_counter() - t0) * 1000)
    finally:
        gw.stop()
    lines = sum(1 for p in history.store.files(state) if p.exists() for _ in open(p, "rb"))
    base, full = statistics.median(without), statistics.median(with_history)
    step = statistics.median(alone)
    added = full - base
    print(f"history: {lines} runs on file")
    print(f"check without history: {base:8.1f} ms (median of {RUNS})")
    print(f"check with history:    {full:8.1f} ms  ratio {full / base:.3f}")
    print(f"added by the history:  {added:8.1f} ms  (target < {LIMIT_MS:.0f} ms)")
    print(f"append + diff alone:   {step:8.2f} ms  (target < {LIMIT_MS:.0f} ms)")
    ok = max(added, step) < LIMIT_MS
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
