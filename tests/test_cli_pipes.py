"""Output piped into `head` or `true`: the reader leaving is not a crash.

Run in a plain environment (no ``PYTHONUNBUFFERED``): stdout is then
block-buffered and the last write only happens in the interpreter's final
flush, which used to fail with "Exception ignored ... BrokenPipeError" and
exit 120. Every command goes through the same exit path, so a few kinds
(plain print, argparse help/version, a profile listing) are tried.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMMANDS = [
    "demo-gateway --list-scenarios",
    "--help",
    "--version",
    "check --help",
    "profile list",
    "check --no-such-flag 2>&1",  # argparse's error into the closed pipe
]


def plain_env() -> dict[str, str]:
    """What `env -i PATH=... HOME=... LANG=C.UTF-8` gives, plus the test's isolation."""
    keep = ("GATEWAY_DOCTOR_CONFIG", "GATEWAY_DOCTOR_STATE_DIR", "PYTHON_KEYRING_BACKEND", "HOME")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(PATH="/usr/bin:/bin", LANG="C.UTF-8")
    return env


@pytest.mark.parametrize("command", COMMANDS)
def test_broken_pipe_exits_quietly(command: str) -> None:
    script = f'{sys.executable} -m tui {command} | true; echo "rc=${{PIPESTATUS[0]}}"'
    res = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, env=plain_env()
    )
    assert "rc=0" in res.stdout, res
    assert "Exception ignored" not in res.stderr and "BrokenPipeError" not in res.stderr, res
    assert "unexpected error" not in res.stderr and "Traceback" not in res.stderr
