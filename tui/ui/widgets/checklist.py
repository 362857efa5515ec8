"""The live checklist: one row per check, updated as the engine reports.

Each row is one widget that renders its line itself: fixed-width cell columns
(mark, title, result, duration), so Chinese titles line up (a CJK character is two
cells). A ListView gives keyboard (↑/↓/enter) and mouse selection for free.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from textual.content import Content
from textual.widgets import ListItem, ListView

from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.model import (
    CHECK_IDS,
    STATUS_MARKS,
    CheckResult,
    Status,
    bounds,
    step_limit,
)
from tui.core.diagnosis.remediation import check_title, status_label
from tui.core.i18n.catalogue import text
from tui.core.i18n.units import format_ms
from tui.ui.bindings import bind
from tui.ui.host import console, host
from tui.ui.labels import t
from tui.ui.safe import shown_content

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def _paren(said: str, inner: str, lang: str) -> str:
    """``said (inner)`` with the language's parentheses (``失败（auth.invalid_key）``)."""
    return text("core.paren", lang, text=said, inner=inner)


def running_text(elapsed_s: float, limit_s: float | None, lang: str) -> str | None:
    """``running · 4 s of 15 s``: a long wait shows it is moving, and until when.

    Past the limit (a step that makes several requests in turn) the limit no longer
    bounds it: ``running · 17 s``, never "17 s of 15 s".
    """
    if not limit_s:
        return None
    if not bounds(elapsed_s, limit_s):
        return t("d.running_for", lang, elapsed=int(elapsed_s))
    return t("d.running_limit", lang, elapsed=int(elapsed_s), limit=limit_s)


def format_duration(ms: float | None) -> str:
    """``850 ms`` / ``1.2 s``: short enough for the duration column."""
    return format_ms(ms, missing="", digits=1)


def result_duration(result: CheckResult) -> str:
    """The duration column of a finished step: none for a skipped one (it did not run;
    the text reports leave it blank too), never ``0 ms``."""
    return "" if result.status is Status.SKIP else format_duration(result.duration_ms)


def one_line(result: CheckResult, lang: str) -> str:
    """The row text for a finished check: its detail's first line, else its code."""
    text = detail_for(result, lang).strip().splitlines()
    return text[0] if text else _paren(status_label(result.status, lang), result.code, lang)


class ShownRow(NamedTuple):
    """What a row shows, column by column, as plain text (the result uncut)."""

    mark: str
    title: str
    result: str
    duration: str


#: Cell widths of the fixed columns; the result takes the rest of the row.
MARK_CELLS, TITLE_CELLS, DURATION_CELLS = 2, 16, 8

#: The mark's theme colour per status ("": the row's own colour).
MARK_STYLE = {
    Status.PENDING: "",
    Status.RUNNING: "$accent",
    # The text-* variants: the theme's colours made readable on its background
    # ($success on the light theme's rows was 1.5:1, $error on the dark one 2.8:1).
    Status.PASS: "$text-success",
    Status.WARN: "$text-warning",
    Status.FAIL: "$text-error",
    Status.SKIP: "$text-muted",
}

#: The result's theme colour per status ("": the row's own colour).
RESULT_STYLE = {
    Status.PENDING: "$text-muted",
    Status.RUNNING: "",
    Status.PASS: "",
    Status.WARN: "$text-warning",
    Status.FAIL: "$text-error",
    Status.SKIP: "$text-muted",
}


def _cells(content: Content, width: int) -> Content:
    """``content`` in exactly ``width`` cells: cut, or padded with spaces on the right."""
    return content.truncate(width, pad=True)


