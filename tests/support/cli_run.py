"""The command line run in-process: exit code, stdout and stderr, for the tests that drive
several commands in a row (the history tests). Their gateway and key come from the
``gw`` and ``fake_key_env`` fixtures in tests/conftest.py."""

from __future__ import annotations

import contextlib
import io

from tui.cli import main


def run(*args: str) -> tuple[int, str, str]:
    """``gateway-doctor ARGS`` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
