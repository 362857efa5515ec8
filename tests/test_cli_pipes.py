"""Output piped into `head`: the reader leaving is not a crash."""

from __future__ import annotations

import subprocess
import sys


def test_broken_pipe_exits_quietly(env_without_proxies) -> None:
    script = (
        f"{sys.executable} -m tui demo-gateway --list-scenarios | true; "
        'echo "rc=${PIPESTATUS[0]}"'
    )
    res = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, env=env_without_proxies
    )
    assert "rc=0" in res.stdout, res
    assert "unexpected error" not in res.stderr and "Traceback" not in res.stderr
