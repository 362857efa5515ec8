"""The line under the checklist that says what changed since the last passing run,
and the console's run recorded in the history (issue 18).

Apart from the history pane (:mod:`tui.ui.widgets.history_view`, built after the first
checks) so that the console's first frame imports neither it nor the history store.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui.core.i18n.catalogue import Msg, render, text
from tui.ui.safe import shown

#: How many runs the history pane shows (and the console reads back after a run).
SHOWN_RUNS = 40


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
    for view in screen.query("#history-pane"):  # the history pane, once built
        show = getattr(view, "show", None)
        if callable(show):
            show(records, comparison, since)
    refresh = getattr(screen, "refresh_detail", None)
    if callable(refresh) and since is not None:
        refresh()  # the support summary shown there says what changed too
    if problem is not None:
        screen.app.notify(render(problem, lang), severity="warning")
