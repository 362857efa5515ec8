"""The first check run, started before the console's widgets exist.

Building the screen (compose, styles, the first frame) takes hundreds of
milliseconds; the checks mostly wait on the network. So the app starts the
engine as soon as the target is resolved (``App.on_load``) and keeps its
events until the checklist is there to show them: the screen's check worker
then adopts the run instead of starting another one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

EventSink = Callable[[Any], None]


class EarlyRun:
    """One engine run whose events are kept until a sink is attached."""

    def __init__(self, start: Callable[[EventSink], Awaitable[Any]]) -> None:
        self._events: list[Any] = []
        self._sink: EventSink | None = None
        #: what the run checks (the app adopts it only for the same target)
        self.target: Any = None
        self.task: asyncio.Future[Any] = asyncio.ensure_future(start(self._on_event))

    def _on_event(self, event: Any) -> None:
        if self._sink is None:
            self._events.append(event)
        else:
            self._sink(event)

    def attach(self, sink: EventSink) -> None:
        """Replay the events so far to ``sink``, then pass the next ones straight on."""
        events, self._events = self._events, []
        for event in events:
            sink(event)
        self._sink = sink

    def cancel(self) -> None:
        if not self.task.done():
            self.task.cancel()
