"""Optional debug log file, masked like every other way out.

Enable with ``GATEWAY_DOCTOR_LOG``: ``1`` (or ``true``/``yes``/``on``) writes
``gateway-doctor.log`` in the state directory, any other value is a file
path. Off by default. Why masked twice: a :class:`MaskingFilter` rewrites each
record's message as it is logged (so any other handler a library adds sees it
masked too) and a :class:`MaskingFormatter` masks the final line, which also
covers exception tracebacks. Both call :func:`tui.core.safe.masking.mask`, the one
masking function. Logging must never stop a diagnosis: a log file that cannot
be opened gives one warning line on stderr and the run goes on.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from tui.core.i18n import detect_lang
from tui.core.i18n.catalogue import msg, render
from tui.core.safe.files import UnsafePathError, ensure_private_dir, open_append
from tui.core.safe.masking import mask
from tui.core.setup.errors import reason_of

__all__ = ["LOG_ENV", "MaskingFilter", "MaskingFormatter", "log_path", "setup_logging"]

LOG_ENV = "GATEWAY_DOCTOR_LOG"
LOG_LEVEL_ENV = "GATEWAY_DOCTOR_LOG_LEVEL"
_TRUE = {"1", "true", "yes", "on"}
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_handler: logging.Handler | None = None


class MaskingFilter(logging.Filter):
    """Replaces a record's message (and arguments) with its masked text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = mask(message)
        record.args = None
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted line, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class _StreamFileHandler(logging.StreamHandler[TextIO]):
    """A handler on a file we opened ourselves (``logging.FileHandler`` would reopen the
    path and follow a link planted there); closing it closes the file."""

    def close(self) -> None:
        try:
            self.flush()
            self.stream.close()
        except (OSError, ValueError):
            pass
        super().close()


def log_path(value: str | None = None) -> Path | None:
    """Where the log goes for ``value`` (default: ``$GATEWAY_DOCTOR_LOG``), None when off."""
    raw = (os.environ.get(LOG_ENV, "") if value is None else value).strip()
    if not raw or raw.lower() in {"0", "false", "no", "off"}:
        return None
    if raw.lower() in _TRUE:
        from tui.core.setup.state import state_dir

        return state_dir() / "gateway-doctor.log"
    return Path(raw).expanduser()


def setup_logging(value: str | None = None, lang: str | None = None) -> Path | None:
    """Start logging to the file ``value``/``$GATEWAY_DOCTOR_LOG`` names; returns the path.

    Idempotent (a second call replaces the handler). Never raises. A file that
    cannot be opened is one warning on stderr in ``lang`` (default: the locale's).
    """
    global _handler
    path = log_path(value)
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    if path is None:
        return None
    try:
        ensure_private_dir(path.parent)  # 0700; a directory others can write is refused
        fd = open_append(path)  # a symlink planted at the path is refused, never followed
        stream = os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        reason = reason_of(exc)
        if isinstance(exc, UnsafePathError):
            reason = msg("setup.log.unsafe_reason", where=str(exc.filename), reason=exc.reason)
        warning = msg("setup.log.cannot_write", path=str(path), reason=reason, env=LOG_ENV)
        sys.stderr.write(mask(render(warning, lang or detect_lang())) + "\n")
        return None
    handler = _StreamFileHandler(stream)
    handler.addFilter(MaskingFilter())
    handler.setFormatter(MaskingFormatter(_FORMAT))
    level = os.environ.get(LOG_LEVEL_ENV, "INFO").upper()
    handler.setLevel(getattr(logging, level, logging.INFO))
    root.addHandler(handler)
    if root.level > handler.level or root.level == logging.NOTSET:
        root.setLevel(handler.level)
    _handler = handler
    from tui import __version__

    logging.getLogger("gateway_doctor").info(
        "gateway-doctor %s started: %s", __version__, " ".join(sys.argv[1:])
    )
    return path