class CheckRow(ListItem):
    """One check: mark (or spinner), title, one-line result, duration.

    One widget without children: it renders its line itself (:meth:`render`), so a
    restyle (mount, focus, highlight) styles one node instead of five, and a change
    repaints the row alone. The row is one cell high (styles/app.tcss), so nothing it
    shows needs a layout of the screen.
    """

    def __init__(self, check_id: str, lang: str) -> None:
        super().__init__(id=f"row-{check_id}", classes="check-row")
        self.check_id = check_id
        self.lang = lang
        self.status = Status.PENDING
        self.result: CheckResult | None = None
        self.frame = 0
        #: time.monotonic() when the check started running (for elapsed / limit)
        self.started_at: float | None = None
        #: the status the row shows now (its colours)
        self._shown_status = Status.PENDING
        #: the result column as shown: the gateway's words, terminal-safe
        self._result = shown_content(status_label(Status.PENDING, lang))
        self._shown = ShownRow(
            STATUS_MARKS[Status.PENDING], check_title(check_id, lang), self._result.plain, ""
        )

    def shown_text(self) -> ShownRow:
        """What the row shows now, column by column (the result before it is cut)."""
        return self._shown

    def set_state(self, status: Status, result: CheckResult | None = None) -> None:
        """Show ``status`` (and the result once finished)."""
        if status is Status.RUNNING and self.status is not Status.RUNNING:
            self.started_at = time.monotonic()
        self.status = status
        self.result = result if status not in (Status.PENDING, Status.RUNNING) else None
        self.refresh_text()

    def _show(self, shown: ShownRow, result: Content | None = None) -> None:
        """Repaint the row only when what it shows (or its colours) changed; no layout."""
        if shown == self._shown and self.status is self._shown_status:
            return
        self._shown, self._shown_status = shown, self.status
        if result is not None:
            self._result = result
        self.refresh()

    def _mark(self) -> str:
        if self.status is Status.RUNNING:
            return SPINNER[self.frame % len(SPINNER)]
        return STATUS_MARKS[self.status]

    def refresh_text(self) -> None:
        """Show the current status, result and language (repaints only on a change)."""
        if not self.is_mounted:
            return
        if self.result is not None:
            text, dur = one_line(self.result, self.lang), result_duration(self.result)
        else:
            text, dur = status_label(self.status, self.lang), ""
            if self.status is Status.RUNNING:
                text = running_text(self._elapsed(), self._limit(), self.lang) or text
        result = shown_content(text)  # the gateway's words
        title = check_title(self.check_id, self.lang)
        self._show(ShownRow(self._mark(), title, result.plain, dur), result)

    def refresh_mark(self) -> None:
        """The mark alone (a spinner frame)."""
        if not self.is_mounted:
            return
        self._show(self._shown._replace(mark=self._mark()))

    def on_mount(self) -> None:
        self.refresh_text()

    def _colour(self, variable: str) -> str:
        """The theme's value of ``$variable``: Content markup keeps only the first word of
        a variable (``$text-muted`` is ``auto 60%``: it would show at full contrast)."""
        if not variable.startswith("$"):
            return variable
        return self.app.theme_variables.get(variable[1:], variable)

    def render(self) -> Content:
        """The line: fixed cell widths (a CJK character is two cells), so columns line
        up in both languages; the result is cut with an ellipsis, the duration right-aligned."""
        mark, title, _, duration = self._shown
        status = self._shown_status
        rest = max(0, self.size.width - MARK_CELLS - TITLE_CELLS - DURATION_CELLS)
        # Under the focused list's cursor the row takes the cursor's own colours: the
        # status colours on its blue were 1.0-1.5:1 (the failed step, selected for you).
        plain = self.highlighted and getattr(self.parent, "has_focus", False)
        result = self._result
        if RESULT_STYLE[status] and not plain:
            result = result.stylize(self._colour(RESULT_STYLE[status]))
        result = result.truncate(rest, ellipsis=True, pad=True)
        muted = "" if plain else self._colour("$text-muted")
        dur = Content.styled(duration, muted).truncate(DURATION_CELLS)
        mark_style = "bold" if plain else f"bold {self._colour(MARK_STYLE[status])}".strip()
        return Content.assemble(
            _cells(Content.styled(mark, mark_style), MARK_CELLS),
            _cells(Content.styled(title, "bold"), TITLE_CELLS),
            result,
            dur.pad_left(DURATION_CELLS - dur.cell_length),
        )

    def watch_highlighted(self, value: bool) -> None:
        super().watch_highlighted(value)
        self.refresh()  # its colours depend on it (render)

    def _elapsed(self) -> float:
        """Seconds running; 0 while the spinner is frozen (snapshots stay stable)."""
        if self.started_at is None or not console(self).animate_spinner:
            return 0.0
        return time.monotonic() - self.started_at

    def _limit(self) -> float | None:
        """The step's request limit: ``--timeout``, twice it for the streamed answer."""
        target = host(self).target
        return None if target is None else step_limit(self.check_id, target)


class Checklist(ListView):
    """All checks in order; ``app.animate_spinner`` False freezes the spinner (snapshots).

    PgUp/PgDn scroll the step detail below while the list keeps the focus, so
    on 80×24 the remediation under the fold is one key away.
    """

    BINDINGS = [
        bind(
            "pagedown",
            "scroll_detail(1)",
            "ui.b.scroll_detail",
            id="checks.scroll.down",
            show=False,
        ),
        bind(
            "pageup", "scroll_detail(-1)", "ui.b.scroll_detail", id="checks.scroll.up", show=False
        ),
    ]

    def __init__(self, lang: str = "en", **kwargs) -> None:
        self.rows = {cid: CheckRow(cid, lang) for cid in CHECK_IDS}
        super().__init__(*self.rows.values(), **kwargs)
        self.lang = lang

    def on_mount(self) -> None:
        self.set_interval(0.1, self._spin)

    def on_focus(self) -> None:
        self._repaint_cursor_row()

    def on_blur(self) -> None:
        self._repaint_cursor_row()

    def _repaint_cursor_row(self) -> None:
        """The row under the cursor draws in the cursor's colours only while focused."""
        item = self.highlighted_child
        if item is not None:
            item.refresh()

    def _spin(self) -> None:
        if not console(self).animate_spinner:
            return
        for row in self.rows.values():
            if row.status is Status.RUNNING:
                row.frame += 1
                row.refresh_text()  # the mark; the elapsed seconds once a second

    def set_running(self, check_id: str) -> None:
        if check_id in self.rows:
            self.rows[check_id].set_state(Status.RUNNING)

    def set_result(self, result: CheckResult) -> None:
        if result.id in self.rows:
            self.rows[result.id].set_state(result.status, result)

    def set_pending(self, check_ids: set[str] | frozenset[str] | None = None) -> None:
        for cid, row in self.rows.items():
            if check_ids is None or cid in check_ids:
                row.set_state(Status.PENDING)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        for row in self.rows.values():
            row.lang = lang
            row.refresh_text()

    def action_scroll_detail(self, direction: int) -> None:
        for detail in self.screen.query("#detail"):
            if direction > 0:
                detail.scroll_page_down(animate=False)
            else:
                detail.scroll_page_up(animate=False)

    @property
    def selected_id(self) -> str | None:
        """The id of the highlighted check, if any."""
        item = self.highlighted_child
        return item.check_id if isinstance(item, CheckRow) else None

    def select_check(self, check_id: str) -> None:
        """Highlight ``check_id`` (e.g. the first failure after a run)."""
        if check_id in CHECK_IDS:
            self.index = CHECK_IDS.index(check_id)
