"""The console's run history (issue 18): the line under the checklist saying what
changed since the last passing run, and the history pane behind it (key 5).

The pane lists this setup's runs with their verdicts over time, a latency
sparkline per step, and the changes since the last passing run; ``w`` toggles
watching (the checks re-run every interval, each run appended and shown live),
``R`` returns the profile to its last passing run after a confirmation (the key
is never restored). Recording and reading the file happen in a thread worker;
the widgets are updated from the UI loop only.
"""

from __future__ import annotations

import math
from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.diagnosis.model import CHECK_IDS
from tui.core.diagnosis.remediation import check_title, status_label
from tui.core.i18n.catalogue import Msg, render, text
from tui.core.i18n.units import format_ms
from tui.core.i18n.width import pad
from tui.ui.bindings import bind
from tui.ui.looks import BAD, GOOD, HEADING, NOTICE
from tui.ui.safe import shown
from tui.ui.widgets.history_dialogs import ConfirmRestore, RunDiff
from tui.ui.widgets.since_line import SHOWN_RUNS, SinceLine, record_console_run

__all__ = ["SHOWN_RUNS", "HistoryView", "SinceLine", "record_console_run", "spark"]

__all__ = ["ConfirmRestore", "HistoryView", "SinceLine", "record_console_run", "spark"]

#: Runs shown (the sparklines and verdict strip cover these).
_MARK_STYLE: dict[str, str | Style] = {"pass": GOOD, "warn": NOTICE, "fail": BAD, "skip": "dim"}
_MARKS = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "–"}  # not-ui-text: status marks
_BLOCKS = "▁▂▃▄▅▆▇█"  # not-ui-text: sparkline bars


def spark(values: list[float | None]) -> Text:
    """A sparkline scaled to this step's own slowest run; a run where the step did
    not run (skipped, no time) is a gap, not a zero; a step that always took ~0 ms
    stays low, not a row of full bars."""
    top = max((v for v in values if v is not None and math.isfinite(v)), default=0.0)
    top = max(top, 1.0)  # below a millisecond differences mean nothing: 0.02 ms stays low
    out = Text()
    for v in values:
        if v is None:
            out.append(" ")
        elif not math.isfinite(v):
            out.append(_BLOCKS[0])
        else:
            level = round(v / top * (len(_BLOCKS) - 1)) if top > 0 else 0
            out.append(_BLOCKS[max(0, min(level, len(_BLOCKS) - 1))])
    return out


def _h(part: str, lang: str, **params: object) -> str:
    return text(f"history.view.{part}", lang, **params)


