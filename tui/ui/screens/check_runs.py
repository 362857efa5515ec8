"""The main screen's check runs: the engine (or the first run started before the
screen existed) in an exclusive worker, its events as messages, and the checklist
and step detail updated from them.

A part of :class:`~tui.ui.screens.main.MainScreen`, apart so that screen stays small.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from tui.core.diagnosis.events import CheckFinished, CheckStarted, EngineEvent
from tui.core.diagnosis.model import CheckResult
from tui.core.safe.masking import mask
from tui.ui.early import FirstRunLost
from tui.ui.labels import t
from tui.ui.messages import ChecksDone, ChecksStarted, StepFinished, StepStarted
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.since_line import record_console_run


class CheckRuns(Screen):
    """Runs the checks and shows each step as it reports."""

    # Set by MainScreen.__init__ / LatePanes.
    results: dict[str, CheckResult]
    running: set[str]
    _auto_select: bool
    _late_done: bool
    app: Any

    if TYPE_CHECKING:

        def refresh_detail(self, only: str | None = None) -> None: ...  # MainScreen's

        async def _mount_late(self) -> None: ...  # LatePanes'

    @work(exclusive=True, group="checks", exit_on_error=False)
    async def run_checks(self, only: frozenset[str] | None = None) -> None:
        """Run the engine in this loop; events become messages."""
        app = self.app
        self.post_message(ChecksStarted(only))

        def on_event(event: EngineEvent) -> None:
            if isinstance(event, CheckStarted):
                self.post_message(StepStarted(event.check_id))
            elif isinstance(event, CheckFinished):
                self.post_message(StepFinished(event.result))

        early = app.take_early_run() if only is None else None
        try:
            if early is not None and early.task.done() and early.task.cancelled():
                early = None
            if early is not None:
                early.attach(on_event)  # started before this screen existed
                report = await early.task
            else:
                report = await app.engine(
                    app.target,
                    app.exchange_log,
                    on_event=on_event,
                    only=set(only) if only else None,
                    previous=app.report if only else None,
                )
        except asyncio.CancelledError:
            if early is not None:
                early.cancel()
            raise
        except FirstRunLost as lost:
            self.post_message(ChecksDone(None, notice=t(lost.message_id, app.lang, **lost.params)))
            return
        except Exception as exc:  # never a traceback in the console
            self.post_message(ChecksDone(None, error=mask(f"{type(exc).__name__}: {exc}")))
            return
        self.post_message(ChecksDone(report))

    def on_checks_started(self, message: ChecksStarted) -> None:
        self._auto_select = message.only is None
        ids = message.only
        for cid in ids or list(self.query_one(Checklist).rows):
            self.results.pop(cid, None)
        self.query_one(Checklist).set_pending(ids)
        self.refresh_detail()

    def on_step_started(self, message: StepStarted) -> None:
        self.running.add(message.check_id)
        self.query_one(Checklist).set_running(message.check_id)
        self.refresh_detail(only=message.check_id)

    def on_step_finished(self, message: StepFinished) -> None:
        self.running.discard(message.result.id)
        self.results[message.result.id] = message.result
        self.query_one(Checklist).set_result(message.result)
        self.refresh_detail(only=message.result.id)

    def on_checks_done(self, message: ChecksDone) -> None:
        stopped, self.running = self.running, set()
        if message.report is None:
            # Steps it left running have no result: back to pending (no spinner for ever).
            self.query_one(Checklist).set_pending(frozenset(stopped))
            self.refresh_detail()
            if message.notice is not None:
                self.notify(message.notice, severity="warning", timeout=15)
            else:
                error = t("n.engine_error", self.app.lang, error=message.error)
                self.notify(error, severity="error")
            return
        self.app.report = message.report
        record_console_run(self, message.report)  # the history, in a thread
        checklist = self.query_one(Checklist)
        for result in message.report.checks:
            self.results[result.id] = result
            checklist.set_result(result)
        problem = message.report.first_problem()
        if self._auto_select and problem is not None:
            checklist.select_check(problem.id)
        self.refresh_detail()
        if not self._late_done:
            # After the frame that shows the report: the screen's own repaint is due
            # now, so Textual runs the callback after painting it. Without it, the
            # callback could run before the rows' updates reached the screen, and the
            # report waited ~500 ms behind the panes' build (issue 14).
            self.refresh()
            self.call_after_refresh(self._mount_late)
