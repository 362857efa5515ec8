"""The expanded view of one step: what was seen, why, what to do, summary.

Text is assembled with ``rich.text.Text`` pieces, never markup, so an error
body full of brackets from a gateway is shown exactly as received; what the
gateway said goes through :func:`~tui.ui.safe.shown` (masked, escapes made
visible).
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.model import CheckResult, Report, Status
from tui.core.diagnosis.remediation import check_title, label, remedy_for, status_label
from tui.core.i18n.catalogue import Msg, join, render
from tui.core.models.hint import working_names
from tui.core.net.exchange import ExchangeLog
from tui.ui.host import host
from tui.ui.labels import t
from tui.ui.looks import BAD, GOOD, HEADING, NOTICE
from tui.ui.safe import shown

_STATUS_STYLE: dict[Status, str | Style] = {
    Status.PASS: GOOD,
    Status.WARN: NOTICE,
    Status.FAIL: BAD,
    Status.SKIP: "dim",
    Status.RUNNING: "bold",
    Status.PENDING: "dim",
}


def build_summary(
    report: Report,
    result: CheckResult,
    lang: str,
    log: ExchangeLog | None,
    now: datetime | None = None,
) -> str:
    """The support summary for ``result`` (``c`` copies the same text), masked."""
    from tui.core.diagnosis.summary import support_summary

    return shown(support_summary(report, check=result, lang=lang, log=log, now=now))


def _grid(rows: list[tuple[str, str]], key_style: str = "bold") -> Table:
    """Two columns, so a long value wraps under itself, not under the label."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)  # indent under the section heading
    grid.add_column(style=key_style, no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in rows:
        grid.add_row("", Text(name), Text(value))
    return grid


def describe(result: CheckResult, lang: str, target: object = None) -> Group:
    """Heading, what was seen and (for problems) why and what to do."""
    head = Text()
    head.append(f"{result.mark} {check_title(result.id, lang)} — ", style="bold")
    head.append(status_label(result.status, lang), style=_STATUS_STYLE[result.status])
    head.append("\n\n")
    head.append(t("d.seen", lang), style=HEADING)
    rows = [(t("d.code", lang), result.code)]
    if result.http_status is not None:
        rows.append((t("d.http", lang), str(result.http_status)))
    detail = detail_for(result, lang)
    if detail:
        rows.append((t("d.detail", lang), detail))
    # The gateway's words once: a detail that quotes them (and adds, e.g. the closest
    # listed models) is shown whole; before, it gave way to the bare error.
    if result.error_text and not (detail and result.error_text in detail):
        rows.append((t("d.error", lang), result.error_text))
    if result.request_ids:
        rows.append((t("d.request_ids", lang), join(result.request_ids, lang)))
    late = result.evidence.get("loop_late_ms")
    if isinstance(late, int | float) and not isinstance(late, bool) and late > 0:
        rows.append((t("d.busy", lang), t("d.busy.value", lang, ms=f"{late:.0f}")))
    working = working_names(result.evidence)  # issue 17: its own row, never cut
    if working:
        rows.append((label("working_models", lang), working))
    seen = _grid([(t("d.label", lang, name=name), shown(value)) for name, value in rows])
    if result.status not in (Status.FAIL, Status.WARN):
        return Group(head, seen, Text("\n" + t("d.ok", lang), style="dim"))
    rem = remedy_for(result, lang, target)
    why = Text()
    why.append("\n" + rem.title + "\n", style="bold")
    why.append("\n" + t("d.why", lang) + "\n", style=HEADING)
    why.append(rem.why + "\n")
    why.append("\n" + t("d.steps", lang), style=HEADING)
    steps = _grid([(f"{i}.", step) for i, step in enumerate(rem.steps, 1)], key_style="")
    return Group(head, seen, why, steps)


class StepDetail(VerticalScroll):
    """Shows the selected step, the setup notice, or a hint; scrolls."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-main")
        yield Static(id="detail-summary")
        yield Static(id="detail-hint")

    def on_mount(self) -> None:
        self.show_text(t("d.pick", host(self).lang))

    def _set(
        self, main: RenderableType, summary: str | None = None, hint: str | None = None
    ) -> None:
        self.query_one("#detail-main", Static).update(main)
        box = self.query_one("#detail-summary", Static)
        box.display = summary is not None
        box.update(Text(shown(summary or "")))
        box.border_title = t("d.summary", host(self).lang)
        hint_w = self.query_one("#detail-hint", Static)
        hint_w.display = hint is not None
        hint_w.update(Text(hint or "", style="dim"))
        self.scroll_home(animate=False)

    def show_text(self, text: str) -> None:
        self._set(Text(text))

    def show_result(
        self,
        result: CheckResult | None,
        report: Report | None,
        lang: str,
        log: ExchangeLog | None = None,
        now: datetime | None = None,
        status: Status | None = None,
    ) -> None:
        """Expand ``result``; problems also get remediation and the summary."""
        if result is None:
            running = status is Status.RUNNING
            self.show_text(t("d.running" if running else "d.pending", lang))
            return
        summary = None
        if report is not None and result.status in (Status.FAIL, Status.WARN):
            try:
                summary = build_summary(report, result, lang, log, now)
            except Exception as exc:  # a summary bug must not hide the remediation
                summary = t("d.summary_failed", lang, error=exc)
        hint = t("d.hint", lang) if result.status in (Status.FAIL, Status.WARN) else None
        target = report.target if report is not None else None
        self._set(describe(result, lang, target), summary, hint)

    def show_handshake(self, result: CheckResult, lang: str) -> None:
        """``e`` on a step that failed in the TLS handshake: the certificate evidence."""
        from tui.ui.widgets.handshake import handshake_view

        self._set(handshake_view(result, lang), hint=t("d.hint", lang))

    def show_setup(self, missing: list[str], problems: list[Msg], lang: str) -> None:
        """Nothing configured: say what is missing, how to provide it, offer the demo."""
        out = Text()
        out.append(t("setup.title", lang) + "\n\n", style="bold")
        if missing:
            what = t("setup.sep", lang).join(t(f"setup.{m}", lang) for m in missing)
            out.append(t("setup.missing", lang, what=what) + "\n\n", style=NOTICE)
        out.append(t("setup.how", lang) + "\n\n")
        if problems:
            out.append(t("setup.problems", lang) + "\n", style="bold")
            for p in problems:
                out.append(f"  • {shown(render(p, lang))}\n")  # p: a catalogue message
            out.append("\n")
        out.append(t("setup.demo", lang) + "\n", style="bold")
        out.append(t("setup.wizard", lang) + "\n", style="bold")
        self._set(out)
