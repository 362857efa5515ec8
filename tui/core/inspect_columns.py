"""Which inspector columns fit a width, and paths elided in the middle.

Two requests to ``/v1/dashboard/billing/subscription`` and ``…/usage`` differ
only at the end, so cutting a path at the right edge makes them look the same.
The list therefore gives the path the room left by fixed-width columns
(dropping the least useful ones first on a narrow pane) and elides its middle,
keeping the first segment and the distinguishing end.
"""

from __future__ import annotations

__all__ = ["COLUMN_WIDTHS", "MIN_PATH", "elide_path", "fit_columns"]

#: Content width of each fixed column (one more cell separates it from the next).
COLUMN_WIDTHS: dict[str, int] = {
    "time": 12,  # 23:05:10.697
    "step": 8,  # balance, network
    "method": 6,  # DELETE
    "status": 12,  # read_timeout
    "duration": 8,  # 1234 ms
    "size": 8,  # 152.3 KB
}
#: Dropped in this order when the path would get less than ``WANT_PATH`` cells.
DROP_ORDER = ("time", "size", "method")
ALL_COLUMNS = ("time", "step", "method", "status", "duration", "size", "path")
WANT_PATH = 28
MIN_PATH = 12


def fit_columns(width: int) -> tuple[tuple[str, ...], int]:
    """The columns to show in ``width`` cells and the path column's width."""
    shown = list(ALL_COLUMNS)

    def path_room() -> int:
        return width - sum(COLUMN_WIDTHS[c] + 1 for c in shown if c != "path")

    for column in DROP_ORDER:
        if path_room() >= WANT_PATH:
            break
        shown.remove(column)
    return tuple(shown), max(MIN_PATH, path_room())


def elide_path(path: str, width: int) -> str:
    """``path`` in at most ``width`` cells: ``/scenario/…/dashboard/billing/usage``.

    The end (last segments and the query) is what tells requests apart, so it is
    kept whole when it can be; the first segment is kept when there is room.
    """
    if len(path) <= width:
        return path
    if width <= 1:
        return "…"[:width]
    first_end = path.find("/", 1)
    head = path[:first_end] if 0 < first_end <= width // 3 else ""
    tail_room = width - len(head) - 1
    tail = path[-tail_room:]
    cut = tail.find("/")
    if 0 < cut <= len(tail) * 0.6:
        tail = tail[cut:]  # start the tail at a segment boundary
    return f"{head}…{tail}"
