"""The history file: JSON lines in the state directory, appended safely.

Why this shape: two runs (a ``watch`` and a console, say) may append at the same
moment, so each record is one ``write`` on an ``O_APPEND`` descriptor under an
``fcntl`` lock; the file is 0600 and opened with ``O_NOFOLLOW`` (a planted link is
refused); it is rotated by size (two old files kept) so it never grows without
bound; a line that cannot be read is skipped and counted, never fatal. Finding
the last passing run reads the file backwards, so it costs the same with ten or
ten thousand runs behind it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe.files import NOFOLLOW, UnsafePathError, ensure_private_dir, open_append
from tui.core.setup.state import state_dir

try:  # POSIX; on Windows appends rely on O_APPEND alone
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "HISTORY_NAME",
    "KEEP_OLD",
    "MAX_BYTES",
    "History",
    "append",
    "clear",
    "files",
    "find_last",
    "read_all",
    "read_last",
]

HISTORY_NAME = "history.jsonl"  # not-ui-text: file name
LOCK_NAME = "history.lock"  # not-ui-text: file name
#: Rotate when the current file would pass this size; keep this many old files.
MAX_BYTES = 8 * 1024 * 1024
KEEP_OLD = 2
#: A record longer than this is not written (a run never makes one; a bug might).
MAX_RECORD = 64 * 1024
_BLOCK = 64 * 1024


@dataclass
class History:
    """Records read back (oldest first) and what could not be read."""

    records: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)


def _dir() -> Path:
    return state_dir()


def files(directory: Path | None = None) -> list[Path]:
    """The history files, oldest first (``history.2.jsonl``, ``history.1.jsonl``, current)."""
    d = directory or _dir()
    old = [d / f"history.{n}.jsonl" for n in range(KEEP_OLD, 0, -1)]
    return [*old, d / HISTORY_NAME]


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    fd = open_append(directory / LOCK_NAME)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _rotate(directory: Path) -> None:
    paths = files(directory)
    for older, newer in zip(paths, paths[1:], strict=False):
        if os.path.lexists(newer):
            os.replace(newer, older)  # a rename replaces a planted link, never follows it


def append(record: dict[str, Any], directory: Path | None = None) -> Path:
    """Append ``record`` as one line; raises OSError (``UnsafePathError`` for a planted link)."""
    d = directory or _dir()
    ensure_private_dir(d)
    line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    if len(line) > MAX_RECORD:
        raise OSError(27, "record too large")  # not-ui-text: errno text, shown via reason_of
    path = d / HISTORY_NAME
    with _locked(d):
        with contextlib.suppress(FileNotFoundError):
            st = os.lstat(path)
            if st.st_size + len(line) > MAX_BYTES:
                _rotate(d)
        fd = open_append(path)
        try:
            os.write(fd, line)  # one write on O_APPEND: lines never interleave
        finally:
            os.close(fd)
    return path


def _open_read(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDONLY | NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if os.path.islink(path):
            raise UnsafePathError(path, msg("setup.files.symlink")) from exc
        raise


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) and isinstance(value.get("time"), str) else None


def read_all(directory: Path | None = None) -> History:
    """Every record, oldest first; corrupt lines and unreadable files become warnings."""
    out = History()
    for path in files(directory):
        bad = 0
        try:
            fd = _open_read(path)
        except UnsafePathError as exc:
            out.warnings.append(exc.reason)
            continue
        except OSError as exc:
            out.warnings.append(msg("history.unreadable", path=str(path), error=str(exc.strerror)))
            continue
        if fd is None:
            continue
        with os.fdopen(fd, "rb") as fh:
            for raw in fh:
                if not raw.strip():
                    continue
                record = _parse(raw)
                if record is None:
                    bad += 1
                else:
                    out.records.append(record)
        if bad:
            out.warnings.append(msg("history.corrupt", count=bad, path=str(path)))
    return out


def _lines_backwards(fd: int) -> Iterator[bytes]:
    end = os.lseek(fd, 0, os.SEEK_END)
    tail = b""
    while end > 0:
        start = max(0, end - _BLOCK)
        chunk = os.pread(fd, end - start, start)
        end = start
        parts = (chunk + tail).split(b"\n")
        tail = parts[0]
        for line in reversed(parts[1:]):
            if line.strip():
                yield line
    if tail.strip():
        yield tail


def _lines_with_backwards(fd: int, anchor: bytes) -> Iterator[bytes]:
    """The lines holding ``anchor``, newest first, found with ``bytes.rfind`` per block:
    the lines in between are never split or looked at one by one (10,000 failed runs
    behind the last passing one cost a few milliseconds)."""
    end = os.lseek(fd, 0, os.SEEK_END)
    tail = b""
    while end > 0:
        start = max(0, end - _BLOCK)
        buf = os.pread(fd, end - start, start) + tail
        end = start
        cut = buf.find(b"\n") if start > 0 else -1
        if start > 0 and cut < 0:
            tail = buf  # one line longer than a block: keep reading back
            continue
        tail, body = (buf[:cut], buf[cut + 1 :]) if start > 0 else (b"", buf)
        pos = len(body)
        while True:
            i = body.rfind(anchor, 0, pos)
            if i < 0:
                break
            first = body.rfind(b"\n", 0, i) + 1
            last = body.find(b"\n", i)
            yield body[first : last if last >= 0 else len(body)]
            pos = first


def find_last(
    match: Callable[[dict[str, Any]], bool],
    needles: tuple[bytes, ...] = (),
    directory: Path | None = None,
    skipped: dict[str, int] | None = None,
) -> dict[str, Any] | None:
    """The newest record for which ``match`` is true; lines missing a needle are not parsed.

    ``skipped`` (when given) counts, per file, the lines looked at that could not be
    read (lines without the needles are never looked at, so they are not counted)."""
    for path in reversed(files(directory)):
        try:
            fd = _open_read(path)
        except OSError:
            continue
        if fd is None:
            continue
        try:
            lines = _lines_with_backwards(fd, needles[0]) if needles else _lines_backwards(fd)
            for line in lines:
                if any(n not in line for n in needles[1:]):
                    continue
                record = _parse(line)
                if record is None and skipped is not None:
                    skipped[str(path)] = skipped.get(str(path), 0) + 1
                if record is not None and match(record):
                    return record
        finally:
            os.close(fd)
    return None


def clear(keep: Callable[[dict[str, Any]], bool] | None = None) -> int:
    """Remove every record (``keep`` None) or those ``keep`` rejects; returns how many went."""
    d = _dir()
    if not d.exists():
        return 0
    with _locked(d):
        history = read_all(d)
        kept = [r for r in history.records if keep is not None and keep(r)]
        removed = len(history.records) - len(kept)
        for path in files(d):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        if kept:
            fd = open_append(d / HISTORY_NAME)
            try:
                data = "".join(
                    json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in kept
                )
                view = memoryview(data.encode("utf-8"))
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
    return removed


def read_last(
    n: int, match: Callable[[dict[str, Any]], bool], directory: Path | None = None
) -> list[dict[str, Any]]:
    """The newest ``n`` records ``match`` accepts, oldest first (read backwards: a view
    of the last runs costs the same with ten or ten thousand on file)."""
    out: list[dict[str, Any]] = []
    for path in reversed(files(directory)):
        try:
            fd = _open_read(path)
        except OSError:
            continue
        if fd is None:
            continue
        try:
            for line in _lines_backwards(fd):
                record = _parse(line)
                if record is not None and match(record):
                    out.append(record)
                    if len(out) >= n:
                        return out[::-1]
        finally:
            os.close(fd)
    return out[::-1]
