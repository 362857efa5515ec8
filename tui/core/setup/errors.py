"""Errors a user reads, carried as catalogue messages.

Each set-up error (a corrupt config file, an unknown profile, no keyring, a
Chatbox export gateway-doctor cannot read, a file it will not write) holds its
sentence as a :class:`~tui.core.i18n.catalogue.Msg` in ``.message``; the UI and
the CLI write it in the user's language with :func:`error_text`. ``str(exc)``
is the English rendering, for logs and tracebacks.
"""

from __future__ import annotations

from typing import Any

from tui.core.i18n.catalogue import Msg, render

__all__ = ["UserError", "error_text", "reason_of"]


class UserError(Exception):
    """An exception whose ``message`` (a :class:`Msg`) is shown to the user."""

    def __init__(self, message: Msg) -> None:
        super().__init__(render(message, "en"))
        self.message = message


def error_text(exc: BaseException, lang: str = "en") -> str:
    """``exc`` as the user should read it in ``lang`` (its ``Msg``, else ``str(exc)``)."""
    message = getattr(exc, "message", None)
    return render(message, lang) if isinstance(message, Msg) else str(exc)


def reason_of(exc: BaseException) -> Msg | str:
    """Why an OS call failed: our own message if it has one, else the OS's words."""
    message: Any = getattr(exc, "message", None)
    if isinstance(message, Msg):
        return message
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
