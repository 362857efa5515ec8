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

from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Sparkline, Static

from tui.core.diagnosis.model import CHECK_IDS
from tui.core.diagnosis.remediation import check_title, status_label
from tui.core.i18n.catalogue import Msg, render, text
from tui.core.i18n.units import format_ms
from tui.core.i18n.width import pad
from tui.ui.bindings import BindingsInLanguage, bind
from tui.ui.looks import BAD, GOOD, HEADING, NOTICE
from tui.ui.safe import shown

__all__ = ["ConfirmRestore", "HistoryView", "SinceLine", "record_console_run"]

#: Runs shown (the sparklines and verdict strip cover these).
SHOWN_RUNS = 40
_MARK_STYLE: dict[str, str | Style] = {"pass": GOOD, "warn": NOTICE, "fail": BAD, "skip": "dim"}
_MARKS = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "–"}  # not-ui-text: status marks


def _h(part: str, lang: str, **params: object) -> str:
    return text(f"history.view.{part}", lang, **params)


class SinceLine(Static):
    """One line under the checklist: "Since the last passing run on …: …" (hidden when
    there is nothing to say); the history pane (key 5) shows the changes one per line."""

    DEFAULT_CSS = """
    SinceLine { height: auto; max-height: 3; padding: 0 1; color: $warning; display: none; }
    SinceLine.-shown { display: block; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.message: Msg | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._relang, init=False)

    def on_click(self) -> None:
        """The diff view behind the line: the history pane."""
        show = getattr(self.screen, "show_pane", None)
        if callable(show) and self.message is not None:
            show("history")

    def _relang(self, lang: str) -> None:
        self.show(self.message, lang)

    def show(self, message: Msg | None, lang: str) -> None:
        self.message = message
        said = render(message, lang) if message is not None else ""
        self.update(Text(shown(said + (" " + _h("more", lang) if said else ""))))
        self.set_class(bool(said), "-shown")


class ConfirmRestore(BindingsInLanguage, ModalScreen[bool]):
    """Asks before the profile is changed: y applies, n or Esc keeps it as it is."""

    DEFAULT_CSS = """
    ConfirmRestore { align: center middle; }
    ConfirmRestore > Vertical {
        width: 72; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmRestore Horizontal { height: auto; margin-top: 1; }
    ConfirmRestore Button { margin-right: 2; }
    """
    BINDINGS = [
        bind("y", "answer(True)", "history.view.b_yes", id="history.restore.yes"),
        bind("n,escape", "answer(False)", "history.view.b_no", id="history.restore.no"),
    ]

    def __init__(self, question: str, lines: list[str], lang: str) -> None:
        super().__init__()
        self.question, self.lines, self.lang = question, lines, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(shown(self.question), style="bold"))
            yield Static(Text(shown("\n".join(self.lines))))
            with Horizontal():
                yield Button(_h("yes", self.lang), id="restore-yes", variant="warning")
                yield Button(_h("no", self.lang), id="restore-no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "restore-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class HistoryView(Vertical):
    """The history pane: status, changes, verdicts over time, sparklines, runs."""

    DEFAULT_CSS = """
    HistoryView { height: 1fr; }
    HistoryView #history-status { height: 1; padding: 0 1; background: $boost; }
    HistoryView #history-body { height: 1fr; padding: 0 1; }
    HistoryView .history-spark-row { height: 1; }
    HistoryView .history-spark-label { width: 16; height: 1; }
    HistoryView Sparkline { width: 1; height: 1; }
    HistoryView .history-spark-value { width: auto; height: 1; padding: 0 1; color: $text-muted; }
    HistoryView Static.history-block { height: auto; margin-bottom: 1; }
    """
    BINDINGS = [
        bind("w", "toggle_watch", "history.view.b_watch", id="history.watch"),
        bind("R", "restore", "history.view.b_restore", id="history.restore"),
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
        self.can_focus = True

    def compose(self) -> ComposeResult:
        yield Static(id="history-status")
        with VerticalScroll(id="history-body"):
            yield Static(id="history-changes", classes="history-block")
            yield Static(id="history-verdicts", classes="history-block")
            yield Static(id="history-latency-title")
            for cid in CHECK_IDS:
                with Horizontal(classes="history-spark-row"):
                    yield Label(id=f"spark-label-{cid}", classes="history-spark-label")
                    yield Sparkline([], id=f"spark-{cid}", summary_function=max)
                    yield Label(id=f"spark-value-{cid}", classes="history-spark-value")
            yield Static(id="history-runs", classes="history-block")

    def on_mount(self) -> None:
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

            records = history.recent(history.scope_for(target), SHOWN_RUNS)
            comparison = history.comparison_for(report) if report is not None else None
            verdict = getattr(report, "verdict", "pass")
            since = history.since_message(comparison, verdict)
            app.call_from_thread(self._loaded, records, comparison, since)

        self.run_worker(work, thread=True, group="history-load", exit_on_error=False)

    def _loaded(self, records: list[dict[str, Any]], comparison: Any, since: Msg | None) -> None:
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
            spark = self.query_one(f"#spark-{cid}", Sparkline)
            spark.data = data
            spark.styles.width = max(1, len(data))  # one cell per run, newest right
            last = format_ms(data[-1], missing="") if data else ""
            self.query_one(f"#spark-value-{cid}", Label).update(last)
        self.query_one("#history-runs", Static).update(self._runs(lang))

    def _changes(self, lang: str) -> RenderableType:
        if not self.records:
            return Text(_h("empty", lang), style="dim")
        if self.since is None:
            return Text(_h("no_changes", lang), style="dim")
        changes = getattr(self.comparison, "changes", [])
        head = Text(_h("since_title", lang, when=self._base_when()), style=HEADING)
        lines = [Text(shown("• " + render(c.message, lang))) for c in changes]
        if not lines:
            lines = [Text(shown(render(self.since, lang)))]
        hint = Text(_h("restore_hint", lang), style="dim")
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

    def _latencies(self, cid: str) -> list[float]:
        out = []
        for r in self.records:
            step = next((s for s in r.get("steps", []) if s.get("id") == cid), None)
            ms = step.get("ms") if step else None
            out.append(float(ms) if isinstance(ms, int | float) else 0.0)
        return out

    def _runs(self, lang: str) -> RenderableType:
        rows = [Text(_h("runs", lang), style=HEADING)]
        for r in reversed(self.records[-12:]):
            v = str(r.get("verdict", ""))
            line = Text(str(r.get("time", ""))[:19].replace("T", " ") + "  ")
            line.append(pad(status_label(v, lang), 8), style=_MARK_STYLE.get(v, ""))
            for s in r.get("steps", []):
                st = str(s.get("status", ""))
                line.append(_MARKS.get(st, "?"), style=_MARK_STYLE.get(st, ""))
            steps = r.get("steps", [])
            problem = next((s for s in steps if s.get("status") == "fail"), None) or next(
                (s for s in steps if s.get("status") == "warn"), None
            )
            if problem is not None:
                line.append("  " + shown(str(problem.get("code", ""))))
            rows.append(line)
        return Group(*rows)

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
        from tui.core.history.restore import plan_restore
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
        if not plan.changes:
            self.app.notify(text("history.restore.same", lang, profile=name, when=when))
            return
        none = text("history.none", lang)
        lines = [
            text("history.restore.change", lang, name=f, old=old or none, new=new or none).strip()
            for f, old, new in plan.changes
        ]
        if plan.record.get("key_id"):
            key = plan.record.get("key") or none
            lines.append(
                text("history.restore.key", lang, key_id=plan.record["key_id"], shown=key).strip()
            )

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


def record_console_run(screen: Any, report: Any) -> None:
    """Append the console's run to the history in a thread, then update the line under
    the checklist and the history pane from the UI loop."""
    app = screen.app
    sources = dict(getattr(app, "sources", {}) or {})
    target = report.target

    def work() -> None:
        from tui.core import history

        comparison, problem = history.record_and_compare(
            "console", target, history.report_result(report, sources)
        )
        history.remember(report, comparison)
        since = history.since_message(comparison, report.verdict)
        records = history.recent(history.scope_for(target), SHOWN_RUNS)
        app.call_from_thread(_show, screen, comparison, since, records, problem)

    app.run_worker(work, thread=True, group="history", exit_on_error=False)


def _show(
    screen: Any, comparison: Any, since: Msg | None, records: list[Any], problem: Any
) -> None:
    lang = screen.app.lang
    for line in screen.query(SinceLine):
        line.show(since, lang)
    for view in screen.query(HistoryView):
        view.show(records, comparison, since)
    refresh = getattr(screen, "refresh_detail", None)
    if callable(refresh) and since is not None:
        refresh()  # the support summary shown there says what changed too
    if problem is not None:
        screen.app.notify(render(problem, lang), severity="warning")
