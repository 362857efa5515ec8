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
import gc
from collections.abc import Awaitable, Callable
from typing import Any

EventSink = Callable[[Any], None]


#: The collector's thresholds in the console (Python's: 700, 10, 10). A streamed reply
#: makes many short-lived reference cycles: collected in batches of 10,000 new objects,
#: fewer of them live long enough to reach the old generation, whose collections walk
#: everything alive. The chat bench's 20,000-token reply: 722 collections (449 ms, the
#: longest 88 ms, keys waited for it) -> ~90 (~130 ms, the longest ~20 ms). Issue 14.
GC_THRESHOLDS = (10_000, 5, 10)


def settle_gc() -> None:
    """Freeze what exists now (imported modules, built widgets: later collections never
    walk it again) and collect in bigger batches (:data:`GC_THRESHOLDS`)."""
    gc.collect(1)  # the young garbage, not frozen with the rest
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


#: Whether the command line handed the collector to the console (it paused it): only
#: then does the console settle it. An app in a test process leaves it alone (frozen
#: objects are never collected: test after test, their cycles would pile up).
_ours = False


def resume_gc() -> None:
    """The command line pauses the garbage collector while the console is imported and
    built (tui/commands/console.py); back on after the first frame, settled
    (:func:`settle_gc`). The late panes settle it again once built."""
    global _ours
    if not gc.isenabled():
        _ours = True
        settle_gc()
        gc.enable()


def settle_gc_again() -> None:
    """:func:`settle_gc` once more (the late panes are built), if the collector is ours."""
    if _ours and gc.isenabled():
        settle_gc()


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


class FirstRunLost(Exception):
    """The child's run ended without its report; ``message_id`` and ``params`` say why
    (a catalogue message, shown in the console's language)."""

    def __init__(self, message_id: str, **params: Any) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params


#: Beyond the run's own limit, how long a child may stay silent before it is stopped.
CHILD_GRACE = 10.0


class ChildEarlyRun(_KeptEvents):
    """The first run going on in a child process (:mod:`tui.core.diagnosis.child_run`),
    taken like an :class:`EarlyRun`: its exchanges go into the console's log under their
    own ids (a block the console leaves to it), its events to the sink, its report is
    the task's result.

    A child that ends before it sent any request (it could not start its interpreter)
    leaves the checks to this process: ``fallback`` runs them here. One that ends later
    (killed, its pipe cut) is not run again behind the user's back (its requests went out,
    some may be billed): the console says so and ``r`` runs the checks again. A child
    silent past the run's limit is stopped. Its requests left unanswered are recorded as
    stopped. An ``error`` from the child is the engine's own error, said like one.
    """

    def __init__(
        self, child: Any, log: Any, fallback: Callable[[EventSink], Awaitable[Any]]
    ) -> None:
        from tui.core.diagnosis.child_run import CHILD_IDS
        from tui.core.diagnosis.model import run_limit

        super().__init__()
        self._child = child
        self._log = log
        self.target: Any = child.target
        self._limit = run_limit(child.target)
        log.reserve_ids(CHILD_IDS)
        #: ids of the child's requests sent and not answered yet
        self._open: set[str] = set()
        self._sent = False
        self._stopped = False
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
        if self._stopped:
            return  # read before it was stopped: the run is not this console's any more
        if kind == "started":
            self._sent = True
            if self._log.adopt_started(payload) is not None:
                self._open.add(payload.id)
        elif kind == "exchange":
            self._sent = True
            self._log.adopt(payload)
            self._open.discard(payload.id)
        elif kind == "event":
            self._on_event(payload)
        elif self._outcome.done():
            return
        elif kind == "final":
            from tui.core.diagnosis.child_run import ENDED_FIELDS

            ended, report = payload
            self._log.adopt_ended(ended, ENDED_FIELDS)
            report.target = self.target  # the console's own (the child's has no key)
            self._outcome.set_result(report)
        elif kind == "error":
            self._outcome.set_exception(RuntimeError(payload))
        elif self._sent:  # "failed" after its requests went out
            self._outcome.set_exception(FirstRunLost("n.first_run_lost"))
        else:  # "failed" before any request: the checks are run here
            self._outcome.set_result(None)

    async def _run(self, fallback: Callable[[EventSink], Awaitable[Any]]) -> Any:
        try:
            report = await asyncio.wait_for(
                asyncio.shield(self._outcome), self._limit + CHILD_GRACE
            )
        except TimeoutError:
            self.stop()
            raise FirstRunLost("n.first_run_stuck", seconds=round(self._limit)) from None
        except BaseException:
            self.stop()  # lost, cancelled: nothing more of it is taken
            raise
        if report is None:
            return await fallback(self._on_event)
        return report

    def _abandon_open(self) -> None:
        if self._open:
            from tui.core.i18n.catalogue import msg

            self._log.abandon(self._open, msg("transport.run_stopped"))
            self._open = set()

    def stop(self) -> None:
        """Stop the child and forget what it still sends."""
        self._stopped = True
        self._child.cancel()
        self._abandon_open()

    def cancel(self) -> None:
        self.stop()
        if not self.task.done():
            self.task.cancel()
