"""Opening the files gateway-doctor writes without being redirected.

Why: anyone who can plant a symbolic link at the path of the log file, a lock
file or a saved summary could make the tool append masked-but-private text to
a file of their choosing, or overwrite one. So every file is opened with
``O_NOFOLLOW`` (a link at the path is refused, never followed), new files with
``O_EXCL``, directories are created 0700, and a directory that other users
can write to is refused before anything is written into it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from tui.core.i18n.catalogue import Msg, msg, render

__all__ = ["UnsafePathError", "ensure_private_dir", "open_append", "open_new", "unsafe_dir"]

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class UnsafePathError(OSError):
    """A path gateway-doctor will not write to; ``reason`` (a catalogue message) says why.

    ``strerror`` is the English rendering (for logs); ``message`` is the same
    :class:`Msg`, so :func:`tui.core.setup.errors.error_text` shows it in any language.
    """

    def __init__(self, path: Path, reason: Msg, code: int = errno.EPERM) -> None:
        super().__init__(code, render(reason, "en"), str(path))
        self.path = path
        self.reason = reason
        self.message = reason


def unsafe_dir(directory: Path) -> UnsafePathError | None:
    """Why ``directory`` is not safe to write into (others can write it), else None."""
    if os.name != "posix":
        return None  # pragma: no cover - Windows: ACLs, not mode bits
    try:
        st = os.stat(directory)
    except OSError:
        return None  # missing: the caller creates it 0700
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o022:
        which = "world_writable" if mode & 0o002 else "group_writable"
        reason = msg(f"setup.files.{which}", mode=f"{mode:o}", path=str(directory))
        return UnsafePathError(directory, reason)
    if st.st_uid not in (os.getuid(), 0):
        return UnsafePathError(directory, msg("setup.files.other_owner", uid=st.st_uid))
    return None


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (0700) if needed; raise if it is not a safe directory."""
    existed = os.path.lexists(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not existed:
        os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask
    if not directory.is_dir():
        raise UnsafePathError(directory, msg("setup.files.not_a_directory"), errno.ENOTDIR)
    problem = unsafe_dir(directory)
    if problem is not None:
        raise problem


def _refuse_link(path: Path, exc: OSError) -> OSError:
    if exc.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(path):
        return UnsafePathError(path, msg("setup.files.symlink"))
    return exc


def open_new(path: Path, mode: int = 0o600) -> int:
    """A new file (``O_EXCL``: fails if anything, a link included, is already there)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | _BINARY
    return os.open(path, flags, mode)


def open_append(path: Path, mode: int = 0o600, *, read: bool = False) -> int:
    """A file to append to (a log, a lock), created 0600; a link or non-file is refused."""
    access = os.O_RDWR if read else os.O_WRONLY
    flags = access | os.O_CREAT | os.O_APPEND | NOFOLLOW | _BINARY | _NONBLOCK
    try:
        fd = os.open(path, flags, mode)  # O_NONBLOCK: a planted FIFO must not hang us
    except OSError as exc:
        raise _refuse_link(path, exc) from exc
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or (os.name == "posix" and st.st_uid != os.getuid()):
        os.close(fd)
        raise UnsafePathError(path, msg("setup.files.not_regular"))
    if _NONBLOCK:
        os.set_blocking(fd, True)
    return fd
