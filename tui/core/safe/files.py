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

__all__ = ["UnsafePathError", "ensure_private_dir", "open_append", "open_new", "unsafe_dir"]

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class UnsafePathError(OSError):
    """A path gateway-doctor will not write to; ``reason``/``reason_zh`` say why."""

    def __init__(self, path: Path, reason: str, reason_zh: str) -> None:
        super().__init__(errno.EPERM, reason, str(path))
        self.path = path
        self.reason = reason
        self.reason_zh = reason_zh


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
        who = "everyone" if mode & 0o002 else "its group"
        who_zh = "所有用户" if mode & 0o002 else "同组用户"
        return UnsafePathError(
            directory,
            f"{who} can write to this directory (mode {mode:o}), so another user could plant "
            f"a link there; gateway-doctor does not write into it. Run 'chmod go-w {directory}' "
            f"or choose a private directory",
            f"{who_zh}都能写入该目录（权限 {mode:o}），别人可能在其中放置链接，因此 gateway-doctor "
            f"不会写入。请运行 'chmod go-w {directory}'，或改用私有目录",
        )
    if st.st_uid not in (os.getuid(), 0):
        return UnsafePathError(
            directory,
            f"this directory belongs to another user (uid {st.st_uid}); gateway-doctor does not "
            f"write into it. Choose a directory of your own",
            f"该目录属于其他用户（uid {st.st_uid}），gateway-doctor 不会写入。请改用你自己的目录",
        )
    return None


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (0700) if needed; raise if it is not a safe directory."""
    existed = os.path.lexists(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not existed:
        os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask
    if not directory.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it exists but is not a directory", str(directory))
    problem = unsafe_dir(directory)
    if problem is not None:
        raise problem


def _refuse_link(path: Path, exc: OSError) -> OSError:
    if exc.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(path):
        return UnsafePathError(
            path,
            "a symbolic link is in the way; gateway-doctor never writes through a link. "
            "Remove the link",
            "该路径是一个符号链接；gateway-doctor 不会通过链接写入。请删除该链接",
        )
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
        raise UnsafePathError(
            path,
            "it is not a regular file of yours; gateway-doctor does not write to it",
            "它不是你自己的普通文件，gateway-doctor 不会写入",
        )
    if _NONBLOCK:
        os.set_blocking(fd, True)
    return fd
