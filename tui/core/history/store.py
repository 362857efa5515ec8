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
import errno
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.safe.files import NOFOLLOW, UnsafePathError, ensure_private_dir, open_append
from tui.core.safe.json_parse import parse
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
    "RecordTooLarge",
    "append",
    "clear",
    "files",
    "find_last",
    "numbered_last",
    "read_all",
    "record_at",
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
    numbers: list[int] = field(default_factory=list)


class RecordTooLarge(OSError):
    """A record over MAX_RECORD (never written); ``reason``/``message`` say so in any language."""

    def __init__(self, size: int) -> None:
        reason = msg("history.too_large", size=size // 1024, limit=MAX_RECORD // 1024)
        super().__init__(errno.EFBIG, render(reason, "en"))
        self.reason = reason
        self.message = reason


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
        raise RecordTooLarge(len(line))
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
    """A line as a checked record, or None: not JSON, of a wrong shape, or nested deeper
    than a record ever is (refused before parsing, so no reader or walk recurses)."""
    from tui.core.history.shape import MAX_DEPTH, clean

    parsed = parse(raw, MAX_DEPTH)
    return clean(parsed.value) if parsed.ok else None


#: A file is never read further back than this: a history file is rotated at
#: MAX_BYTES, so one far over it was planted or damaged; its newest part is read.
READ_CAP = 4 * MAX_BYTES
#: Stands for a line longer than MAX_RECORD (dropped as it is read, never kept
#: whole): it does not parse, so it is counted as unreadable.
OVERLONG = b"\xff"


def _window(fd: int, path: Path, warnings: list[Msg] | None = None) -> tuple[int, int]:
    """The part of the file read: all of it, or its newest READ_CAP bytes from the
    first whole line (said in ``warnings``)."""
    end = os.fstat(fd).st_size
    start = max(0, end - READ_CAP)
    if start == 0:
        return 0, end
    if warnings is not None:
        mb = 1024 * 1024
        warnings.append(
            msg("history.too_big", path=str(path), size=end // mb, limit=MAX_BYTES // mb,
                cap=READ_CAP // mb)
        )  # fmt: skip
    pos = start
    while pos < end:
        chunk = os.pread(fd, min(_BLOCK, end - pos), pos)
        if not chunk:
            break
        i = chunk.find(b"\n")
        if i >= 0:
            return pos + i + 1, end
        pos += len(chunk)
    return end, end


def _lines_forward(fd: int, start: int, end: int) -> Iterator[bytes]:
    """Every line of ``[start, end)`` oldest first (blank ones too: they keep their
    number); a line longer than MAX_RECORD comes as OVERLONG, never accumulated."""
    pos, buf, overlong = start, b"", False
    while pos < end:
        chunk = os.pread(fd, min(_BLOCK, end - pos), pos)
        if not chunk:
            break
        pos += len(chunk)
        parts = chunk.split(b"\n")
        for part in parts[:-1]:
            yield OVERLONG if overlong or len(buf) + len(part) > MAX_RECORD else buf + part
            buf, overlong = b"", False
        rest = parts[-1]
        if overlong or len(buf) + len(rest) > MAX_RECORD:
            buf, overlong = b"", True
        else:
            buf += rest
    if buf or overlong:
        yield OVERLONG if overlong else buf


def _count_lines(fd: int, start: int, end: int) -> int:
    """How many lines :func:`_lines_forward` yields, counted without splitting."""
    count, pos, last = 0, start, b"\n"
    while pos < end:
        chunk = os.pread(fd, min(4 * _BLOCK, end - pos), pos)
        if not chunk:
            break
        pos += len(chunk)
        count += chunk.count(b"\n")
        last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)


def _opened(
    directory: Path | None, warnings: list[Msg] | None
) -> Iterator[tuple[Path, int, int, int]]:
    """Each history file, oldest first, open: (path, fd, window start, window end).
    The caller's loop runs with the file open; it is closed when the loop moves on."""
    for path in files(directory):
        try:
            fd = _open_read(path)
        except UnsafePathError as exc:
            if warnings is not None:
                warnings.append(exc.reason)
            continue
        except OSError as exc:
            if warnings is not None:
                warnings.append(msg("history.unreadable", path=str(path), error=str(exc.strerror)))
            continue
        if fd is None:
            continue
        try:
            start, end = _window(fd, path, warnings)
            yield path, fd, start, end
        finally:
            os.close(fd)


def read_all(directory: Path | None = None) -> History:
    """Every record, oldest first; corrupt lines and unreadable files become warnings.
    ``numbers`` holds each record's run number (its line, counted over the files)."""
    out = History()
    number = 0
    for path, fd, start, end in _opened(directory, out.warnings):
        bad = 0
        for raw in _lines_forward(fd, start, end):
            number += 1
            if not raw.strip():
                continue
            record = _parse(raw)
            if record is None:
                bad += 1
            else:
                out.records.append(record)
                out.numbers.append(number)
        if bad:
            out.warnings.append(msg("history.corrupt", count=bad, path=str(path)))
    return out


def numbered_last(
    n: int,
    match: Callable[[dict[str, Any]], bool] | None = None,
    directory: Path | None = None,
    warnings: list[Msg] | None = None,
) -> list[tuple[int, dict[str, Any]]]:
    """The newest ``n`` records ``match`` accepts with their run numbers, oldest first;
    read backwards, so ``history --last 3`` costs the same on any file."""
    out: list[tuple[int, dict[str, Any]]] = []
    bad: dict[str, int] = {}
    # the windows are fixed once: a run appended meanwhile does not shift the numbers
    spans = [(p, a, b, _count_lines(fd, a, b)) for p, fd, a, b in _opened(directory, warnings)]
    offset = sum(c for *_x, c in spans)
    for path, start, end, count in reversed(spans):
        number = offset
        offset -= count
        try:
            fd = _open_read(path)
        except OSError:
            continue
        if fd is None:
            continue
        try:
            for raw in _lines_backwards(fd, start, end):
                this, number = number, number - 1
                if not raw.strip():
                    continue
                record = _parse(raw)
                if record is None:
                    bad[str(path)] = bad.get(str(path), 0) + 1
                    continue
                if match is None or match(record):
                    out.append((this, record))
                    if len(out) >= n:
                        break
        finally:
            os.close(fd)
        if len(out) >= n:
            break
    if warnings is not None:
        for p, count in bad.items():
            warnings.append(msg("history.corrupt", count=count, path=p))
    return out[::-1]


def record_at(
    number: int, directory: Path | None = None, warnings: list[Msg] | None = None
) -> tuple[dict[str, Any] | None, int]:
    """Run ``number`` (as the list numbers it) or None, and how many numbers there are."""
    found: dict[str, Any] | None = None
    first = 1
    for _path, fd, start, end in _opened(directory, warnings):
        count = _count_lines(fd, start, end)
        if found is None and first <= number < first + count:
            for i, raw in enumerate(_lines_forward(fd, start, end), start=first):
                if i == number:
                    found = _parse(raw) if raw.strip() else None
                    break
        first += count
    return found, first - 1


def _lines_backwards(fd: int, start: int | None = None, end: int | None = None) -> Iterator[bytes]:
    """:func:`_lines_forward` newest first (the same lines, blank and OVERLONG too)."""
    if start is None or end is None:
        start, end = _window(fd, Path("-"))
    pos, tail, overlong, first = end, b"", False, True
    while pos > start:
        lo = max(start, pos - _BLOCK)
        chunk = os.pread(fd, pos - lo, lo)
        pos = lo
        parts = chunk.split(b"\n")
        if len(parts) == 1:
            if overlong or len(tail) + len(chunk) > MAX_RECORD:
                tail, overlong = b"", True
            else:
                tail = chunk + tail
            continue
        right = parts[-1]
        if overlong or len(right) + len(tail) > MAX_RECORD:
            yield OVERLONG
        elif not (first and not right and not tail):
            yield right + tail  # (the empty piece after the file's last newline is no line)
        first, overlong = False, False
        for line in reversed(parts[1:-1]):
            yield line if len(line) <= MAX_RECORD else OVERLONG
        tail = parts[0]
        if len(tail) > MAX_RECORD:
            tail, overlong = b"", True
    if end > start:
        yield OVERLONG if overlong else tail


#: A needle: bytes found as they are, or a (linear) pattern, for JSON's optional spaces.
Needle = bytes | re.Pattern[bytes]


def _has(line: bytes, needle: Needle) -> bool:
    return needle in line if isinstance(needle, bytes) else needle.search(line) is not None


def _rfinder(body: bytes, anchor: Needle) -> Callable[[int], int]:
    """``rfind(anchor, 0, at)`` for bytes or a pattern (its matches found once per block)."""
    if isinstance(anchor, bytes):
        return lambda at: body.rfind(anchor, 0, at)
    starts = [m.start() for m in anchor.finditer(body)]

    def find(at: int) -> int:
        while starts and starts[-1] >= at:
            starts.pop()
        return starts[-1] if starts else -1

    return find


def _lines_with_backwards(fd: int, anchor: Needle) -> Iterator[bytes]:
    """The lines holding ``anchor``, newest first, found with ``bytes.rfind`` per block:
    the lines in between are never split or looked at one by one (10,000 failed runs
    behind the last passing one cost a few milliseconds). A line longer than
    MAX_RECORD is skipped as it is read, never accumulated."""
    start, end = _window(fd, Path("-"))
    pos, tail, skipping = end, b"", False
    while pos > start:
        lo = max(start, pos - _BLOCK)
        buf = os.pread(fd, pos - lo, lo)
        pos = lo
        if skipping:  # inside an overlong line: what follows its start is dropped
            cut = buf.rfind(b"\n")
            if cut < 0:
                continue
            buf, skipping = buf[: cut + 1], False
        else:
            buf += tail
        cut = buf.find(b"\n") if lo > start else -1
        if lo > start and cut < 0:
            tail, skipping = (b"", True) if len(buf) > MAX_RECORD else (buf, False)
            continue
        tail, body = (buf[:cut], buf[cut + 1 :]) if lo > start else (b"", buf)
        if len(tail) > MAX_RECORD:
            tail, skipping = b"", True
        at, rfind = len(body), _rfinder(body, anchor)
        while True:
            i = rfind(at)
            if i < 0:
                break
            first = body.rfind(b"\n", 0, i) + 1
            last = body.find(b"\n", i)
            line = body[first : last if last >= 0 else len(body)]
            if len(line) <= MAX_RECORD:
                yield line
            at = first


def find_last(
    match: Callable[[dict[str, Any]], bool],
    needles: tuple[Needle, ...] = (),
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
                if not line.strip() or not all(_has(line, n) for n in needles[1:]):
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
    n: int,
    match: Callable[[dict[str, Any]], bool],
    directory: Path | None = None,
    warnings: list[Msg] | None = None,
) -> list[dict[str, Any]]:
    """The newest ``n`` records ``match`` accepts, oldest first (read backwards: a view
    of the last runs costs the same with ten or ten thousand on file). Unreadable
    lines met on the way are counted in ``warnings`` (when given)."""
    out: list[dict[str, Any]] = []
    bad: dict[str, int] = {}
    for path in reversed(files(directory)):
        try:
            fd = _open_read(path)
        except OSError:
            continue
        if fd is None:
            continue
        try:
            for line in _lines_backwards(fd):
                if not line.strip():
                    continue
                record = _parse(line)
                if record is None:
                    bad[str(path)] = bad.get(str(path), 0) + 1
                elif match(record):
                    out.append(record)
                    if len(out) >= n:
                        break
        finally:
            os.close(fd)
        if len(out) >= n:
            break
    if warnings is not None:
        warnings += [msg("history.corrupt", count=c, path=p) for p, c in bad.items()]
    return out[::-1]
