"""Ctrl-C during a probe: it stops cleanly, prints what was measured, exits 130."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from tui.demo.server import DemoGateway

KEY = "sk-test-FAKE-models-interrupt-0123456789"


@pytest.fixture(scope="module")
def slow_gateway():
    gw = DemoGateway(scenario="many_models", latency_ms=300, tokens_per_second=2000)
    gw.start_in_thread()
    yield gw
    gw.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_sigint_mid_probe_prints_what_was_measured(slow_gateway, env_without_proxies, tmp_path):
    env = {**env_without_proxies, "GATEWAY_DOCTOR_API_KEY": KEY,
           "GATEWAY_DOCTOR_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    argv = [sys.executable, "-m", "tui", "models", "--base-url", slow_gateway.base_url,
            "--probe", "--yes", "--json", "--match", "demo-model-*", "--concurrency", "2"]  # fmt: skip
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # 40 models, 2 at a time, 0.3 s each: ~6 s in all; stop it after a few have answered
    deadline = time.monotonic() + 20
    state = tmp_path / "state"
    time.sleep(2.5)
    assert proc.poll() is None and time.monotonic() < deadline
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted:" in err
    data = json.loads(out)
    assert data["interrupted"] is True and data["exit_code"] == 130
    statuses = [s["status"] for s in data["steps"]]
    assert len(statuses) == 40
    assert 0 < statuses.count("pass") < 40 and statuses.count("skip") > 0
    assert set(statuses) <= {"pass", "skip"}
    assert (state / "model-probes.json").exists()  # what was measured is remembered too


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_sigint_says_so_at_the_bottom_and_counts_what_was_probed(
    slow_gateway, env_without_proxies, tmp_path
):
    """Issue 17 review, MEDIUM 4: the interruption was said 40 lines up, and the bottom
    line read '16 of 48 models work' as if the unprobed ones had failed."""
    env = {**env_without_proxies, "GATEWAY_DOCTOR_API_KEY": KEY,
           "GATEWAY_DOCTOR_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    argv = [sys.executable, "-m", "tui", "models", "--base-url", slow_gateway.base_url,
            "--probe", "--yes", "--match", "demo-model-*", "--concurrency", "2"]  # fmt: skip
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    time.sleep(2.5)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 130, out
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert "interrupted:" in lines[-1] and "of 40 probes finished" in lines[-1], lines[-3:]
    done = int(lines[-1].split("interrupted: ")[1].split(" of ")[0])
    assert 0 < done < 40
    assert f"{done} of {done} probed models work with key sk-…" in lines[-2], lines[-2]
    assert f"; {40 - done} not probed." in lines[-2]
