"""``gateway-doctor trial`` while it runs (issue 16 review): Ctrl-C prints what was
measured (exit 130), and a terminal sees a line per finished stage on stderr."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FAKE_KEY

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def slow_gateway():
    """The demo at its default speed: the long reply takes about 25 s."""
    from tui.demo.server import DemoGateway

    gw = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=50)
    gw.start_in_thread()
    try:
        yield gw
    finally:
        gw.stop()


def _cmd(gw, *args: str) -> list[str]:
    url = gw.scenario_url("healthy")
    return [sys.executable, "-m", "tui", "trial", "--yes", "--base-url", url, *args]


def _env(env_without_proxies: dict[str, str]) -> dict[str, str]:
    return {**env_without_proxies, "GATEWAY_DOCTOR_API_KEY": FAKE_KEY, "HOME": "/nonexistent"}


def test_ctrl_c_prints_what_was_measured(slow_gateway, env_without_proxies):
    proc = subprocess.Popen(
        _cmd(slow_gateway, "--stages", "short,batch,long_reply"),
        cwd=ROOT, env=_env(env_without_proxies),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(8)  # the checklist, short and batch are done; the long reply runs ~25 s
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Capability table" in out and "Tokens spent:" in out
    short = next(line for line in out.splitlines() if "Short message" in line)
    assert "passed" in short and "trial.short.ok" in short
    long_reply = next(line for line in out.splitlines() if "Long reply" in line)
    assert "not run: the trial was interrupted" in long_reply
    assert "Interrupted (Ctrl-C): 2 of 3 stages finished" in err
    assert "Verdict: interrupted (2 of 3 stages ran)" in out and "Verdict: passed" not in out
    assert "Traceback" not in err and FAKE_KEY not in out + err


def _run_on_a_tty(cmd: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    out = proc.stdout.read().decode() if proc.stdout else ""
    proc.wait(timeout=10)
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode(errors="replace")


def test_a_terminal_sees_a_line_per_finished_stage(demo_gateway, env_without_proxies):
    env = _env(env_without_proxies)
    code, out, err = _run_on_a_tty(_cmd(demo_gateway, "--stages", "short,stream"), env)
    assert code == 0, err
    assert "Running the checklist" in err
    assert "✓ Short message: passed" in err and "✓ Streaming: passed" in err
    code, out, err = _run_on_a_tty(_cmd(demo_gateway, "--stages", "short", "--json"), env)
    assert code == 0 and json.loads(out)["exit_code"] == 0
    assert "Short message: passed" not in err and "Running the checklist" not in err


def test_no_progress_when_stderr_is_not_a_terminal(demo_gateway, env_without_proxies):
    proc = subprocess.run(
        _cmd(demo_gateway, "--stages", "short"), cwd=ROOT, env=_env(env_without_proxies),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0 and "Running the checklist" not in proc.stderr
