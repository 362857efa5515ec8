"""Crash reports that never contain a secret.

An unexpected exception ends with a short, masked message on the terminal and
the full masked traceback (no local variables: they may hold a key) saved in
the state directory, so a user can attach it to a ticket safely.
"""

from __future__ import annotations

import platform
import sys
import traceback
from pathlib import Path

from tui import __version__
from tui.core.safe.masking import mask


def format_crash(exc: BaseException) -> str:
    """The full report: versions and the traceback, masked, without locals."""
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    head = (
        f"gateway-doctor {__version__} crash report\n"
        f"python {platform.python_version()} on {platform.platform()}\n"
        f"argv: {' '.join(sys.argv[1:])}\n\n"
    )
    return mask(head + tb)


def save_crash_report(exc: BaseException) -> Path | None:
    """Write the masked report to the state directory; None if that fails too."""
    try:
        from tui.core.setup.state import save_text

        return save_text("crash", format_crash(exc), suffix=".txt")
    except Exception:  # noqa: BLE001 - a crash handler must not crash
        return None


def short_crash_message(exc: BaseException, path: Path | None) -> str:
    """Two or three lines for the terminal: what broke and where the report is."""
    first = mask(f"{type(exc).__name__}: {exc}")[:300]
    where = (
        f"The full report (secrets masked) is in {path}" if path else "No report could be saved."
    )
    return (
        f"gateway-doctor stopped on an unexpected error: {first}\n{where}\n"
        "Please attach it to a bug report. / 程序意外出错,报告(已隐藏密钥)已保存,请附在问题反馈中。"
    )
