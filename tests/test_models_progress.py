"""``models --probe`` says how far it got on a terminal (issue 17 review, MEDIUM 5): a slow
gateway showed nothing for seconds after ``y``. One rewritten stderr line, ``N of M
probed``, cleared before the table; nothing when stderr is not a terminal or with
--json / --csv (scripts read those)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tui.demo.server import DemoGateway

KEY = "sk-test-FAKE-models-progress-0123456789"


@pytest.fixture(scope="module")
def slow_gateway():
    gw = DemoGateway(scenario="many_models", latency_ms=100, tokens_per_second=2000)
    gw.start_in_thread()
    yield gw
    gw.stop()


def _run(gw, env_base, tmp_path, *extra: str, tty: bool) -> tuple[int, str, str]:
    env = {**env_base, "GATEWAY_DOCTOR_API_KEY": KEY, "NO_COLOR": "1",
           "GATEWAY_DOCTOR_STATE_DIR": str(tmp_path / "state")}  # fmt: skip
    argv = [sys.executable, "-m", "tui", "models", "--base-url", gw.base_url, "--probe",
            "--yes", "--models", "demo-model-01,demo-model-02,demo-model-03,demo-model-04",
            "--concurrency", "1", *extra]  # fmt: skip
    if not tty:
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        err += chunk
    out = proc.communicate(timeout=60)[0]
    os.close(master)
    return proc.returncode, out.decode(), err.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_a_terminal_sees_the_progress(slow_gateway, env_without_proxies, tmp_path):
    code, out, err = _run(slow_gateway, env_without_proxies, tmp_path, tty=True)
    assert code == 0, err
    for n in range(5):
        assert f"probing: {n} of 4 probed…" in err, err
    assert err.endswith("\r\x1b[K")  # cleared before the table
    assert "probing" not in out and "4 of 4 models work" in out


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_nothing_with_json_or_csv(slow_gateway, env_without_proxies, tmp_path, fmt):
    code, _out, err = _run(slow_gateway, env_without_proxies, tmp_path, fmt, tty=True)
    assert code == 0 and "probing" not in err and "\x1b[K" not in err, err


def test_nothing_when_stderr_is_not_a_terminal(slow_gateway, env_without_proxies, tmp_path):
    code, out, err = _run(slow_gateway, env_without_proxies, tmp_path, tty=False)
    assert code == 0 and "probing" not in err and "\x1b[K" not in err, err
    assert "4 of 4 models work" in out
