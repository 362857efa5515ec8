"""How the console starts (issue 14): its first check run, started before the screen
is built or taken from the child process the command line started, and the
stylesheets the first frame does without.

A part of :class:`~tui.ui.app.GatewayDoctorApp`, apart so the app stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from tui.core.diagnosis.model import Report
from tui.ui.paths import late_stylesheets


class StartUp(App):
    """The app's start: the first run (on_load) and the late stylesheets."""

    # Set by GatewayDoctorApp.__init__.
    _child_run: Any
    _early: Any
    _late_styles: bool
    autorun: bool
    target: Any
    exchange_log: Any
    engine: Callable[..., Any]

    if TYPE_CHECKING:

        @property
        def configured(self) -> bool: ...  # GatewayDoctorApp's

    def on_load(self) -> None:
        """Start the checks now, while the screen is still being built (tui/ui/early.py),
        or take the run the command line started in a child process."""
        child, self._child_run = self._child_run, None
        if self.autorun and self.configured and self._early is None:
            from tui.ui.early import ChildEarlyRun, EarlyRun

            target, log = self.target, self.exchange_log

            def here(sink: Callable[[Any], None]) -> Any:
                return self.engine(target, log, on_event=sink)

            if child is not None and child.target is target:
                self._early = ChildEarlyRun(child, log, here)
                return
            self._early = EarlyRun(here)
            self._early.target = target
        if child is not None:
            child.cancel()

    def take_early_run(self) -> Any:
        """The run started by :meth:`on_load` for the screen to adopt (once), or None."""
        early, self._early = self._early, None
        if early is not None and early.target is not self.target:
            early.cancel()  # the target changed before the screen could show it
            return None
        return early

    def take_finished_run(self) -> Report | None:
        """The first run's report if that run is over already (it is taken), else None."""
        task = getattr(self._early, "task", None)
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        early = self.take_early_run()
        return None if early is None else early.task.result()

    def on_unmount(self) -> None:
        if self._early is not None:
            self._early.cancel()

    def load_late_styles(self) -> None:
        """Read the other stylesheets (once): before the late panes are built and before
        any other screen is shown (dialogs, settings, help, the palette)."""
        if self._late_styles:
            return
        self._late_styles = True
        self.stylesheet.read_all(late_stylesheets())
        if self.is_running:
            self.refresh_css(animate=False)
        else:
            self.stylesheet.reparse()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self.load_late_styles()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        self.load_late_styles()
        return super().switch_screen(screen)


def real_engine(*args: Any, **kwargs: Any) -> Any:
    """The engine, imported when the console runs checks itself (with its HTTP stack,
    ~50 ms: not before the first frame; the first run is usually a child's)."""
    from tui.core.diagnosis.engine import run_checks

    return run_checks(*args, **kwargs)
