"""The console's Trial pane (issue 16, key 4): the roll-out trial's stages live, like
the checklist, and the selected stage expanded (what was seen, why, what to do, the
support summary with the capability table).

``g`` (or the palette's "Run the roll-out trial") reads the model's price where the
gateway publishes one, shows the budget in a modal and runs the trial after "yes", in
an exclusive worker on the app's loop; the runner's events come back as messages, and
only the message handlers touch the widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Label, ListItem, ListView, Static

from tui.core.diagnosis.model import STATUS_MARKS, Report, Status
from tui.core.diagnosis.remediation import remedy, status_label
from tui.core.i18n.catalogue import render, text
from tui.core.i18n.units import format_ms
from tui.core.safe.masking import mask
from tui.core.trial.codes import STAGES
from tui.core.trial.model import Settings, StageResult, TrialRun
from tui.core.trial.runner import StageFinished, StageStarted, TrialEvent
from tui.core.trial.table import SHOWN, figure, stage_title
from tui.ui.bindings import bind
from tui.ui.host import console, host
from tui.ui.looks import BAD, GOOD, HEADING, NOTICE
from tui.ui.safe import shown
from tui.ui.screens.confirm import Confirm

__all__ = ["ConfirmTrial", "TrialView"]

_STYLE: dict[Status, str | Style] = {
    Status.PASS: GOOD,
    Status.WARN: NOTICE,
    Status.FAIL: BAD,
    Status.SKIP: "dim",
}


def _v(part: str, lang: str, **params: object) -> str:
    return text(f"trial.view.{part}", lang, **params)


@dataclass
class TrialStageStarted(Message):
    stage: str


@dataclass
class TrialStageFinished(Message):
    result: StageResult


@dataclass
class TrialDone(Message):
    run: TrialRun | None
    report: Report | None
    error: str | None = None


class ConfirmTrial(Confirm):
    """The budget before anything is sent: y runs the trial, n or Esc sends nothing."""

    DEFAULT_CSS = "ConfirmTrial > Vertical { width: 80; }"
    BINDINGS = [
        bind("y", "answer(True)", "trial.view.b_yes", id="trial.confirm.yes"),
        bind("n,escape", "answer(False)", "trial.view.b_no", id="trial.confirm.no"),
    ]

    def __init__(self, lines: list[str], lang: str) -> None:
        self.lines, self.lang = lines, lang
        yes, no = _v("yes", lang), _v("no", lang)
        super().__init__(lines[0], lines[1:], yes, no, yes_id="trial-yes", no_id="trial-no")


class StageRow(ListItem):
    """One stage: mark, name, its one-line result, how long it took."""

    def __init__(self, stage: str, lang: str) -> None:
        super().__init__(id=f"trial-row-{stage}", classes="trial-row")
        self.stage, self.lang = stage, lang
        self.status = Status.PENDING
        self.result: StageResult | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("", classes="trial-mark")
            yield Label("", classes="trial-title")
            yield Label("", classes="trial-result")
            yield Label("", classes="trial-took")

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_text)

    def set_state(self, status: Status, result: StageResult | None = None) -> None:
        self.status, self.result = status, result
        self.refresh_text()

    def refresh_text(self) -> None:
        if not self.is_mounted:
            return
        res, lang = self.result, self.lang
        mark = STATUS_MARKS[self.status]
        said = status_label(self.status, lang)
        took = ""
        if res is not None:
            said = render(res.message, lang) if res.message is not None else res.code
            took = format_ms(res.elapsed_ms, missing="", digits=1) if res.elapsed_ms else ""
        style = _STYLE.get(self.status, "")
        self.query_one(".trial-mark", Label).update(Text(mark, style=style))
        self.query_one(".trial-title", Label).update(stage_title(self.stage, lang))
        # One line, cut with "…" where the row is narrower than the sentence.
        line = Text(shown(" ".join(said.split())), no_wrap=True, overflow="ellipsis")
        self.query_one(".trial-result", Label).update(line)
        self.query_one(".trial-took", Label).update(took)


def _grid(rows: list[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in rows:
        grid.add_row("", Text(name), Text(value))
    return grid


def describe(res: StageResult, lang: str) -> RenderableType:
    """What was seen (code, detail, figures) and, for a problem, why and what to do."""
    head = Text()
    head.append(f"{STATUS_MARKS[res.status]} {stage_title(res.id, lang)} — ", style="bold")
    head.append(status_label(res.status, lang), style=_STYLE.get(res.status, ""))
    head.append("\n\n" + _v("seen", lang), style=HEADING)
    detail = render(res.message, lang) if res.message is not None else res.detail
    rows = [(_v("code", lang), res.code), (_v("detail", lang), shown(detail))]
    unit = str(res.figures.get("abort_unit") or "")
    figs = [shown(figure(k, res.figures[k], lang, unit)) for k in SHOWN if k in res.figures]
    rows += [(_v("figures", lang) if i == 0 else "", f) for i, f in enumerate(figs)]
    if res.tokens_in or res.tokens_out:
        rows.append(("", _v("tokens", lang, tokens_in=res.tokens_in, tokens_out=res.tokens_out)))
    parts: list[RenderableType] = [head, _grid(rows)]
    if res.status in (Status.FAIL, Status.WARN, Status.SKIP):
        r = remedy(res.code, lang)
        why = Text("\n" + r.title + "\n", style="bold")
        why.append("\n" + _v("why", lang) + "\n", style=HEADING)
        why.append(r.why + "\n\n")
        why.append(_v("steps", lang), style=HEADING)
        parts += [why, _grid([(f"{i}.", s) for i, s in enumerate(r.steps, 1)])]
    return Group(*parts)


class TrialView(Vertical):
    """The Trial pane: a status line, the stages, the selected stage expanded."""

    DEFAULT_CSS = """
    TrialView { height: 1fr; }
    TrialView #trial-status { height: auto; max-height: 2; padding: 0 1; background: $boost; }
    TrialView #trial-stages { height: auto; max-height: 11; }
    TrialView .trial-row Horizontal { height: 1; }
    TrialView .trial-mark { width: 2; }
    TrialView .trial-title { width: 14; }
    TrialView .trial-result { width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    TrialView .trial-took { width: 9; text-align: right; }
    TrialView #trial-detail { height: 1fr; padding: 0 1; border-top: solid $panel; overflow-x: auto; }
    TrialView #trial-main { width: 100%; }
    TrialView #trial-summary { border: round $panel; padding: 0 1; margin-top: 1; width: auto; }
    """
    BINDINGS = [
        bind("g", "start", "trial.view.b_start", id="trial.run"),
        bind("c", "copy_summary", "trial.view.b_copy", id="trial.copy"),
    ]
    lang: reactive[str] = reactive("en")

    def __init__(self, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_reactive(TrialView.lang, lang)
        self.rows = {s: StageRow(s, lang) for s in STAGES}
        self.run_: TrialRun | None = None
        self.report: Report | None = None
        self.running = False
        self.state = "idle"  # idle, asking, running, done, declined, error
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="trial-status")
        yield ListView(*self.rows.values(), id="trial-stages")
        with VerticalScroll(id="trial-detail"):
            yield Static(id="trial-main")
            yield Static(id="trial-summary")

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_view)

    def focus_main(self) -> None:
        self.query_one("#trial-stages", ListView).focus()

    def watch_lang(self, old: str, lang: str) -> None:
        if old == lang or not self.is_mounted:
            return
        for row in self.rows.values():
            row.lang = lang
            row.refresh_text()
        self.refresh_view()

    # ----- showing -----------------------------------------------------------------
    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        lang = self.lang
        status = self.query_one("#trial-status", Static)
        if self.state == "done" and self.run_ is not None:
            tin, tout = self.run_.tokens()
            verdict = status_label(self.run_.verdict, lang)
            said = _v("done", lang, verdict=verdict, tokens_in=tin, tokens_out=tout)
        elif self.state == "error":
            said = _v("error", lang, error=self.error or "")
        else:
            said = _v(self.state, lang)
        status.update(Text(shown(said)))
        self.show_selected()

    def selected(self) -> StageResult | None:
        item = self.query_one("#trial-stages", ListView).highlighted_child
        return item.result if isinstance(item, StageRow) else None

    def show_selected(self) -> None:
        lang = self.lang
        main = self.query_one("#trial-main", Static)
        box = self.query_one("#trial-summary", Static)
        res = self.selected()
        box.display = False
        if res is None:
            main.update(Text(_v("pick", lang), style="dim"))
            return
        main.update(describe(res, lang))
        summary = self.summary()
        if summary is not None and res.status in (Status.FAIL, Status.WARN):
            box.display = True
            box.border_title = _v("summary", lang)
            # Not wrapped: the capability table keeps its columns; the pane scrolls sideways.
            box.update(Text(shown(summary), no_wrap=True, overflow="ignore"))

    def summary(self) -> str | None:
        """The trial's support summary (the trial first, the checklist as context)."""
        if self.run_ is None or self.state != "done":
            return None
        from tui.core.trial.summary import trial_summary

        app = console(self)
        return trial_summary(self.run_, self.report, self.lang, app.exchange_log, app.now)

    def action_copy_summary(self) -> None:
        """``c`` here copies the trial's summary, not the checklist step's."""
        summary = self.summary()
        if summary is None:
            console(self).copy_summary()  # no trial yet: the checklist's, as elsewhere
            return
        from tui.ui.clipboard import copy_text, outcome_message

        app = console(self)
        outcome = copy_text(summary, osc52=self.app.copy_to_clipboard, system=app.system_copy)
        message, severity = outcome_message(outcome, self.lang)
        self.notify(message, severity=severity, timeout=8)
        app.last_copy = outcome

    @on(ListView.Highlighted, "#trial-stages")
    def _highlighted(self) -> None:
        self.show_selected()

    def show_run(self, run: TrialRun, report: Report | None) -> None:
        """Show a finished run (also what a test gives to pin the pane's content)."""
        self.run_, self.report, self.state = run, report, "done"
        for res in run.stages:
            self.rows[res.id].set_state(res.status, res)
        problem = next((s for s in run.stages if s.status in (Status.FAIL, Status.WARN)), None)
        stages = self.query_one("#trial-stages", ListView)
        if problem is not None:
            stages.index = STAGES.index(problem.id)
        self.refresh_view()

    # ----- running -----------------------------------------------------------------
    def action_start(self) -> None:
        if self.running:
            return
        self.start_trial()

    @work(exclusive=True, group="trial", exit_on_error=False)
    async def start_trial(self) -> None:
        """Price where published → the budget, asked in a modal → the trial, live."""
        from tui.core.trial.budget import budget_lines, with_catalogue
        from tui.core.trial.runner import run_trial

        app = host(self)
        target, lang = app.target, self.lang
        if target is None or not target.base_url.strip():
            self.state = "no_target"
            self.refresh_view()
            return
        self.running, self.state = True, "asking"
        self.refresh_view()
        try:
            settings = await with_catalogue(target, app.exchange_log, Settings())
            lines = budget_lines(settings, target.model, lang)
            if not await self.app.push_screen_wait(ConfirmTrial(lines, lang)):
                self.state = "declined"
                return
            self.post_message(TrialDone(None, None, error=""))  # clears the rows
            report = console(self).report

            def on_event(event: TrialEvent) -> None:
                if isinstance(event, StageStarted):
                    self.post_message(TrialStageStarted(event.stage))
                elif isinstance(event, StageFinished):
                    self.post_message(TrialStageFinished(event.result))

            run, checked = await run_trial(
                target, app.exchange_log, settings, report=report, on_event=on_event, lang=lang
            )
            self.post_message(TrialDone(run, checked))
        except Exception as exc:  # never a traceback in the console
            self.post_message(TrialDone(None, None, error=mask(f"{type(exc).__name__}: {exc}")))
        finally:
            self.running = False
            if self.state in ("asking", "declined"):
                self.refresh_view()

    def on_trial_stage_started(self, message: TrialStageStarted) -> None:
        self.rows[message.stage].set_state(Status.RUNNING)

    def on_trial_stage_finished(self, message: TrialStageFinished) -> None:
        res = message.result
        self.rows[res.id].set_state(res.status, res)
        self.show_selected()

    def on_trial_done(self, message: TrialDone) -> None:
        if message.run is not None:
            self.show_run(message.run, message.report)
            self._record(message.run, message.report)
            return
        if message.error:
            self.state, self.error = "error", message.error
        else:  # a new run starts: every stage pending again
            self.state, self.run_, self.report = "running", None, None
            for row in self.rows.values():
                row.set_state(Status.PENDING)
        self.refresh_view()

    def _record(self, run: TrialRun, report: Report | None) -> None:
        """The run into the history (issue 18), in a thread: a file write."""
        from tui.core.trial.runner import record
        from tui.core.trial.table import to_dict

        result = to_dict(run, report, self.lang)
        app = self.app

        def work() -> None:
            problem = record(run, result)
            if problem is not None:  # said as the checklist says it (history not written)
                app.call_from_thread(
                    lambda: app.notify(render(problem, self.lang), severity="warning")
                )

        self.run_worker(work, thread=True, exit_on_error=False)
