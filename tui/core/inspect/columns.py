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
    """``path`` in at most ``width`` cells: ``…/dashboard/billing/usage``.

    The end (last segments and the query) is what tells requests apart, so it
    gets the room: whole segments from the end, and the first segment in front
    only when that costs no segment of the end.
    """
    if len(path) <= width:
        return path
    if width <= 1:
        return "…"[:width]
    base, sep, query = path.partition("?")
    if sep and width >= 16:
        # Both ends matter (/billing/usage?…&end_date=…): the path end, then the query end.
        base_room = max(width - len(query) - 1, min(len(base), int(width * 0.55)))
        rest = width - base_room
        q = "?" + query if len(query) + 1 <= rest else "?…" + query[-(rest - 2) :]
        return elide_path(base, base_room) + q
    first_end = path.find("/", 1)
    head = path[:first_end] if first_end > 0 else ""
    bare = _tail(path, width - 1)
    with_head = _tail(path, width - 1 - len(head)) if head and len(head) < width // 2 else ""
    if with_head and with_head.count("/") >= bare.count("/"):
        return f"{head}…{with_head}"
    return f"…{bare}"


def _tail(path: str, room: int) -> str:
    """The longest end of ``path`` in ``room`` cells, starting at a ``/`` when one fits."""
    if room <= 0:
        return ""
    tail = path[-room:]
    cut = tail.find("/")
    return tail[cut:] if cut > 0 else tail
