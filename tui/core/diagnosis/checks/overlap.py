"""Requests sent ahead of their check, and a 429 from overlapping requests retried once.

The checks are interpreted in dependency order (one root cause), but their
requests need not wait for that: as soon as config passes, the engine sends
the requests the later checks will make (:meth:`Overlap.ahead`). A check that
then asks for the same request (same method, URL, step and body) gets the one
already in flight. A request no check used (its step was skipped, or the base
URL moved) stays in the log, marked as not needed (:meth:`Overlap.settle`).

Overlapping requests must not make a strict gateway look rate limited: a key
limited to one request at a time answers 429 to the others. A 429 (not a
quota refusal) that overlapped a request which succeeded with the key is retried once,
alone, after those requests are done; only its second answer is classified.
Every request still goes through :class:`~tui.core.net.http.GatewayClient`, so the
origin guard decides where the key may go, exactly as for the checks.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui.core.diagnosis.checks.classify import classify
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.net.notes import set_note
from tui.core.net.transport_error import set_error

Key = tuple[str, str, str, str]
SseFactory = Callable[[], Any]

#: How long a request sent ahead that no check used may still take to answer (s).
SETTLE_GRACE = 1.0


def request_key(method: str, url: str, step: str, kw: dict[str, Any]) -> Key:
    """What makes two requests the same one (callbacks aside)."""
    rest = {k: v for k, v in kw.items() if k != "on_sse"}
    return method.upper(), url, step, json.dumps(rest, sort_keys=True, default=str)


@dataclass(eq=False)
class _Flight:
    """One request on the wire, and the ones it overlapped."""

    keyed: bool
    overlaps: set[_Flight] = field(default_factory=set)
    #: Answered 2xx with the key: the key is usable, so a sibling's 429 was congestion.
    ok: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class _Ahead:
    task: asyncio.Task[tuple[Exchange, Any]]
    step: str
    taken: bool = False


def _retryable(ex: Exchange) -> bool:
    """A 429 that is not about money (a quota refusal is the answer, not congestion)."""
    if ex.status != 429:
        return False
    info = classify(ex.status, ex.response_body, ex.content_type, dict(ex.response_headers))
    return info.kind != "quota"


class Overlap:
    """The requests of one run: sent ahead, shared with the checks, 429s retried once."""

    def __init__(self, client: GatewayClient, log: ExchangeLog) -> None:
        self.client = client
        self.log = log
        self._ahead: dict[Key, _Ahead] = {}
        self._flights: set[_Flight] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._solo = asyncio.Lock()

    # -- sending ahead ---------------------------------------------------------
    def ahead(
        self,
        method: str,
        url: str,
        *,
        step: str,
        sse_factory: SseFactory | None = None,
        **kw: Any,
    ) -> None:
        """Send a request a later check will make; it is kept until a check asks for it."""
        key = request_key(method, url, step, kw)
        if key in self._ahead:
            return
        coro = self._send(method, url, step=step, on_sse=None, sse_factory=sse_factory, **kw)
        task = asyncio.create_task(coro, name=f"ahead-{step}")
        self._ahead[key] = _Ahead(task, step)

    async def request(self, method: str, url: str, *, step: str, **kw: Any) -> Exchange:
        """The check's request: the one sent ahead when there is one, else sent now."""
        on_sse = kw.pop("on_sse", None)
        pre = self._ahead.get(request_key(method, url, step, kw))
        if pre is not None and not pre.taken:
            pre.taken = True
            ex, used = await asyncio.shield(pre.task)
            adopt = getattr(on_sse, "adopt", None)
            if adopt is not None and used is not None:
                adopt(used)  # the check reads what the request's own callback gathered
            return ex
        ex, _used = await self._send(method, url, step=step, on_sse=on_sse, sse_factory=None, **kw)
        return ex

    # -- one request, with its retry ---------------------------------------------
    async def _once(
        self, method: str, url: str, step: str, on_sse: Any, kw: Any
    ) -> tuple[Exchange, _Flight]:
        flight = _Flight(keyed=bool(kw.get("auth", True)))
        for other in self._flights:
            other.overlaps.add(flight)
            flight.overlaps.add(other)
        self._flights.add(flight)
        self._idle.clear()
        try:
            ex = await self.client.request(method, url, step=step, on_sse=on_sse, **kw)
            flight.ok = flight.keyed and ex.status is not None and 200 <= ex.status < 300
            return ex, flight
        finally:
            self._flights.discard(flight)
            if not self._flights:
                self._idle.set()
            flight.done.set()

    async def _send(
        self,
        method: str,
        url: str,
        *,
        step: str,
        on_sse: Any,
        sse_factory: SseFactory | None,
        **kw: Any,
    ) -> tuple[Exchange, Any]:
        sse = sse_factory() if sse_factory is not None else on_sse
        ex, flight = await self._once(method, url, step, sse, kw)
        if not flight.keyed or not _retryable(ex) or not flight.overlaps:
            return ex, sse
        # Was it congestion? Only if a request it overlapped got an answer.
        await asyncio.gather(*(o.done.wait() for o in list(flight.overlaps)))
        if not any(o.ok for o in flight.overlaps):
            return ex, sse
        async with self._solo:
            await self._idle.wait()
            others = len(flight.overlaps)
            set_note(ex, msg("check.overlap.retried", others=others))
            sse = sse_factory() if sse_factory is not None else on_sse
            again, _flight = await self._once(method, url, step, sse, kw)
        set_note(again, msg("check.overlap.retry_of", id=ex.id))
        return again, sse

    # -- the end of the run --------------------------------------------------------
    async def settle(self, why: Callable[[str], Msg]) -> None:
        """Mark what no check used as not needed; stop what is still running.

        ``why(step)`` says why that step did not need it (e.g. the skipped
        step's "waits for auth (auth.invalid_key)").
        """
        unused = [a for a in self._ahead.values() if not a.taken]
        # A request no check needs may be answered in a moment: its answer tells whether
        # it was charged (a 401 is not; a request we stop is "unknown"). Wait a little.
        late = [a.task for a in unused if not a.task.done()]
        if late:
            await asyncio.wait(late, timeout=SETTLE_GRACE)
        # Taken ones still running lost their check (the overall cap): stop them too.
        running = [a for a in self._ahead.values() if not a.task.done()]
        before = len(self.log)
        for a in running:
            a.task.cancel()
        if running:
            await asyncio.gather(*(a.task for a in running), return_exceptions=True)
        for a in unused:
            if a.task.done() and not a.task.cancelled() and a.task.exception() is None:
                ex, _ = a.task.result()
                set_note(ex, msg("check.overlap.not_needed", why=why(a.step)))
        steps = {a.step for a in running if not a.taken}
        for ex in self.log.all()[before:]:
            if ex.error_kind == "cancelled" and ex.step in steps:
                stopped = msg("check.overlap.not_needed_stopped", why=why(ex.step))
                set_error(ex, "not_needed", stopped)
                set_note(ex, stopped)
