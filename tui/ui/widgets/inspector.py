"""Inspector pane: every HTTP exchange of the session, masked, with exports.

Top: a filter bar (text, status class, follow-the-latest). Middle: an
:class:`ExchangeList` that draws only the rows on screen, so filtering or
adding to 100,000 exchanges is a list operation (a filter reads the text kept
by :class:`ExchangeIndex`). Bottom: :class:`ExchangeDetail` for the selected one:
a row is formatted when drawn, an exchange's detail when it is selected.

Exchanges arrive through :meth:`ExchangeLog.subscribe`, which calls us from
whichever thread recorded them. The listener only appends to a queue and posts
a message (``post_message`` is thread-safe); waiting messages of that kind
replace each other (``can_replace``), so the table is only touched on the UI
thread, once per batch.
"""

from __future__ import annotations

from collections import deque

from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from tui.core.inspect import format as fmt
from tui.core.inspect.columns import ALL_COLUMNS, COLUMN_WIDTHS, elide_path, fit_columns
from tui.core.inspect.index import ExchangeIndex
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.safe.terminal import terminal_safe
from tui.ui.bindings import bind
from tui.ui.looks import BAD
from tui.ui.widgets.inspector_detail import ExchangeDetail
from tui.ui.widgets.inspector_exports import InspectorExports
from tui.ui.widgets.inspector_labels import step_label, t
from tui.ui.widgets.inspector_list import Cell, ExchangeList

_CLASS_OPTIONS = ("all", "problems", "2xx", "3xx", "4xx", "5xx", "error")
_CLASS_SETS: dict[str, frozenset[str] | None] = {
    "all": None,
    "problems": frozenset({fmt.PROBLEMS}),  # 4xx, 5xx, errors, less expected misses
    **{c: frozenset({c}) for c in fmt.STATUS_CLASSES},
}
#: Columns left to right. The path (long, variable) comes last and gets the room the
#: fixed-width columns leave; a narrow pane drops time, size and method first
#: (inspect_columns.fit_columns) and the path is elided in the middle, so its
#: distinguishing end stays visible.
_COLUMNS = ALL_COLUMNS
#: where each cell is in ``fmt.list_row`` (time, method, path, status, duration, size, step)
_ROW_AT = {
    c: i for i, c in enumerate(("time", "method", "path", "status", "duration", "size", "step"))
}
_STATUS_STYLE: dict[str, str | Style] = {"2xx": "green", "3xx": "yellow", "4xx": BAD, "5xx": BAD}


def is_pending(ex: Exchange) -> bool:
    """Sent and not answered yet: no status and no error (ExchangeLog.started)."""
    return ex.status is None and ex.error is None


class ExchangesRecorded(Message):
    """New exchanges are waiting in the pane's queue (posted from any thread).

    One flush takes every queued exchange, so a run of these waiting in the
    message queue is handled once.
    """

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ExchangesRecorded)


