"""Where gateway-doctor writes files (saved reports, summaries, exports).

Everything written goes through :func:`tui.core.safe.masking.mask` first, is
readable only by the user (0600, directory 0700) and gets a fresh
timestamped name, so saving never overwrites an earlier file.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.safe.files import UnsafePathError, ensure_private_dir, open_new
from tui.core.safe.masking import mask
from tui.core.setup.errors import reason_of

__all__ = ["STATE_ENV", "StateWriteError", "save_text", "state_dir"]

STATE_ENV = "GATEWAY_DOCTOR_STATE_DIR"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class StateWriteError(OSError):
    """A file could not be written; ``message`` says where, why and what to do.

    ``reason`` is a catalogue message (ours) or the OS's own words; ``str()`` is
    the English rendering, :func:`tui.core.setup.errors.error_text` any language.
    """

    def __init__(self, path: Path, reason: Msg | str) -> None:
        self.path = path
        self.reason = reason
        self.message = msg("setup.state.cannot_write", path=str(path), reason=reason, env=STATE_ENV)
        super().__init__(render(self.message, "en"))

    def __str__(self) -> str:
        return render(self.message, "en")


def state_dir() -> Path:
    """``$GATEWAY_DOCTOR_STATE_DIR``, else the platform's per-user state directory."""
    env = os.environ.get(STATE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir("gateway-doctor", appauthor=False))


def _safe_stem(stem: str) -> str:
    cleaned = _UNSAFE.sub("-", stem).strip("-.")
    return cleaned[:60] or "gateway-doctor"


def _safe_suffix(suffix: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]", "", suffix)[:12]
    return f".{cleaned}" if cleaned else ".txt"


def _ensure_dir(directory: Path) -> None:
    """Create the state directory 0700; refuse one others can write (links could be planted)."""
    try:
        ensure_private_dir(directory)
    except UnsafePathError as exc:
        raise StateWriteError(directory, exc.reason) from exc
    except OSError as exc:
        raise StateWriteError(directory, reason_of(exc)) from exc


def save_text(stem: str, text: str, suffix: str = ".txt") -> Path:
    """Write masked ``text`` to a new file ``<stem>-<YYYYmmdd-HHMMSS>[-N]<suffix>``.

    Returns the path. Raises :class:`StateWriteError` (readable message)
    when the state directory cannot be created or written.
    """
    directory = state_dir()
    _ensure_dir(directory)
    base = f"{_safe_stem(stem)}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    ext = _safe_suffix(suffix)
    data = mask(text).encode("utf-8", "surrogateescape")
    for n in range(1, 1000):
        path = directory / (base + (f"-{n}" if n > 1 else "") + ext)
        try:
            fd = open_new(path)  # O_EXCL|O_NOFOLLOW: a link planted at the name is skipped
        except FileExistsError:
            continue
        except OSError as exc:
            raise StateWriteError(path, reason_of(exc)) from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(path, 0o600)
        except OSError as exc:
            raise StateWriteError(path, reason_of(exc)) from exc
        return path
    raise StateWriteError(directory / (base + ext), msg("setup.state.too_many"))
