"""Incremental Server-Sent Events parser (the subset OpenAI-style gateways use).

Fed raw bytes as they arrive, it yields complete events. Comment lines
(``: PING`` keep-alives) are reported as comments so callers can ignore them
without losing them from the inspector timeline. Lines are split on CRLF, LF
or CR, per the SSE specification.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ParsedEvent:
    data: str
    event: str | None = None
    id: str | None = None
    comment: bool = False
    #: True when the raw bytes were not valid UTF-8 (garbled stream).
    invalid_utf8: bool = False


@dataclass
class SseParser:
    """Feed bytes with :meth:`feed`; call :meth:`close` at end of stream."""

    _buffer: bytes = b""
    _data: list[str] = field(default_factory=list)
    _event: str | None = None
    _id: str | None = None
    _invalid: bool = False
    #: Lines that were neither a field, a comment nor blank (malformed SSE).
    stray_lines: list[str] = field(default_factory=list)

    def feed(self, chunk: bytes) -> list[ParsedEvent]:
        self._buffer += chunk
        events: list[ParsedEvent] = []
        while True:
            idx = _line_end(self._buffer)
            if idx is None:
                break
            end, skip = idx
            raw, self._buffer = self._buffer[:end], self._buffer[end + skip :]
            ev = self._line(raw)
            if ev is not None:
                events.append(ev)
        return events

    def close(self) -> list[ParsedEvent]:
        """Flush what is left; a final event without a blank line still counts."""
        events: list[ParsedEvent] = []
        if self._buffer:
            ev = self._line(self._buffer)
            self._buffer = b""
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
        if line.startswith(":"):
            return ParsedEvent(data=line[1:].strip(), comment=True)
        name, sep, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            self._id = value
        elif name == "retry":
            pass
        else:
            self.stray_lines.append(line)
        return None

    def _dispatch(self) -> ParsedEvent | None:
        if not self._data and self._event is None:
            return None
        ev = ParsedEvent(
            data="\n".join(self._data), event=self._event, id=self._id, invalid_utf8=self._invalid
        )
        self._data, self._event, self._invalid = [], None, False
        return ev


def _line_end(buf: bytes) -> tuple[int, int] | None:
    """Position and length of the first line terminator, CR only if not at the end."""
    n = buf.find(b"\n")
    r = buf.find(b"\r")
    if r != -1 and (n == -1 or r < n):
        if r + 1 < len(buf):
            return (r, 2) if buf[r + 1 : r + 2] == b"\n" else (r, 1)
        return None  # a CR at the end may be followed by LF in the next chunk
    if n != -1:
        return (n, 1)
    return None
