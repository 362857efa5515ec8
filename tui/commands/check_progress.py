"""``check``'s progress line on a terminal: which steps run, for how long, of which limit.

``… Network, Authentication: 3 s of 15 s`` on stderr, rewritten in place once a
second and cleared before the report is written. :mod:`tui.commands.check` imports
this module only once a run has taken a second (a quick run never pays for it) and
only when stderr is a terminal: scripts, CI and pipes get nothing. The line is made
of a carriage return, text and spaces only (no escape sequence), so ``NO_COLOR`` and
plain terminals show it as well; it is cut to the terminal's width, since a wrapped
line could not be overwritten.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TextIO

from tui.core.diagnosis.model import CHECK_IDS, Target, bounds, step_limit
from tui.core.i18n.catalogue import text
from tui.core.i18n.width import cell_width, truncate
from tui.core.safe.terminal import terminal_safe

#: Cells when the terminal's width cannot be read.
FALLBACK_COLUMNS = 80


def progress_text(
    running: Mapping[str, float], target: Target, lang: str, now: float | None = None
) -> str | None:
    """The line for the steps in ``running`` (check id -> ``time.monotonic()`` it
    started) for a second or more; None when none has. The seconds count from the
    earliest of them; the limit is the largest of theirs, named only while it still
    bounds them."""
    now = time.monotonic() if now is None else now
    # Steps waited on for a second at least: one just started would read "0 s of 30 s".
    ids = [cid for cid in CHECK_IDS if cid in running and now - running[cid] >= 1.0]
    if not ids:
        return None
    elapsed = now - min(running[cid] for cid in ids)
    limit = max(step_limit(cid, target) for cid in ids)
    steps = text("sep.items", lang).join(text(f"step.{cid}", lang) for cid in ids)
    if bounds(elapsed, limit):
        return text("cli.check.progress", lang, steps=steps, elapsed=int(elapsed), limit=limit)
    return text("cli.check.progress_for", lang, steps=steps, elapsed=int(elapsed))


class ProgressLine:
    """One line on ``stream`` (a terminal), overwritten by each :meth:`draw`."""

    def __init__(
        self, running: Mapping[str, float], target: Target, lang: str, stream: TextIO
    ) -> None:
        self.running, self.target, self.lang, self.stream = running, target, lang, stream
        #: cells of the line on the screen now (0: nothing shown)
        self.cells = 0

    def _columns(self) -> int:
        """The terminal's width; a terminal that says 0 (a new pty) is taken as 80."""
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 0
        return columns if columns > 0 else FALLBACK_COLUMNS

    def draw(self) -> None:
        """Show the running steps now (or nothing when none runs)."""
        said = progress_text(self.running, self.target, self.lang)
        if said is None:
            self.clear()
            return
        # One cell short of the width: a line that fills it wraps on some terminals.
        line = truncate(terminal_safe(said), max(1, self._columns() - 1))
        cells = cell_width(line)
        self._write("\r" + line + " " * max(0, self.cells - cells))
        self.cells = cells

    def clear(self) -> None:
        """Blank the line and put the cursor back at its start (the report follows)."""
        if self.cells:
            # Two cells more where they fit: the terminal's own "^C" echo after the line.
            blank = max(self.cells, min(self.cells + 2, self._columns() - 1))
            self._write("\r" + " " * blank + "\r")
            self.cells = 0

    def _write(self, data: str) -> None:
        try:
            self.stream.write(data)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: the report still follows
            pass
