"""The two ways to the terminal that Textual owns, masked: toasts and the crash report.

Textual's default crash output is a rich traceback with ``show_locals=True``, which can
print the key held in a local variable; a toast may quote a gateway's error, a path or
an exchange id. :class:`MaskedApp` is the console's App with both masked.
"""

from __future__ import annotations

import sys

from rich.text import Text
from textual.app import App
from textual.notifications import SeverityLevel

from tui.ui.host import host
from tui.ui.labels import t
from tui.ui.safe import shown


class MaskedApp(App[int]):
    """An App whose toasts and crash report are masked, terminal-safe and plain text."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast (widgets' ``notify`` lands here) is masked, terminal-safe and plain
        text by default: paths, gateway errors and exchange ids may hold a key, an
        escape sequence or ``[brackets]``."""
        super().notify(
            shown(message), title=shown(title), severity=severity, timeout=timeout, markup=markup
        )

    def _handle_exception(self, error: Exception) -> None:
        """Not a crash when the console is quitting: widgets being built as it closed
        find their children gone (Textual's tabs: "No Tab with id …"; a pane's
        query): no report, and the exit code asked for stays (a walk saw 3 in 75 quick
        quits end in a crash report, exit 1)."""
        if self._exit or not self.is_running:
            return
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """An unexpected exception: a short masked report and where the full one is saved.

        Textual has no public hook for this: its ``_handle_exception`` (always inside the
        ``except`` that caught the error) calls this method, which hands a masked message
        to the public ``panic``. The Textual versions pyproject allows are the ones
        tests/test_canary_crash.py passes on.
        """
        from tui.core.setup.crash import save_crash_report, short_crash_message

        lang = host(self).lang
        exc = sys.exc_info()[1] or RuntimeError(t("n.unknown_error", lang))
        self.bell()
        message = short_crash_message(exc, save_crash_report(exc), lang)
        self.panic(Text(shown(message)))  # the error may quote a gateway
