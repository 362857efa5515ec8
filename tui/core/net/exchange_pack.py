"""How a recorded exchange keeps its heavy fields: one compressed ``bytes`` (issue 14).

An exchange's headers, bodies, timings, SSE events and stats and notes are packed
with marshal + zlib against a dictionary of common gateway words once it is masked
and recorded: ~650 bytes per exchange instead of ~1.7 KB of Python objects, so the
inspector holds 100,000 within its memory budget. Each read unpacks a fresh copy
(:class:`Packed` is the field descriptor :class:`~tui.core.net.exchange.Exchange`
uses); the last exchange read is kept unpacked for the next read of another field.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable
from dataclasses import fields
from typing import Any, Generic, TypeVar, cast, overload

from tui.core.net.sse_records import SseEvent, SseStats

#: How many distinct header lines are shared between exchanges before starting over.
SHARED_HEADERS = 4096

T = TypeVar("T")

#: Heavy fields of an exchange, in the order they are packed (see ``Exchange.pack``).
HEAVY_FIELDS = (
    "request_headers",
    "request_body",
    "response_headers",
    "response_body",
    "error_message",
    "timings",
    "sse_events",
    "sse_stats",
    "note_messages",
)
#: An exchange whose bodies and events hold more than this stays unpacked: unpacking
#: it on every read would cost more than it saves (100,000 small ones are the case).
PACK_LIMIT = 64 * 1024
#: What the packed form of an exchange is compressed against: words that come back in
#: most exchanges of an OpenAI-compatible gateway (headers, JSON keys, SSE chunks).
_ZDICT = (
    b"host127.0.0.1localhostuser-agentgateway-doctor/acceptaccept-encodinggzip, deflate"
    b"connectionkeep-aliveclosecontent-lengthcontent-typetext/plain; charset=utf-8"
    b"text/html; charset=utf-8application/json; charset=utf-8datetransfer-encodingchunked"
    b"servernginxcloudflarecf-rayvarycache-controlno-cacheaccess-control-allow-origin*"
    b"x-ratelimit-remaining-requestsx-ratelimit-limit-requestsretry-afteropenai-"
    b"x-request-idx-oneapi-request-idauthorizationBearer sk-\xe2\x80\xa6"
    b'{"error":{"message":"","type":"invalid_request_error","code":null}}'
    b'{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":'
    b'"owned_by":"openai"},{"id":"'
    b'{"model":"gpt-4o-mini","max_tokens":16,"stream":true,"messages":[{"role":"user",'
    b'"content":"hi"}]}{"id":"chatcmpl-","object":"chat.completion","created":,"model":"'
    b'"choices":[{"index":0,"message":{"role":"assistant","content":"'
    b'"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":,'
    b'"completion_tokens":,"total_tokens":}}'
    b'"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"'
    b'"}}]}\n\ndata: [DONE]\n\ndata: {"choices":[{"delta":{"content":"'
    b"idparamsproxy_connecttlsconnectttfbtransfertotaltext/event-streamapplication/json"
)


class Packed(Generic[T]):
    """A heavy field of an ``Exchange``: kept in its list of heavy fields, packed or not.

    Read from the class (as ``dataclass`` does) it gives the field's default; ``None``
    assigned to a list or dict field gives it a new empty one (its default).
    """

    __slots__ = ("at", "default", "factory")

    def __init__(
        self, at: int, default: Any = None, factory: Callable[[], Any] | None = None
    ) -> None:
        self.at, self.default, self.factory = at, default, factory

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Any: ...
    @overload
    def __get__(self, obj: Any, owner: type[Any]) -> T: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self.default
        heavy = obj._heavy  # noqa: SLF001
        if type(heavy) is list:
            return heavy[self.at]
        return unpack_one(cast(bytes, heavy), self.at)

    def __set__(self, obj: Any, value: T | None) -> None:
        if value is None and self.factory is not None:
            value = self.factory()
        heavy = getattr(obj, "_heavy", None)
        if heavy is None:  # the first field set by __init__
            heavy = obj._heavy = [None] * len(HEAVY_FIELDS)  # noqa: SLF001
        if type(heavy) is list:
            heavy[self.at] = value
            return
        opened = unpack(cast(bytes, heavy))
        opened[self.at] = value
        obj._heavy = opened  # noqa: SLF001
        obj.pack()  # packed it was, packed it stays


def pack_heavy(heavy: list[Any]) -> bytes | None:
    """The heavy fields (in :data:`HEAVY_FIELDS` order) packed, or None when marshal
    cannot write one of them."""
    events = heavy[6]
    stats = heavy[7]
    flat = (
        *heavy[:6],
        [(e.offset_ms, e.data, e.event, e.id, e.comment) for e in events],
        None if stats is None else tuple(getattr(stats, f) for f in _STATS_FIELDS),
        heavy[8],
    )
    try:
        raw = marshal.dumps(flat)
    except ValueError:
        return None
    squeeze = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, _ZDICT)
    return squeeze.compress(raw) + squeeze.flush()


_STATS_FIELDS = tuple(f.name for f in fields(SseStats))

#: Header lines read from packed exchanges, one tuple per distinct (masked) line: what
#: is read from many exchanges (an export of all of them) shares its repeated lines.
_LINES: dict[tuple[str, str], tuple[str, str]] = {}


#: The last packed exchange read, and its marshal form: an export or a detail reads
#: several fields of one exchange in a row (each read still gets objects of its own).
_last: tuple[bytes, bytes] = (b"", b"")


def _unpacked_raw(blob: bytes) -> list[Any]:
    global _last  # noqa: PLW0603 - a one-entry cache, replaced as a whole
    seen, raw = _last
    if seen is not blob:
        opener = zlib.decompressobj(zdict=_ZDICT)
        raw = opener.decompress(blob) + opener.flush()
        _last = (blob, raw)
    return list(marshal.loads(raw))


def _thawed(at: int, value: Any) -> Any:
    """A packed value as the field holds it (events and stats were written as tuples)."""
    if at in (0, 2):
        if len(_LINES) > SHARED_HEADERS:
            _LINES.clear()
        return [_LINES.setdefault(h, h) if type(h) is tuple else h for h in value]
    if at == 6:
        return [SseEvent(*e) for e in value]
    if at == 7 and value is not None:
        return SseStats(*value)
    return value


def unpack(blob: bytes) -> list[Any]:
    """Every heavy field of a packed exchange, in ``HEAVY_FIELDS`` order."""
    return [_thawed(at, value) for at, value in enumerate(_unpacked_raw(blob))]


def unpack_one(blob: bytes, at: int) -> Any:
    return _thawed(at, _unpacked_raw(blob)[at])
