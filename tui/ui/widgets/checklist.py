"""The live checklist: one row per check, updated as the engine reports.

Rows are fixed-width cell columns (mark, title, result, duration), so Chinese
titles line up: Textual measures CJK characters as two cells. A ListView gives
keyboard (↑/↓/enter) and mouse selection for free.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, ListItem, ListView

from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.model import CHECK_IDS, STATUS_MARKS, CheckResult, Status
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
    """``running · 4 s of the 15 s limit``: a long wait shows it is moving, and until when."""
    if not limit_s:
        return None
    return t("d.running_limit", lang, elapsed=int(elapsed_s), limit=limit_s)


def format_duration(ms: float | None) -> str:
    """``850 ms`` / ``1.2 s``: short enough for the duration column."""
    return format_ms(ms, missing="", digits=1)


def one_line(result: CheckResult, lang: str) -> str:
    """The row text for a finished check: its detail's first line, else its code."""
    text = detail_for(result, lang).strip().splitlines()
    return text[0] if text else _paren(status_label(result.status, lang), result.code, lang)


class CheckRow(ListItem):
    """One check: mark (or spinner), title, one-line result, duration."""

    def __init__(self, check_id: str, lang: str) -> None:
        super().__init__(id=f"row-{check_id}", classes="check-row -pending")
        self.check_id = check_id
        self.lang = lang
        self.status = Status.PENDING
        self.result: CheckResult | None = None
        self.frame = 0
        #: time.monotonic() when the check started running (for elapsed / limit)
        self.started_at: float | None = None
        #: label class -> the text it shows now
        self._shown: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label(STATUS_MARKS[Status.PENDING], classes="mark")
        yield Label(check_title(self.check_id, self.lang), classes="title")
        yield Label("", classes="result")
        yield Label("", classes="duration")

    def set_state(self, status: Status, result: CheckResult | None = None) -> None:
        """Show ``status`` (and the result once finished)."""
        # One restyle, and none when the status is unchanged (a restyle walks the row).
        self.update_classes({f"-{s.value}": s is status for s in Status})
        if status is Status.RUNNING and self.status is not Status.RUNNING:
            self.started_at = time.monotonic()
        self.status = status
        self.result = result if status not in (Status.PENDING, Status.RUNNING) else None
        self.refresh_text()

    def _put(self, part: str, text: str | Content) -> None:
        """Update one label only when its text changed; every label has a fixed size
        (styles/app.tcss), so no update needs a layout of the screen."""
        key = text.plain if isinstance(text, Content) else text
        if self._shown.get(part) == key:
            return
        self._shown[part] = key
        self.query_one(f".{part}", Label).update(text, layout=False)

    def refresh_text(self) -> None:
        """Re-render the labels for the current status and language."""
        if not self.is_mounted:
            return
        self.refresh_mark()
        self._put("title", check_title(self.check_id, self.lang))
        if self.result is not None:
            text, dur = one_line(self.result, self.lang), format_duration(self.result.duration_ms)
        else:
            text, dur = status_label(self.status, self.lang), ""
            if self.status is Status.RUNNING:
                text = running_text(self._elapsed(), self._limit(), self.lang) or text
        self._put("result", shown_content(text))  # the gateway's words
        self._put("duration", dur)

    def refresh_mark(self) -> None:
        """The mark alone (the spinner's 10 frames a second touch nothing else)."""
        if not self.is_mounted:
            return
        mark = SPINNER[self.frame % len(SPINNER)] if self.status is Status.RUNNING else None
        self._put("mark", mark or STATUS_MARKS[self.status])

    def on_mount(self) -> None:
        self.refresh_text()

    def _elapsed(self) -> float:
        """Seconds running; 0 while the spinner is frozen (snapshots stay stable)."""
        if self.started_at is None or not console(self).animate_spinner:
            return 0.0
        return time.monotonic() - self.started_at

    def _limit(self) -> float | None:
        """Each request of a check is bounded by the target's timeout (``--timeout``)."""
        target = host(self).target
        return None if target is None else target.timeout


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
