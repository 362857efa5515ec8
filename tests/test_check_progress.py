"""``check`` on a slow gateway: a progress line on a terminal's stderr after a second
(which steps run, for how long, of which limit), cleared before the report; nothing at
all on a stderr that is not a terminal (scripts, CI, pipes)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

from tests.conftest import FAKE_KEY
from tui.commands.check_progress import progress_text
from tui.core.diagnosis.model import Target

CMD = [sys.executable, "-m", "tui", "check", "--timeout", "3", "--base-url"]


def _env(env: dict[str, str]) -> dict[str, str]:
    return dict(env, GATEWAY_DOCTOR_API_KEY=FAKE_KEY)


def _read_all(fd: int, proc: subprocess.Popen, limit: float) -> bytes:
    got = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            got += chunk
        elif proc.poll() is not None:
            break
    return got


def test_a_terminal_sees_which_steps_run_then_a_clean_line(demo_gateway, env_without_proxies):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        proc = subprocess.Popen(
            [*CMD, demo_gateway.scenario_url("slow_headers")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=_env(env_without_proxies),
        )
        os.close(slave)
        said = _read_all(master, proc, 30).decode("utf-8", "replace")
        out, _ = proc.communicate(timeout=30)
    finally:
        os.close(master)
    assert proc.returncode == 1, (out, said)
    assert "network.timeout" in out.decode()
    assert "… Network: 1 s of 3 s" in said, repr(said)
    assert "… Network: 2 s of 3 s" in said, repr(said)
    assert "\x1b" not in said  # a carriage return and spaces: fine with NO_COLOR too
    # what the terminal shows at the end: the line overwritten with blanks
    assert said.endswith("\r") and not said.rsplit("\r", 2)[-2].strip(), repr(said)
    assert "\n" not in said, repr(said)


def test_a_stderr_that_is_not_a_terminal_gets_nothing(demo_gateway, env_without_proxies):
    res = subprocess.run(
        [*CMD, demo_gateway.scenario_url("slow_headers")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=_env(env_without_proxies),
        timeout=30,
    )
    assert res.returncode == 1 and b"network.timeout" in res.stdout
    assert res.stderr == b""


def test_the_line_names_the_running_steps_and_drops_a_limit_that_no_longer_bounds():
    target = Target(timeout=15.0)
    now = 100.0
    assert progress_text({}, target, "en", now) is None
    both = {"auth": 97.2, "network": 96.5}
    assert progress_text(both, target, "en", now) == "… Network, Authentication: 3 s of 15 s"
    assert progress_text(both, target, "zh-CN", now) == "… 网络、鉴权：已用 3 秒，上限 15 秒"
    assert progress_text({"stream": 80.0}, target, "en", now) == "… Streaming: 20 s of 30 s"
    assert progress_text({"network": 80.0}, target, "en", now) == "… Network: 20 s"


def test_a_step_started_less_than_a_second_ago_is_not_named():
    """The line came after a second of the run, but the stream step had just started:
    '… Streaming: 0 s of 30 s' (walk finding). Only steps waited on for a second show."""
    target = Target(timeout=15.0)
    assert progress_text({"stream": 99.6}, target, "en", 100.0) is None
    both = {"network": 97.0, "stream": 99.6}
    assert progress_text(both, target, "en", 100.0) == "… Network: 3 s of 15 s"
