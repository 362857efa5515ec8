"""One host app for the console's panes and screens, and one way to wait for them.

The console hands its panes and screens ``lang``, ``exchange_log``, ``target``,
``session_keys`` and ``system_copy``; :class:`HostApp` gives them the same, so a
pane or a screen can be tested alone. :func:`settle` waits for what is pending
(workers, then the messages and the frame they cause) instead of polling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.ui.paths import stylesheets

#: what :attr:`HostApp.result` holds until the pushed screen is dismissed
UNSET = object()


class HostApp(App[object]):
    """A pane (``pane``) or a screen (``screen``) alone, with the console's stylesheets."""

    def __init__(
        self,
        pane: Callable[[HostApp], Widget] | None = None,
        *,
        screen: Callable[[], Screen] | None = None,
        lang: str = "en",
        log: ExchangeLog | None = None,
        target: Target | None = None,
        css: Sequence[str | Path] | None = None,
        focus: str | None = None,
        system_copy: Callable[[str], Any] | None = None,
        title: str = "HostApp",
    ) -> None:
        super().__init__(css_path=list(css) if css is not None else stylesheets())
        self.title = title  # shown in a snapshot's window bar
        #: None: never the developer's real clipboard (OSC 52 only, as over SSH)
        self.system_copy = system_copy
        self.lang = lang
        self.exchange_log = log if log is not None else ExchangeLog()
        self.target = target
        self.session_keys: dict[str, str] = {}  # as the console keeps keys without a keyring
        self.result: object = UNSET
        self._pane = pane
        self._screen = screen
        self._focus = focus

    def compose(self) -> ComposeResult:
        if self._pane is not None:
            yield self._pane(self)

    def on_mount(self) -> None:
        if self._screen is not None:
            self.push_screen(self._screen(), self._done)
        if self._focus is not None:
            self.query_one(self._focus).focus()

    def _done(self, result: object) -> None:
        self.result = result


async def settle(pilot: Pilot) -> None:
    """Wait until the app is quiet: its workers done, their messages handled, drawn."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
