"""Recorded HTTP exchanges: what went over the wire, already masked.

Every request gateway-doctor makes (checks, chat, probes) becomes one
:class:`Exchange` in an :class:`ExchangeLog`. Values are masked when they are
recorded, so nothing downstream (inspector, exports, summaries) can leak a
secret even by mistake.

Once masked and recorded, an exchange is packed (:meth:`Exchange.pack`): its
headers, bodies, timings, SSE events and notes become one compressed ``bytes``,
~650 bytes per exchange in all instead of ~1.7 KB, so a session of 100,000 stays
within the inspector's memory budget (issue 14). Reading a field unpacks a copy.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from tui.core.net.exchange_pack import (
    PACK_LIMIT,
    SHARED_HEADERS,
    Packed,
    pack_heavy,
    unpack,
)
from tui.core.net.sse_records import SseEvent, SseStats
from tui.core.safe.masking import mask

__all__ = [
    "MAX_STORED_BODY",
    "PACK_LIMIT",
    "SHARED_HEADERS",
    "Exchange",
    "ExchangeLog",
    "SseEvent",
    "SseStats",
    "masked_exchange",
    "now_iso",
]

#: Bodies larger than this are kept only up to this size (and marked truncated).
MAX_STORED_BODY = 8 * 1024 * 1024

Headers = list[tuple[str, str]]


class _ExchangeSlots:
    """The attributes of :class:`Exchange` (a dataclass by its fields, with these slots)."""

    __slots__ = (
        "id",
        "step",
        "started_at",
        "method",
        "url",
        "status",
        "reason",
        "http_version",
        "body_size",
        "body_truncated",
        "error",
        "error_kind",
        "duration_ms",
        "streamed",
        "proxy",
        "ca_bundle",
        "tls_verify",
        "note",
        "redirect_to",
        "perf_start",
        "_heavy",
    )
    #: the heavy fields: a list in ``exchange_pack.HEAVY_FIELDS`` order, or it packed (``bytes``)
    _heavy: list[Any] | bytes


@dataclass
class Exchange(_ExchangeSlots):
    """One request and its response (or the error that replaced it).

    Once recorded (:meth:`ExchangeLog.add`) an exchange is *packed*: its headers,
    bodies, timings, SSE events, SSE stats and notes are kept as one compressed
    ``bytes`` (marshal + zlib: ~200 bytes instead of ~1 KB of Python objects for a
    typical one) and each read of one of them unpacks a fresh copy. Assigning a
    field works as before (``ex.note_messages = [...]``); changing a list or dict
    read from a packed exchange in place changes only that copy.
    """

    __slots__ = ()

    id: str
    step: str
    started_at: str
    method: str
    url: str
    request_headers: Packed[Headers] = Packed(0, factory=list)
    request_body: Packed[bytes] = Packed(1, b"")
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    response_headers: Packed[Headers] = Packed(2, factory=list)
    response_body: Packed[bytes] = Packed(3, b"")
    body_size: int = 0
    body_truncated: bool = False
    error: str | None = None
    error_kind: str | None = None
    #: ``error`` as a catalogue message in JSON form (``{"id", "params"}``): the
    #: console renders it in the user's language (tui.core.net.transport_error).
    error_message: Packed[dict[str, Any] | None] = Packed(4)
    timings: Packed[dict[str, float]] = Packed(5, factory=dict)
    duration_ms: float = 0.0
    sse_events: Packed[list[SseEvent]] = Packed(6, factory=list)
    sse_stats: Packed[SseStats | None] = Packed(7)
    streamed: bool = False
    proxy: str | None = None
    #: How the certificate was checked: a custom CA file, or not at all (--insecure).
    ca_bundle: str | None = None
    tls_verify: bool = True
    #: Why the run did not use it, or that it was retried ("not needed: ...", "retry of ...").
    note: str = ""
    #: The same notes as catalogue messages in JSON form (tui/core/net/notes.py).
    note_messages: Packed[list[dict[str, Any]]] = Packed(8, factory=list)
    #: Where a 3xx answer points, resolved and NOT masked: the redirect is followed to
    #: the address the gateway gave, not to its masked text. Held in memory only;
    #: never shown, logged or exported (every exit reads ``header("location")``).
    redirect_to: str = ""
    #: ``time.perf_counter()`` when the request started (offsets are relative to it).
    perf_start: float = 0.0

    # --- packing ----------------------------------------------------------------------

    @property
    def packed(self) -> bool:
        """Whether the heavy fields are kept compressed (see the class docstring)."""
        return type(self._heavy) is bytes

    def pack(self) -> bool:
        """Keep the heavy fields compressed (done once recorded): packed now?

        An exchange with more than :data:`PACK_LIMIT` bytes of bodies and events, or
        holding a value ``marshal`` cannot write, stays as it is.
        """
        heavy = self._heavy
        if type(heavy) is not list:
            return True
        events = heavy[6]
        size = len(heavy[1]) + len(heavy[3]) + sum(len(e.data) for e in events)
        if size > PACK_LIMIT:
            return False
        blob = pack_heavy(heavy)
        if blob is None:  # a str subclass, an object: kept as is
            return False
        self._heavy = blob
        self.method, self.step = sys.intern(self.method), sys.intern(self.step)
        self.reason, self.http_version = sys.intern(self.reason), sys.intern(self.http_version)
        return True

    def unpack(self) -> None:
        """Keep the heavy fields as plain objects again (changed in place from now on)."""
        heavy = self._heavy
        if type(heavy) is not list:
            self._heavy = unpack(cast(bytes, heavy))

    def __copy__(self) -> Exchange:
        """A copy with heavy fields of its own (the slot holding them was shared)."""
        return replace(self)

    def header(self, name: str) -> str | None:
        """First response header called ``name`` (case-insensitive)."""
        low = name.lower()
        for k, v in self.response_headers:
            if k.lower() == low:
                return v
        return None

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def path(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def text(self) -> str:
        """The response body as text (invalid bytes replaced)."""
        return self.response_body.decode("utf-8", "replace")

    def request_ids(self) -> list[str]:
        """``Name: value`` per request id; a value several headers carry is listed once
        (``X-Request-Id / X-Oneapi-Request-Id: …``)."""
        names: dict[str, list[str]] = {}
        for k, v in self.response_headers:
            lk = k.lower()
            if lk.endswith("request-id") or lk in {"cf-ray", "x-trace-id", "trace-id"}:
                names.setdefault(v, []).append(k)
        return [f"{' / '.join(ks)}: {v}" for v, ks in names.items()]


# The defaults of the plain fields are class attributes that would hide their slots
# (``dataclass`` has them in ``__init__`` already): the slots show again.
for _name in _ExchangeSlots.__slots__:
    if _name in Exchange.__dict__:
        delattr(Exchange, _name)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ExchangeLog:
    """Thread-safe, append-only list of exchanges with change listeners.

    Listeners are called from whatever thread records the exchange; UI code
    must hop back to its own thread (Textual: ``call_from_thread``/messages).
    """

    def __init__(self) -> None:
        self._items: list[Exchange] = []
        #: id -> exchange, so ``get`` does not scan a long session
        self._by_id: dict[str, Exchange] = {}
        #: one tuple per distinct (masked) header line: most repeat in every exchange
        self._headers: dict[tuple[str, str], tuple[str, str]] = {}
        self._lock = threading.Lock()
        self._next_id = 1
        #: ids ex-0001 .. ex-<this> belong to another process's run (reserve_ids)
        self._reserved = 0
        self._listeners: list[Callable[[Exchange], None]] = []
        #: Requests sent and not answered yet (masked copies), by id.
        self._in_flight: dict[str, Exchange] = {}
        self._start_listeners: list[Callable[[Exchange], None]] = []

    def new_id(self) -> str:
        with self._lock:
            number, self._next_id = self._next_id, self._next_id + 1
        return f"ex-{number:04d}"

    def reserve_ids(self, count: int) -> None:
        """Leave ex-0001 .. ex-``count`` to another process's run (the console's first
        run, :mod:`tui.core.diagnosis.child_run`): ids given here start above them."""
        with self._lock:
            self._reserved = max(self._reserved, count)
            self._next_id = max(self._next_id, count + 1)

    def adopt(self, exchange: Exchange) -> Exchange | None:
        """Record an exchange another process recorded and masked, under its own id (one
        of the :meth:`reserve_ids` block; any other is not taken)."""
        if not self._reserved_id(exchange.id):
            return None
        return self.add(exchange, premasked=True)

    def adopt_started(self, exchange: Exchange) -> Exchange | None:
        """:meth:`started` for a request another process sent (see :meth:`adopt`)."""
        if not self._reserved_id(exchange.id):
            return None
        return self.started(exchange)

    def _reserved_id(self, exchange_id: str) -> bool:
        number = exchange_id.removeprefix("ex-")
        return number.isascii() and number.isdigit() and 0 < int(number) <= self._reserved

    def adopt_ended(
        self, ended: list[tuple[str, tuple[Any, ...]]], fields: tuple[str, ...]
    ) -> None:
        """What the end of the other process's run changed on its exchanges (a note, "not
        needed"): ``(id, values of fields)`` each."""
        for exchange_id, values in ended:
            mine = self.get(exchange_id)
            if mine is not None and len(values) == len(fields):
                for name, value in zip(fields, values, strict=True):
                    setattr(mine, name, value)

    def abandon(self, ids: set[str], message: Any) -> None:
        """Requests another process sent and will never answer (it was stopped): recorded
        as stopped with ``message``, so no row waits for them for ever."""
        from tui.core.net.transport_error import set_error  # it imports this module

        for pending in self.in_flight():
            if pending.id in ids:
                stopped = replace(pending)
                set_error(stopped, "cancelled", message)
                self.add(stopped, premasked=True)

    def add(self, exchange: Exchange, *, premasked: bool = False) -> Exchange:
        """Mask and store an exchange, then tell listeners.

        ``premasked``: the caller already ran :func:`masked_exchange` (off the
        event loop, for a large body), so it is not scanned a second time. The
        masked exchange is then packed (:meth:`Exchange.pack`); one too large to
        pack has its header lines shared instead.
        """
        if not premasked:
            masked_exchange(exchange)
        # Masked: what is packed (and shared below) is only ever the masked form.
        packed = exchange.pack()
        with self._lock:
            if not packed:
                self._share_headers(exchange)
            self._items.append(exchange)
            self._by_id.setdefault(exchange.id, exchange)  # get() answers the first
            self._in_flight.pop(exchange.id, None)
            listeners = list(self._listeners)
        for listener in listeners:
            listener(exchange)
        return exchange

    def _share_headers(self, ex: Exchange) -> None:
        """Let equal header lines of different exchanges be one tuple (memory, 100,000s).

        Called under the lock, after masking: only masked lines are shared.
        """
        shared = self._headers
        if len(shared) > SHARED_HEADERS:
            shared.clear()
        ex.request_headers = [
            shared.setdefault(h, h) if type(h) is tuple else h for h in ex.request_headers
        ]
        ex.response_headers = [
            shared.setdefault(h, h) if type(h) is tuple else h for h in ex.response_headers
        ]

    def started(self, exchange: Exchange) -> Exchange:
        """A request went out: keep a masked copy as in flight and tell start listeners.

        The copy has no status and no error, so a viewer shows it as pending
        until :meth:`add` records the finished exchange under the same id.
        """
        pending = Exchange(
            id=exchange.id,
            step=exchange.step,
            started_at=exchange.started_at,
            method=exchange.method,
            url=exchange.url,
            request_headers=list(exchange.request_headers),
            request_body=exchange.request_body,
            streamed=exchange.streamed,
            proxy=exchange.proxy,
        )
        masked_exchange(pending)
        with self._lock:
            if pending.id in self._by_id:
                return pending  # already finished (recorded before we were told)
            self._in_flight[pending.id] = pending
            listeners = list(self._start_listeners)
        for listener in listeners:
            listener(pending)
        return pending

    def in_flight(self) -> list[Exchange]:
        """Requests sent and not answered yet (masked copies)."""
        with self._lock:
            return list(self._in_flight.values())

    def subscribe_started(self, listener: Callable[[Exchange], None]) -> None:
        """Also hear about requests when they start (see :meth:`started`)."""
        with self._lock:
            self._start_listeners.append(listener)

    def unsubscribe_started(self, listener: Callable[[Exchange], None]) -> None:
        with self._lock:
            if listener in self._start_listeners:
                self._start_listeners.remove(listener)

    def subscribe(self, listener: Callable[[Exchange], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Exchange], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def get(self, exchange_id: str) -> Exchange | None:
        with self._lock:
            return self._by_id.get(exchange_id)

    def all(self) -> list[Exchange]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._by_id.clear()
            self._headers.clear()
            self._in_flight.clear()

    def __len__(self) -> int:
        return len(self._items)


def masked_exchange(ex: Exchange) -> Exchange:
    """Mask every field of ``ex`` in place (idempotent)."""
    packed = ex.packed
    ex.unpack()  # read and written below field by field: once, not per field
    if len(ex.sse_events) > 1:
        from tui.core.net.sse_mask import mask_split_secrets  # imports this module

        mask_split_secrets(ex)
    ex.url = mask(ex.url)
    ex.request_headers = [tuple(h) for h in mask(list(ex.request_headers))]  # type: ignore[misc]
    ex.response_headers = [tuple(h) for h in mask(list(ex.response_headers))]  # type: ignore[misc]
    ex.request_body = mask(ex.request_body)
    ex.response_body = mask(ex.response_body)
    ex.error = mask(ex.error)
    ex.error_message = mask(ex.error_message)
    ex.note_messages = mask(ex.note_messages)
    ex.proxy = mask(ex.proxy)
    for ev in ex.sse_events:
        ev.data = mask(ev.data)
    if packed:
        ex.pack()
    return ex
