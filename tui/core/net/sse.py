"""Incremental Server-Sent Events parser (the subset OpenAI-style gateways use).

Fed raw bytes as they arrive, it yields complete events. Comment lines
(``: PING`` keep-alives) are reported as comments so callers can ignore them
without losing them from the inspector timeline. Lines are split on CRLF, LF
or CR, per the SSE specification.

A hostile server must not be able to grow memory or time without bound: work
is linear in the bytes fed (no re-slicing of a growing buffer), one line keeps
at most :data:`MAX_LINE` bytes and one event at most :data:`MAX_EVENT` characters
of data; the rest is dropped and counted (``overflow_bytes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Longest line kept; the rest of a longer line is dropped and counted.
MAX_LINE = 1024 * 1024
#: Most data characters kept in one event (many ``data:`` lines without a blank line).
MAX_EVENT = 1024 * 1024
#: Stray (malformed) lines kept as examples; all are counted.
MAX_STRAY = 20


@dataclass(slots=True)
class ParsedEvent:
    data: str
    event: str | None = None
    id: str | None = None
    comment: bool = False
    #: True when the raw bytes were not valid UTF-8 (garbled stream).
    invalid_utf8: bool = False
    #: True when a line or the event's data went over the limits and was cut.
    cut: bool = False


@dataclass
class SseParser:
    """Feed bytes with :meth:`feed`; call :meth:`close` at end of stream."""

    #: Pieces of the line not yet terminated (joined once, when it ends).
    _parts: list[bytes] = field(default_factory=list)
    _part_len: int = 0
    #: The current line went over MAX_LINE: drop bytes until its end.
    _skipping: bool = False
    #: The last chunk ended with CR: an LF opening the next one belongs to it.
    _skip_lf: bool = False
    _data: list[str] = field(default_factory=list)
    _data_len: int = 0
    _event: str | None = None
    _id: str | None = None
    _invalid: bool = False
    _cut: bool = False
    #: Lines that were neither a field, a comment nor blank (the first MAX_STRAY).
    stray_lines: list[str] = field(default_factory=list)
    stray_count: int = 0
    #: Bytes dropped because a line or an event was too long.
    overflow_bytes: int = 0
    #: Lines longer than MAX_LINE.
    long_lines: int = 0

    def feed(self, chunk: bytes) -> list[ParsedEvent]:
        events: list[ParsedEvent] = []
        if not chunk:
            return events
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
                if not chunk:
                    return events
        lines = chunk.splitlines(keepends=True)
        last = lines[-1]
        complete = last.endswith((b"\n", b"\r"))
        if not complete:
            lines.pop()
        elif last.endswith(b"\r"):
            self._skip_lf = True
        for raw in lines:
            raw = _strip_eol(raw)
            if self._parts or self._skipping:
                raw = self._take(raw, ended=True)
            elif len(raw) > MAX_LINE:
                self.long_lines += 1
                self.overflow_bytes += len(raw) - MAX_LINE
                raw = raw[:MAX_LINE]
                self._cut = True
            ev = self._line(raw)
            if ev is not None:
                events.append(ev)
        if not complete:
            self._take(last, ended=False)
        return events

    def _take(self, piece: bytes, *, ended: bool) -> bytes:
        """Add ``piece`` to the pending line; return the whole line when it ended."""
        if self._skipping:
            self.overflow_bytes += len(piece)
        else:
            room = MAX_LINE - self._part_len
            if len(piece) > room:
                self.long_lines += 1
                self.overflow_bytes += len(piece) - room
                piece = piece[:room]
                self._skipping = True
                self._cut = True
            if piece:
                self._parts.append(piece)
                self._part_len += len(piece)
        if not ended:
            return b""
        line = b"".join(self._parts)
        self._parts, self._part_len, self._skipping = [], 0, False
        return line

    def close(self) -> list[ParsedEvent]:
        """Flush what is left; a final event without a blank line still counts."""
        events: list[ParsedEvent] = []
        if self._parts or self._skipping:
            ev = self._line(self._take(b"", ended=True))
            if ev is not None:
                events.append(ev)
        ev = self._dispatch()
        if ev is not None:
            events.append(ev)
        return events

    def _line(self, raw: bytes) -> ParsedEvent | None:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", "replace")
            self._invalid = True
        if line == "":
            return self._dispatch()
        if line[0] == ":":
            cut, self._cut = self._cut, False
            return ParsedEvent(data=line[1:].strip(), comment=True, cut=cut)
        name, _sep, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            room = MAX_EVENT - self._data_len
            if len(value) > room:
                self.overflow_bytes += len(value) - max(room, 0)
                value = value[: max(room, 0)]
                self._cut = True
                if room <= 0 and self._data:
                    return None
            self._data.append(value)
            self._data_len += len(value) + 1
        elif name == "event":
            self._event = value[:200]
        elif name == "id":
            self._id = value[:200]
        elif name == "retry":
            pass
        else:
            self.stray_count += 1
            if len(self.stray_lines) < MAX_STRAY:
                self.stray_lines.append(line[:2000])
        return None

    def _dispatch(self) -> ParsedEvent | None:
        if not self._data and self._event is None:
            return None
        ev = ParsedEvent(
            data="\n".join(self._data),
            event=self._event,
            id=self._id,
            invalid_utf8=self._invalid,
            cut=self._cut,
        )
        self._data, self._data_len, self._event = [], 0, None
        self._invalid = self._cut = False
        return ev


def _strip_eol(raw: bytes) -> bytes:
    """``raw`` without its line terminator (CRLF, LF or CR)."""
    if raw.endswith(b"\r\n"):
        return raw[:-2]
    if raw.endswith((b"\n", b"\r")):
        return raw[:-1]
    return raw
