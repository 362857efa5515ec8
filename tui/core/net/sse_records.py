"""What an exchange keeps of a server-sent event stream: some events and counters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class SseEvent:
    """One server-sent event with the time it arrived, relative to the request start."""

    offset_ms: float
    data: str
    event: str | None = None
    id: str | None = None
    comment: bool = False


@dataclass(slots=True)
class SseStats:
    """Counters over every event of a stream, including those not kept in ``sse_events``.

    A hostile stream can send millions of events; only the first and last few
    are kept, and these counters say what the whole stream did.
    """

    events: int = 0
    data_events: int = 0
    comments: int = 0
    #: Events not kept in ``sse_events`` (a marker event says where they were).
    dropped: int = 0
    #: Network reads of the body.
    chunks: int = 0
    first_ms: float | None = None
    last_ms: float | None = None
    first_data_ms: float | None = None
    last_data_ms: float | None = None
    #: Longest time between two consecutive events of any kind.
    max_gap_ms: float = 0.0
    #: Malformed lines (not a field, comment or blank line).
    stray_lines: int = 0
    #: Bytes dropped because a line or an event was too long.
    overflow_bytes: int = 0
    long_lines: int = 0
