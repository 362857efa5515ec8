"""Crash reports that never contain a secret.

An unexpected exception ends with a short, masked message on the terminal (in
the user's language) and the full masked traceback (no local variables: they
may hold a key) saved in the state directory, so a user can attach it to a
ticket safely. The saved report itself is for the developers who read bug
reports, so it stays English.
"""

from __future__ import annotations

import platform
import sys
import traceback
from pathlib import Path

from tui import __version__
from tui.core.i18n import detect_lang
from tui.core.i18n.catalogue import msg, render, text
from tui.core.safe.masking import mask


def format_crash(exc: BaseException) -> str:
    """The full report: versions and the traceback, masked, without locals."""
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    head = (
        f"gateway-doctor {__version__} crash report\n"  # not-ui-text: for developers
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


def short_crash_message(exc: BaseException, path: Path | None, lang: str | None = None) -> str:
    """Two or three lines for the terminal: what broke and where the report is.

    In ``lang`` (default: the locale's); the error itself stays as Python wrote it.
    """
    lang = lang or detect_lang()
    first = mask(f"{type(exc).__name__}: {exc}")[:300]
    where = msg("setup.crash.saved", path=str(path)) if path else msg("setup.crash.not_saved")
    lines = [text("setup.crash.stopped", lang, error=first), render(where, lang)]
    if path:
        lines.append(text("setup.crash.attach", lang))
    return mask("\n".join(lines))
