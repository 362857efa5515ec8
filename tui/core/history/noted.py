"""The note that the history had unreadable lines, said once per file state.

Why not on every run: a corrupt line stays in the file until it rotates away, so
``watch`` (a run a minute) would repeat the same warning forever and teach the
user to skip warnings. The count of lines skipped per file is kept in a small
0600 file next to the history; the note is said when a file's count differs from
the one last said (new damage, or the damage moved to a rotated file), and not
again while it stays the same. Losing that small file only means saying it once
more.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe.files import ensure_private_dir, open_new
from tui.core.setup.state import state_dir

__all__ = ["NOTED_NAME", "skipped_note"]

NOTED_NAME = "history.noted.json"  # not-ui-text: file name


def _read(path: Path) -> dict[str, int]:
    import stat

    from tui.core.safe.files import NOFOLLOW

    try:  # O_NONBLOCK: a FIFO planted at the name must not hang every run
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return {}
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return {}
        raw = fh.read(16 * 1024)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}


def _write(path: Path, data: dict[str, int]) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    fd = open_new(tmp)
    try:
        os.write(fd, json.dumps(data).encode("utf-8"))
    finally:
        os.close(fd)
    os.replace(tmp, path)


def skipped_note(skipped: dict[str, int], directory: Path | None = None) -> Msg | None:
    """ "history: N unreadable lines skipped in …", when a file's count changed since
    it was last said; None otherwise. Never raises."""
    d = directory or state_dir()
    path = d / NOTED_NAME
    try:
        noted = _read(path)
    except Exception:  # noqa: BLE001 - a note, never a reason to fail a run
        noted = {}
    # Only the files looked at are compared: a run of another profile may stop before
    # the damaged line, which does not mean the line has gone.
    changed = {p: n for p, n in skipped.items() if noted.get(p, 0) != n}
    if not changed:
        return None
    try:
        ensure_private_dir(d)
        _write(path, {**noted, **changed})
    except Exception:  # noqa: BLE001 - said again next time, at worst
        pass
    paths = [p for p, n in changed.items() if n]
    if not paths:
        return None
    return msg("history.skipped", count=sum(changed[p] for p in paths), path=", ".join(paths))