class InspectorPane(InspectorExports, Vertical):
    """The raw request/response inspector; ``show_exchange`` jumps to one exchange."""

    DEFAULT_CLASSES = "inspector"
    BINDINGS = [
        bind("c", "copy_curl", "inspector.b.curl", id="inspector.curl"),
        bind("h", "save_har", "inspector.b.har", id="inspector.har"),
        bind("j", "save_json", "inspector.b.json", id="inspector.json"),
        bind("J", "save_json_all", "inspector.b.json_all", id="inspector.json_all"),
        bind("f", "toggle_follow", "inspector.b.follow", id="inspector.follow"),
        bind("slash", "focus_filter", "inspector.b.filter", id="inspector.filter"),
        bind("S", "cycle_class", "inspector.b.class", id="inspector.class"),
    ]
    #: the pane's language, bound to the console's (MainScreen.lang)
    lang: reactive[str] = reactive("en")

    def __init__(self, log: ExchangeLog, lang: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        self.exchange_log = log
        self.lang = lang
        self.follow = True
        self._pending: deque[Exchange] = deque()
        #: every exchange seen, in arrival order, with the text the filter reads
        self._store = ExchangeIndex()
        self._filter_text = ""
        self._class = "all"
        self._filter_timer: Timer | None = None
        #: the columns that fit the pane, and the path column's width (see _fit)
        self._shown: tuple[str, ...] = _COLUMNS
        self._path_width = 40

    # --- building ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="inspector-bar"):
            yield Input(placeholder=t("filter.placeholder", self.lang), id="inspector-filter")
            yield self._class_select()
            yield Static(
                self._follow_label(), id="inspector-follow", classes="-on" if self.follow else ""
            )
            yield Static("", id="inspector-count")
        yield ExchangeList(self._cells, self._position, id="inspector-list")
        yield ExchangeDetail(self.lang, id="inspector-detail")

    def _class_select(self) -> Select:
        return Select(
            self._class_options(), value=self._class, allow_blank=False, id="inspector-class"
        )

    def _class_options(self) -> list[tuple[str, str]]:
        labels = {"all": "class.all", "problems": "class.problems", "error": "class.error"}
        return [(t(labels[c], self.lang) if c in labels else c, c) for c in _CLASS_OPTIONS]

    def _columns(self) -> list[tuple[str, str]]:
        return [(t(f"col.{n}", self.lang), n) for n in self._shown]

    def _add_columns(self, table: ExchangeList) -> None:
        table.set_columns(
            [
                (key, label, self._path_width if key == "path" else COLUMN_WIDTHS[key] + 1)
                for label, key in self._columns()
            ]
        )

    @property
    def _table(self) -> ExchangeList:
        return self.query_one(ExchangeList)

    def on_mount(self) -> None:
        if not self.app.is_running:  # the console quit as this pane was built: its
            return  # children may be gone already (NoMatches, a crash report)
        self._add_columns(self._table)
        self.exchange_log.subscribe(self._on_recorded)
        started = getattr(self.exchange_log, "subscribe_started", None)
        if started is not None:  # requests in flight show as pending rows
            started(self._on_recorded)
        self._reindex()
        self._rebuild(keep_selection=False)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Choose the columns for the list's width; rebuild only when that changes."""
        table = self._table
        width = table.size.width - 2  # room for the vertical scrollbar
        if width <= 0:
            return
        shown, path_width = fit_columns(width)
        box = self.query_one("#inspector-filter", Input)
        room = box.size.width or 60
        key = "filter.placeholder" if room >= 54 else "filter.medium" if room >= 30 else "short"
        box.placeholder = t(key if key != "short" else "filter.short", self.lang)
        if (shown, path_width) == (self._shown, self._path_width):
            return
        self._shown, self._path_width = shown, path_width
        self._add_columns(table)

    def on_unmount(self) -> None:
        self.exchange_log.unsubscribe(self._on_recorded)
        stop = getattr(self.exchange_log, "unsubscribe_started", None)
        if stop is not None:
            stop(self._on_recorded)

    # --- new exchanges (any thread) -------------------------------------------

    def _on_recorded(self, ex: Exchange) -> None:
        """Log listener: queue ``ex`` and say so (thread-safe)."""
        self._pending.append(ex)
        self.post_message(ExchangesRecorded())

    @on(ExchangesRecorded)
    def _recorded(self, message: ExchangesRecorded) -> None:
        message.stop()
        self._flush_pending()

    def _flush_pending(self) -> None:
        detail = self.query_one(ExchangeDetail)
        table = self._table
        added: list[Exchange] = []
        for ex, new in self._absorb():
            if not new:
                table.replace(ex, listed=self._passes(ex))  # a pending row gets its answer
                if detail.exchange_id == ex.id:
                    detail.show(ex)
            elif self._passes(ex):
                table.append(ex)
                added.append(ex)
        self._update_count()
        if added and self.follow:
            self._select_row(table.row_count - 1, soon=True)
        elif added and table.row_count == len(added):
            self._select_row(0, soon=True)  # the highlighted row is the one shown

    def _position(self, exchange_id: str) -> int | None:
        return self._store.position(exchange_id)

    def _absorb(self) -> list[tuple[Exchange, bool]]:
        """Take the queued exchanges into the pane's list: ``(exchange, is new)`` each."""
        taken = []
        while self._pending:
            ex = self._pending.popleft()
            known = self._store.get(ex.id)
            if is_pending(ex) and known is not None and not is_pending(known):
                continue  # the answer came first: never go back to pending
            taken.append((ex, self._store.put(ex)))
        return taken

    # --- list ---------------------------------------------------------------------

    def _passes(self, ex: Exchange) -> bool:
        return self._store.passes(ex, self._filter_text, _CLASS_SETS[self._class])

    def _cells(self, ex: Exchange) -> list[Cell]:
        """The row's cells for the shown columns, plain text (a pending request says so).

        Called by the list only for the rows it draws.
        """
        row = fmt.list_row(ex, self.lang)
        pending = is_pending(ex)
        if pending:
            row = (row[0], row[1], row[2], t("pending", self.lang), "…", "", row[6])
        cells: list[Cell] = []
        for column in self._shown:
            text = terminal_safe(row[_ROW_AT[column]])  # the URL, status, error
            style: str | Style | None = None
            if column == "path":
                text = elide_path(text, self._path_width)
            elif column == "step":
                text = step_label(text, self.lang)
            elif column == "status":
                if len(text) > COLUMN_WIDTHS[column]:
                    # connect_timeout: the detail shows it whole
                    text = text[: COLUMN_WIDTHS[column] - 1] + "…"
                style = "italic" if pending else None
                style = style or _STATUS_STYLE.get(fmt.status_class(ex), BAD)
            cells.append((text, style))
        return cells

    def _rebuild(self, keep_selection: bool = True) -> None:
        """List the exchanges that pass the current filter (on filter changes)."""
        table = self._table
        detail = self.query_one(ExchangeDetail)
        selected = detail.exchange_id if keep_selection else None
        self._absorb()
        table.set_rows(self._store.select(self._filter_text, _CLASS_SETS[self._class]))
        self._update_count()
        row = table.row_of(selected) if selected else None
        if row is not None and not self.follow:
            self._select_row(row)
        elif table.row_count and self.follow:
            self._select_row(table.row_count - 1)
        elif table.row_count:
            # The selection is filtered out: the cursor's row (the top) is highlighted,
            # so show it (a single match could not be reached with the keys otherwise).
            self._select_row(table.cursor_row)
        else:
            detail.show_placeholder(bool(self._store))

    def _reindex(self) -> None:
        """Take the log's exchanges, then those in flight, as the pane's own list (mount)."""
        self._pending.clear()
        items = self.exchange_log.all()
        flying = self.exchange_log.in_flight()
        done = {ex.id for ex in items} if flying else set()
        items += [ex for ex in flying if ex.id not in done]
        self._store = ExchangeIndex()
        for ex in items:
            self._store.put(ex)

    def _select_row(self, index: int, soon: bool = False) -> None:
        """Move the cursor to ``index`` and show that exchange (``soon``: a frame later)."""
        table = self._table
        table.move_cursor(row=index, animate=False)
        self._show(table.key_at(index), soon)

    def _show(self, exchange_id: str, soon: bool = False) -> None:
        ex = self._lookup(exchange_id)
        if ex is None:
            return
        detail = self.query_one(ExchangeDetail)
        if soon:
            detail.show_soon(ex)
        else:
            detail.show(ex)

    def _lookup(self, exchange_id: str) -> Exchange | None:
        ex = self._store.get(exchange_id)
        if ex is None:
            ex = self.exchange_log.get(exchange_id)
        return ex

    @on(ExchangeList.RowHighlighted, "#inspector-list")
    def _row_highlighted(self, event: ExchangeList.RowHighlighted) -> None:
        event.stop()
        if event.key != self.query_one(ExchangeDetail).exchange_id:
            self._show(event.key)

    def _update_count(self) -> None:
        # Every exchange the pane lists, those in flight included: the log counts only
        # the finished ones, so nine requests sent ahead read "9/0" before.
        total = len(self._store)
        text = t("count", self.lang, shown=self._table.row_count, total=total)
        count = self.query_one("#inspector-count", Static)
        # The screen is laid out again only when the width changes (99/99 -> 100/100).
        count.update(text, layout=len(text) != len(str(count.render())))

    def _follow_label(self) -> str:
        return t("follow.on" if self.follow else "follow.off", self.lang)

    # --- public API -------------------------------------------------------------

    def show_exchange(self, exchange_id: str) -> None:
        """Select and show one exchange (used by 'jump to evidence' from the checklist).

        Clears the filter if it hides the exchange and stops following the latest,
        so the evidence stays on screen while new exchanges arrive.
        """
        self._flush_pending()
        ex = self._lookup(exchange_id)
        if ex is None:
            self.notify(t("not_found", self.lang, id=exchange_id), severity="warning")
            return
        self._set_follow(False)
        if self._table.row_of(exchange_id) is None:
            self._filter_text, self._class = "", "all"
            self.query_one("#inspector-filter", Input).value = ""
            self.query_one("#inspector-class", Select).value = "all"
            self._rebuild(keep_selection=False)
        row = self._table.row_of(exchange_id)
        if row is not None:
            self._select_row(row)

    def focus_main(self) -> None:
        """Focus the exchange list (what the console does when it shows this pane)."""
        self._table.focus()

    def selected_exchange(self) -> Exchange | None:
        """The exchange shown in the detail view, if any."""
        eid = self.query_one(ExchangeDetail).exchange_id
        return self._lookup(eid) if eid else None

    def watch_lang(self, old: str, lang: str) -> None:
        """Switch the pane's language (labels, bindings, detail) in place."""
        if old == lang or not self.is_mounted:
            return
        table = self._table
        self._add_columns(table)  # new labels; rows are formatted again when drawn
        self.query_one("#inspector-filter", Input).placeholder = t("filter.placeholder", lang)
        self._fit()
        select = self.query_one("#inspector-class", Select)
        select.set_options(self._class_options())
        select.value = self._class
        # re-run the watcher: relabel the current choice (mypy cannot type a reactive read
        # from the generic Select class; this is Textual's documented call)
        select.mutate_reactive(Select.value)  # type: ignore[misc]
        self.query_one("#inspector-follow", Static).update(self._follow_label())
        detail = self.query_one(ExchangeDetail)
        detail.lang = lang
        self._update_count()
        ex = self.selected_exchange()  # rows are formatted again when drawn; the detail now
        if ex is None:
            detail.show_placeholder(len(self.exchange_log) > 0)
        else:
            detail.show(ex)
        self.refresh_bindings()

    # --- filter ----------------------------------------------------------------------

    @on(Input.Changed, "#inspector-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        value = event.value
        self._filter_timer = self.set_timer(0.15, lambda: self._set_filter(value))

    @on(Input.Submitted, "#inspector-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._set_filter(event.value)
        self._table.focus()

    def _set_filter(self, text: str) -> None:
        if text.strip() != self._filter_text:
            self._filter_text = text.strip()
            self._rebuild()

    @on(Select.Changed, "#inspector-class")
    def _class_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = str(event.value)
        if value in _CLASS_SETS and value != self._class:
            self._class = value
            self._rebuild()

    # --- actions -------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#inspector-filter", Input).focus()

    def action_cycle_class(self) -> None:
        idx = (_CLASS_OPTIONS.index(self._class) + 1) % len(_CLASS_OPTIONS)
        self.query_one("#inspector-class", Select).value = _CLASS_OPTIONS[idx]

    def action_toggle_follow(self) -> None:
        self._set_follow(not self.follow)
        if self.follow and self._table.row_count:
            self._select_row(self._table.row_count - 1)

    def _set_follow(self, value: bool) -> None:
        self.follow = value
        self.query_one("#inspector-follow", Static).update(self._follow_label())
        self.query_one("#inspector-follow", Static).set_class(value, "-on")