class HistoryView(Vertical):
    """The history pane: status, changes, verdicts over time, sparklines, runs."""

    DEFAULT_CSS = """
    HistoryView { height: 1fr; }
    HistoryView #history-status { height: 1; padding: 0 1; background: $boost; }
    HistoryView #history-body { height: 1fr; min-height: 3; padding: 0 1; }
    HistoryView .history-spark-row { height: 1; }
    HistoryView .history-spark-label { width: 16; height: 1; }
    HistoryView .history-spark { width: auto; height: 1; color: $accent; }
    HistoryView .history-spark-value { width: auto; height: 1; padding: 0 1; color: $text-muted; }
    HistoryView Static.history-block { height: auto; margin-bottom: 1; }
    HistoryView #history-runs-title { height: 1; padding: 0 1; }
    HistoryView #history-runs {
        height: auto; max-height: 55%; min-height: 3; border: none; padding: 0 1;
    }
    """
    # Bound on the pane, and Tab stays in it: after Tab the keys are still the pane's
    # (w, R), and R never falls through to the checklist's "re-run step".
    BINDINGS = [
        bind("w", "toggle_watch", "history.view.b_watch", id="history.watch"),
        bind("R", "restore", "history.view.b_restore", id="history.restore"),
        bind(
            "tab,shift+tab",  # not-ui-text: key names
            "focus_main",
            "history.view.b_runs",
            id="history.runs",
            show=False,
        ),
    ]
    lang: reactive[str] = reactive("en")

    def __init__(self, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_reactive(HistoryView.lang, lang)
        self.records: list[dict[str, Any]] = []
        self.comparison: Any = None
        self.since: Msg | None = None
        self.watching = False
        self.every = 60.0
        self._timer: Any = None

    def compose(self) -> ComposeResult:
        yield Static(id="history-status")
        with VerticalScroll(id="history-body", can_focus=False):
            yield Static(id="history-changes", classes="history-block")
            yield Static(id="history-verdicts", classes="history-block")
            yield Static(id="history-latency-title")
            for cid in CHECK_IDS:
                with Horizontal(classes="history-spark-row"):
                    yield Label(id=f"spark-label-{cid}", classes="history-spark-label")
                    yield Label(id=f"spark-{cid}", classes="history-spark")
                    yield Label(id=f"spark-value-{cid}", classes="history-spark-value")
        # Below the scrolling part, not in it: the list of runs is always on screen (at
        # 80x24 the sparklines alone would fill the pane), as tall as its runs up to a
        # little over half the pane; the changes and sparklines scroll in the rest.
        yield Static(id="history-runs-title")
        yield OptionList(id="history-runs")

    def focus_main(self) -> None:
        """The runs list: ↑/↓ choose a run, Enter opens its diff."""
        self.query_one("#history-runs", OptionList).focus()

    def action_focus_main(self) -> None:
        self.focus_main()

    def on_mount(self) -> None:
        if not self.app.is_running:  # the console quit as this pane was built: its
            return  # children may be gone already (NoMatches, a crash report)
        self.refresh_view()
        self._load()

    def _load(self) -> None:
        """The runs already on file (a run may have been recorded before this pane)."""
        app = self.app
        target, report = getattr(app, "target", None), getattr(app, "report", None)
        if target is None:
            return

        def work() -> None:
            from tui.core import history

            problems: list[Msg] = []
            records = history.recent(history.scope_for(target), SHOWN_RUNS, problems)
            comparison = history.comparison_for(report) if report is not None else None
            verdict = getattr(report, "verdict", "pass")
            since = history.since_message(comparison, verdict)
            app.call_from_thread(self._loaded, records, comparison, since, problems)

        self.run_worker(work, thread=True, group="history-load", exit_on_error=False)

    def _loaded(
        self,
        records: list[dict[str, Any]],
        comparison: Any,
        since: Msg | None,
        problems: list[Msg] | None = None,
    ) -> None:
        for problem in problems or []:  # an unreadable line is said, never an empty pane
            self.app.notify(render(problem, self.lang), severity="warning")
        if not self.records:  # a run recorded meanwhile already showed its own
            self.show(records, comparison, since)

    def watch_lang(self, old: str, lang: str) -> None:
        if old != lang and self.is_mounted:
            self.refresh_view()

    def show(self, records: list[dict[str, Any]], comparison: Any, since: Msg | None) -> None:
        self.records, self.comparison, self.since = records[-SHOWN_RUNS:], comparison, since
        if self.is_mounted:
            self.refresh_view()

    # ----- rendering ------------------------------------------------------------------
    def refresh_view(self) -> None:
        lang = self.lang
        status = (
            _h("watching", lang, every=f"{self.every:g}")
            if self.watching
            else _h("not_watching", lang)
        )
        self.query_one("#history-status", Static).update(
            Text.assemble((_h("title", lang), "bold"), "  ", status)
        )
        self.query_one("#history-changes", Static).update(self._changes(lang))
        self.query_one("#history-verdicts", Static).update(self._verdicts(lang))
        self.query_one("#history-latency-title", Static).update(
            Text(_h("latency", lang), style=HEADING)
        )
        for cid in CHECK_IDS:
            self.query_one(f"#spark-label-{cid}", Label).update(check_title(cid, lang))
            data = self._latencies(cid)
            self.query_one(f"#spark-{cid}", Label).update(spark(data))
            last = data[-1] if data else None
            value = format_ms(last, missing="") if last is not None else ""
            self.query_one(f"#spark-value-{cid}", Label).update(value)
        self.query_one("#history-runs-title", Static).update(Text(_h("runs", lang), style=HEADING))
        self._fill_runs(lang)

    def _changes(self, lang: str) -> RenderableType:
        if not self.records:
            return Text(_h("empty", lang), style="dim")
        if self.since is None:
            return Text(_h("no_changes", lang), style="dim")
        changes = getattr(self.comparison, "changes", [])
        hint = Text(_h("restore_hint", lang), style="dim")
        if not changes:  # the sentence says it all ("… nothing … has changed")
            return Group(Text(shown(render(self.since, lang))), hint)
        head = Text(_h("since_title", lang, when=self._base_when()), style=HEADING)
        lines = [Text(shown("• " + render(c.message, lang))) for c in changes]
        return Group(head, *lines, hint)

    def _base_when(self) -> str:
        from tui.core.history import when_text

        base = getattr(self.comparison, "base", None) or {}
        return when_text(str(base.get("time", "")))

    def _verdicts(self, lang: str) -> RenderableType:
        strip = Text()
        for r in self.records:
            v = str(r.get("verdict", ""))
            strip.append(_MARKS.get(v, "?"), style=_MARK_STYLE.get(v, ""))
        return Group(Text(_h("verdicts", lang), style=HEADING), strip)

    def _latencies(self, cid: str) -> list[float | None]:
        """This step's time in each run; None where it did not run (a gap)."""
        out: list[float | None] = []
        for r in self.records:
            step = next((s for s in r.get("steps") or [] if s.get("id") == cid), None)
            ms = step.get("ms") if step else None
            ran = step is not None and step.get("status") != "skip"
            out.append(float(ms) if ran and isinstance(ms, int | float) else None)
        return out

    def _run_line(self, r: dict[str, Any], lang: str) -> Text:
        v = str(r.get("verdict", ""))
        line = Text(str(r.get("time", ""))[:19].replace("T", " ") + "  ")
        line.append(pad(status_label(v, lang), 8), style=_MARK_STYLE.get(v, ""))
        steps = r.get("steps") or []
        for s in steps:
            st = str(s.get("status", ""))
            line.append(_MARKS.get(st, "?"), style=_MARK_STYLE.get(st, ""))
        problem = next((s for s in steps if s.get("status") == "fail"), None) or next(
            (s for s in steps if s.get("status") == "warn"), None
        )
        if problem is not None:
            line.append("  " + shown(str(problem.get("code", ""))))
        return line

    def _fill_runs(self, lang: str) -> None:
        """The runs, newest first, as a list to choose from (Enter: its diff)."""
        runs = self.query_one("#history-runs", OptionList)
        keep = runs.highlighted
        runs.clear_options()
        runs.add_options(
            Option(self._run_line(r, lang), id=str(i))
            for i, r in reversed(list(enumerate(self.records)))
        )
        if self.records:
            runs.highlighted = min(keep or 0, len(self.records) - 1)

    @on(OptionList.OptionSelected, "#history-runs")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id or 0)
        if 0 <= index < len(self.records):
            self.open_diff(self.records[index])

    def open_diff(self, record: dict[str, Any]) -> None:
        """The diff of ``record`` against the last passing run before it (read in a
        thread; the dialog is pushed from the UI loop)."""
        app, lang = self.app, self.lang

        def work() -> None:
            title, lines = _diff_lines(record, lang)
            app.call_from_thread(app.push_screen, RunDiff(title, lines, lang), self._after_diff)

        self.run_worker(work, thread=True, group="history-diff", exit_on_error=False)

    def _after_diff(self, result: str | None) -> None:
        if result == "restore":  # R in the diff: the same question as R in the pane
            self.action_restore()

    # ----- watching -------------------------------------------------------------------
    def action_toggle_watch(self) -> None:
        self.watching = not self.watching
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.watching:
            from tui.core.history.watching import watch_every

            # [settings] watch_every, read when watching starts (bounded >= 10 s)
            self.every, problem = watch_every()
            if problem is not None:
                self.app.notify(render(problem, self.lang), severity="warning")
            self._timer = self.set_interval(self.every, self._tick)
            self._tick()
        self.refresh_view()

    def _tick(self) -> None:
        run_all = getattr(self.app, "run_all", None)
        if callable(run_all):
            run_all()

    # ----- restore --------------------------------------------------------------------
    def action_restore(self) -> None:
        from tui.core.history import when_text
        from tui.core.history.restore import key_notes, plan_restore
        from tui.core.setup.profiles import load_profile

        lang = self.lang
        name = getattr(getattr(self.app, "target", None), "profile", None)
        profile = None
        if name:
            try:
                profile = load_profile(name)
            except Exception:  # noqa: BLE001 - a broken config: said below
                profile = None
        if profile is None:
            self.app.notify(_h("restore_no_profile", lang), severity="warning")
            return
        plan = plan_restore(profile)
        if plan is None:
            self.app.notify(text("history.restore.no_run", lang, profile=name), severity="warning")
            return
        when = when_text(str(plan.record.get("time", "")))
        keys = [render(note, lang).strip() for note in key_notes(plan)]  # not that run's key
        if not plan.changes:
            same = text("history.restore.same", lang, profile=name, when=when)
            self.app.notify(shown("\n".join([same, *keys])))
            return
        none = text("history.none", lang)
        lines = [
            text("history.restore.change", lang, name=f, old=old or none, new=new or none).strip()
            for f, old, new in plan.changes
        ]
        if plan.record.get("key_id"):
            from tui.core.safe.terminal import one_line

            key_id, key = str(plan.record["key_id"]), str(plan.record.get("key") or none)
            lines.append(
                text("history.restore.key", lang, key_id=one_line(key_id), shown=one_line(key))
            )
        lines += keys
        lines += [text("history.restore.unsafe", lang, name=f) for f in plan.unsafe]

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from tui.core.history.restore import apply_plan

            try:
                apply_plan(plan)
            except Exception as exc:  # noqa: BLE001 - a config that cannot be written
                self.app.notify(shown(str(exc)), severity="error")
                return
            self.app.notify(_h("restored", lang, profile=name))
            switch = getattr(self.app, "switch_profile", None)
            if callable(switch):
                switch(name)

        question = _h("restore_ask", lang, profile=name, when=when)
        self.app.push_screen(ConfirmRestore(question, lines, lang), answered)


