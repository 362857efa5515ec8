"""The inspector's exchange list: draws only the rows on screen.

A ``DataTable`` keeps a styled cell per row and measures every new cell, so a
filter over 100,000 exchanges took seconds. This list holds the exchanges
themselves (a Python list) and formats a row only when it is drawn: filtering,
clearing a filter or adding a row costs a list operation, not a re-layout.
Cells are plain text with a style (never markup: a URL holding ``[/]`` is text).

The read-only part of the ``DataTable`` API the tests and the pane use is kept
(``row_count``, ``ordered_columns``, ``get_row_at``, ``cursor_row``,
``move_cursor`` and a ``RowHighlighted`` message).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.net.exchange import Exchange
from tui.ui.bindings import bind

__all__ = ["Cell", "ExchangeList", "ListColumn"]

#: One drawn cell: its text and an optional style (a name such as ``"green"``, or a Style).
Cell = tuple[str, str | Style | None]
#: How many formatted rows are kept (a screenful is ~50; scrolling back is free).
CACHE_ROWS = 2048


@dataclass(frozen=True, slots=True)
class _Key:
    value: str


@dataclass(slots=True)
class ListColumn:
    """A column: ``key.value`` names it (as a DataTable column key does)."""

    key: _Key
    label: str
    width: int


class ExchangeList(ScrollView, can_focus=True):
    """Rows of exchanges with a header line and a row cursor; only visible rows are drawn."""

    BINDINGS = [
        # Textual's own words for these keys (44-textual.toml), translated where shown.
        bind("up", "cursor_up", "textual.key.up", id="inspector.up", show=False),
        bind("down", "cursor_down", "textual.key.down", id="inspector.down", show=False),
        bind("pageup", "page_up", "textual.key.page_up", id="inspector.page_up", show=False),
        bind(
            "pagedown", "page_down", "textual.key.page_down", id="inspector.page_down", show=False
        ),
        bind("home", "first", "textual.key.first", id="inspector.first", show=False),
        bind("end", "last", "textual.key.last", id="inspector.last", show=False),
    ]
    COMPONENT_CLASSES = {
        "exchange-list--header",
        "exchange-list--cursor",
        "exchange-list--even-row",
    }
    DEFAULT_CSS = """
    ExchangeList {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .exchange-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .exchange-list--header { background-tint: $foreground 5%; }
        }
        &:dark > .exchange-list--even-row { background: $surface-darken-1 40%; }
        & > .exchange-list--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .exchange-list--header { background: ansi_bright_blue; color: ansi_default; }
        & > .exchange-list--even-row { background: $surface-lighten-1 50%; }
        & > .exchange-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class RowHighlighted(Message):
        """The cursor moved to another row (by key, click or :meth:`move_cursor`)."""

        def __init__(self, exchange_list: ExchangeList, cursor_row: int, key: str) -> None:
            super().__init__()
            self.exchange_list = exchange_list
            self.cursor_row = cursor_row
            self.key = key

        @property
        def control(self) -> ExchangeList:
            return self.exchange_list

    def __init__(
        self,
        cells: Callable[[Exchange], Sequence[Cell]],
        order: Callable[[str], int | None],
        **kwargs,
    ) -> None:
        """``cells`` formats a row when it is drawn; ``order`` gives an exchange id's
        arrival position (rows are always in that order, so a row is found by bisection
        instead of a dict rebuilt with every filter)."""
        super().__init__(**kwargs)
        self._format = cells
        self._order = order
        self._columns: list[ListColumn] = []
        self._rows: list[Exchange] = []
        self._cursor = 0
        self._cache: dict[str, list[Cell]] = {}
        self._row_styles: tuple[Style, Style, Style, Style] | None = None

    # --- DataTable-like reading ---------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def ordered_columns(self) -> list[ListColumn]:
        return list(self._columns)

    @property
    def columns(self) -> dict[str, ListColumn]:
        return {c.key.value: c for c in self._columns}

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def row_keys(self) -> list[str]:
        """The ids of the listed exchanges, top to bottom."""
        return [ex.id for ex in self._rows]

    def key_at(self, index: int) -> str:
        """The id of the exchange listed at ``index``."""
        return self._rows[index].id

    def row_of(self, key: str) -> int | None:
        """Where exchange ``key`` is listed (``None`` when the filter hides it)."""
        at = self._order(key)
        if at is None:
            return None
        order = self._order
        i = bisect_left(self._rows, at, key=lambda ex: order(ex.id) or 0)
        return i if i < len(self._rows) and self._rows[i].id == key else None

    def get_row_at(self, index: int) -> list[str]:
        """The texts of row ``index`` as drawn (cut to their columns)."""
        return [text for text, _ in self._cells(self._rows[index])]

    def get_row(self, key: str) -> list[str]:
        row = self.row_of(key)
        if row is None:
            raise KeyError(key)
        return self.get_row_at(row)

    # --- changing ------------------------------------------------------------------

    def set_columns(self, columns: Sequence[tuple[str, str, int]]) -> None:
        """``(key, label, width)`` per column; rows are formatted again when drawn."""
        self._columns = [ListColumn(_Key(k), label, w) for k, label, w in columns]
        self._cache.clear()
        self._resize_virtual()
        self.refresh()

    def set_rows(self, rows: list[Exchange]) -> None:
        """Show ``rows`` (the list is kept, not copied); the cursor goes to the top."""
        self._rows = rows
        self._cursor = 0
        self._cache.clear()
        self._resize_virtual()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def append(self, ex: Exchange) -> None:
        """Add one row at the bottom (the common case: a request was recorded)."""
        self._rows.append(ex)
        self._resize_virtual()
        if self._visible(len(self._rows) - 1):
            self.refresh()

    def replace(self, ex: Exchange, *, listed: bool = False) -> None:
        """Redraw the row of ``ex.id`` with this version (a pending request got its answer).

        ``listed``: also list it, in arrival order, if the filter had hidden it.
        """
        index = self.row_of(ex.id)
        if index is None:
            if not listed:
                return
            order = self._order
            index = bisect_left(self._rows, order(ex.id) or 0, key=lambda e: order(e.id) or 0)
            self._rows.insert(index, ex)
            if index <= self._cursor and len(self._rows) > 1:
                self._cursor += 1  # the cursor stays on its exchange
            self._resize_virtual()
        self._rows[index] = ex
        self._cache.pop(ex.id, None)
        if self._visible(index):
            self.refresh()

    def forget_formatting(self) -> None:
        """Format every row again when drawn (the language changed)."""
        self._cache.clear()
        self.refresh()

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        """Put the cursor on ``row`` and scroll it into view."""
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        changed = row != self._cursor
        self._cursor = row
        self._scroll_to_cursor()
        # A list in a tab not yet shown has no height: scroll again once laid out.
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()
        if changed:
            self.post_message(self.RowHighlighted(self, row, self._rows[row].id))

    # --- drawing -------------------------------------------------------------------

    def _resize_virtual(self) -> None:
        width = sum(c.width for c in self._columns)
        self.virtual_size = Size(width, len(self._rows) + 1)

    def _visible(self, index: int) -> bool:
        top = self.scroll_offset.y
        return top <= index < top + max(1, self.size.height)

    def _cells(self, ex: Exchange) -> list[Cell]:
        cells = self._cache.get(ex.id)
        if cells is None:
            if len(self._cache) >= CACHE_ROWS:
                self._cache.clear()
            cells = list(self._format(ex))
            self._cache[ex.id] = cells
        return cells

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_styles = None

    def _line_styles(self) -> tuple[Style, Style, Style, Style]:
        if self._row_styles is None:
            get = self.get_component_rich_style
            self._row_styles = (
                self.rich_style,
                get("exchange-list--header"),
                get("exchange-list--cursor"),
                get("exchange-list--even-row"),
            )
        return self._row_styles

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base, header, cursor, even = self._line_styles()
        if y == 0:
            segments = [
                Segment(set_cell_size(c.label, c.width), base + header) for c in self._columns
            ]
            return Strip(segments).adjust_cell_length(width, base + header).crop(0, width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row_style = base + even if index % 2 == 0 else base
        on_cursor = index == self._cursor
        if on_cursor:
            row_style = row_style + cursor
            keep_color = Style(color=cursor.color) if cursor.color else Style()
        segments = []
        for (text, style), col in zip(self._cells(self._rows[index]), self._columns, strict=False):
            if isinstance(style, str):
                style = Style.parse(style)
            cell_style = row_style + style if style else row_style
            if on_cursor and style:
                cell_style += keep_color
            segments.append(Segment(set_cell_size(text, col.width), cell_style))
        return Strip(segments).adjust_cell_length(width, row_style).crop(0, width)

    # --- keys and mouse ------------------------------------------------------------

    def on_resize(self) -> None:
        """Keep the cursor's row on screen when the list gets its size (or a new one)."""
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        if not self._rows or self.size.height <= 1:
            return  # not laid out yet: on_resize scrolls when it is
        rows_shown = max(1, self.size.height - 1)
        top = self.scroll_offset.y
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + rows_shown:
            self.scroll_to(y=self._cursor - rows_shown + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self._cursor - max(1, self.size.height - 2))

    def action_page_down(self) -> None:
        self.move_cursor(row=self._cursor + max(1, self.size.height - 2))

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = self.scroll_offset.y + offset.y - 1
        if index < len(self._rows):
            self.move_cursor(row=index)
