"""The first check run, started before the console's widgets exist.

Building the screen (compose, styles, the first frame) takes hundreds of
milliseconds; the checks mostly wait on the network. So the app starts the
engine as soon as the target is resolved (``App.on_load``) and keeps its
events until the checklist is there to show them: the screen's check worker
then adopts the run instead of starting another one.

From the command line the run starts even earlier, before Textual is imported,
in a child process on the other core (:class:`ChildEarlyRun`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

EventSink = Callable[[Any], None]


class _KeptEvents:
    """Events kept until a sink is attached, then passed straight on."""

    def __init__(self) -> None:
        self._events: list[Any] = []
        self._sink: EventSink | None = None

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


class EarlyRun(_KeptEvents):
    """One engine run whose events are kept until a sink is attached."""

    def __init__(self, start: Callable[[EventSink], Awaitable[Any]]) -> None:
        super().__init__()
        #: what the run checks (the app adopts it only for the same target)
        self.target: Any = None
        self.task: asyncio.Future[Any] = asyncio.ensure_future(start(self._on_event))

    def cancel(self) -> None:
        if not self.task.done():
            self.task.cancel()


class ChildEarlyRun(_KeptEvents):
    """The first run going on in a child process (:mod:`tui.core.diagnosis.child_run`),
    taken like an :class:`EarlyRun`: its exchanges go into the console's log under their
    own ids, its events to the sink, its report is the task's result.

    A child that ends without a word (it could not start its interpreter, it died)
    leaves the checks to this process: ``fallback`` runs them here, as before.
    An ``error`` from the child is the engine's own error, said like one.
    """

    def __init__(
        self, child: Any, log: Any, fallback: Callable[[EventSink], Awaitable[Any]]
    ) -> None:
        super().__init__()
        self._child = child
        self._log = log
        self.target: Any = child.target
        loop = asyncio.get_running_loop()
        self._outcome: asyncio.Future[Any] = loop.create_future()

        def hop(kind: str, payload: Any) -> None:  # the child's reader thread
            try:
                loop.call_soon_threadsafe(self._frame, kind, payload)
            except RuntimeError:  # the console has closed its loop
                pass

        child.attach(hop)
        self.task: asyncio.Future[Any] = asyncio.ensure_future(self._run(fallback))

    def _frame(self, kind: str, payload: Any) -> None:
        if kind == "started":
            self._log.adopt_started(payload)
        elif kind == "exchange":
            self._log.adopt(payload)
        elif kind == "event":
            self._on_event(payload)
        elif self._outcome.done():
            return
        elif kind == "final":
            exchanges, report = payload
            self._log.adopt_final(exchanges)
            report.target = self.target  # the console's own (the child's has no key)
            self._outcome.set_result(report)
        elif kind == "error":
            self._outcome.set_exception(RuntimeError(payload))
        else:  # "failed": the child ended without a word
            self._outcome.set_result(None)

    async def _run(self, fallback: Callable[[EventSink], Awaitable[Any]]) -> Any:
        report = await self._outcome
        if report is None:
            return await fallback(self._on_event)
        return report

    def cancel(self) -> None:
        self._child.cancel()
        if not self.task.done():
            self.task.cancel()