def _diff_lines(record: dict[str, Any], lang: str) -> tuple[str, list[str]]:
    """The title and lines of the diff of ``record`` against the last passing run
    before it: the verdict first, then each change, then each step's code."""
    from tui.core import history
    from tui.core.history.shape import display, step_name

    when = history.when_text(str(record.get("time", "")))
    verdict = status_label(str(record.get("verdict") or "?"), lang)
    scope = str(record.get("scope") or "")
    kind = record.get("kind")
    # a trial is compared with a trial, a model probe with a probe: their steps are others
    kinds = (kind,) if kind in ("trial", "models") else history.CHECKLIST_KINDS
    before = str(record.get("time", ""))
    found = history.last_passing(scope, before=before, kinds=kinds) if scope else None
    base = display(found) if found is not None else None
    if base is None:
        return _h("diff_title_alone", lang, when=when, verdict=verdict), [_h("diff_no_base", lang)]
    title = _h("diff_title", lang, when=when, verdict=verdict,
               base=history.when_text(str(base.get("time", ""))))  # fmt: skip
    lines: list[str] = []
    if base.get("verdict") != record.get("verdict"):
        old = status_label(str(base.get("verdict") or "?"), lang)
        lines.append("• " + text("history.cli.diff_verdict", lang, old=old, new=verdict))
    lines += ["• " + render(c.message, lang) for c in history.compare(base, record).changes]
    for step, old_code, new_code in history.step_changes(base, record):
        name = step_name(step, record.get("kind"), lang)
        lines.append("• " + text("history.cli.step_change", lang, step=name, old=old_code,
                                 new=new_code))  # fmt: skip
    return title, lines or [text("history.cli.diff_none", lang)]
