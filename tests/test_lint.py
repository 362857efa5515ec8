"""The quality bar in the suite: ruff check and ruff format are clean, and the type
checker passes (mypy: strict on tui/core, the normal check on the UI, the commands and the
demo gateway)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
MYPY = importlib.util.find_spec("mypy") is not None


@pytest.mark.skipif(RUFF is None, reason="ruff is in the test extra; not installed here")
@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_is_clean(args: list[str]) -> None:
    res = subprocess.run(
        [RUFF, *args, "tui", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.skipif(not MYPY, reason="mypy is in the test extra; not installed here")
@pytest.mark.parametrize(
    "args",
    [["--strict", "tui/core"], ["tui/ui", "tui/commands", "tui/demo", "tui/cli.py"]],
    ids=["core-strict", "ui-commands-demo"],
)
def test_types_check(args: list[str]) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "mypy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
