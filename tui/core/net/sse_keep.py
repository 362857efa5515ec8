"""Recording the SSE events of one exchange in bounded memory.

A hostile gateway can send a flood of ``:`` comments or millions of tiny
events. Keeping every one of them grew a single check to gigabytes; instead we
keep the first :data:`KEEP_FIRST` and the last :data:`KEEP_LAST` events, a marker
event saying how many were left out, and counters
(:class:`~tui.core.net.exchange.SseStats`) over the whole stream.
"""

from __future__ import annotations

from collections import deque

from tui.core.i18n.catalogue import text
from tui.core.net.exchange import Exchange, SseEvent, SseStats
from tui.core.net.sse import ParsedEvent, SseParser

KEEP_FIRST = 200
KEEP_LAST = 20
#: ``SseEvent.event`` of the marker that stands for the events not kept.
DROPPED = "dropped"


class EventKeeper:
    """Appends events to ``ex.sse_events`` up to a cap and counts all of them."""

    def __init__(self, ex: Exchange) -> None:
        self.ex = ex
        self.stats = ex.sse_stats = SseStats()
        self._tail: deque[SseEvent] = deque(maxlen=KEEP_LAST)

    def add(self, pe: ParsedEvent, offset: float) -> None:
        st = self.stats
        st.events += 1
        if st.first_ms is None:
            st.first_ms = offset
        elif st.last_ms is not None and offset - st.last_ms > st.max_gap_ms:
            st.max_gap_ms = offset - st.last_ms
        st.last_ms = offset
        if pe.comment:
            st.comments += 1
        else:
            st.data_events += 1
            if st.first_data_ms is None:
                st.first_data_ms = offset
            st.last_data_ms = offset
        event = "invalid_utf8" if pe.invalid_utf8 and pe.event is None else pe.event
        ev = SseEvent(offset_ms=offset, data=pe.data, event=event, id=pe.id, comment=pe.comment)
        if len(self.ex.sse_events) < KEEP_FIRST:
            self.ex.sse_events.append(ev)
            return
        if len(self._tail) == self._tail.maxlen:
            st.dropped += 1
        self._tail.append(ev)

    def finish(self, parser: SseParser | None, offset: float) -> None:
        """Close the list: the marker, the kept tail, then the stray lines seen."""
        st = self.stats
        if st.dropped:
            at = self._tail[0].offset_ms if self._tail else offset
            self.ex.sse_events.append(
                SseEvent(
                    offset_ms=at,
                    # Recorded data (logged, exported): the English line, facts in stats.
                    data=text(
                        "body.events_dropped",
                        dropped=st.dropped,
                        first=KEEP_FIRST,
                        last=KEEP_LAST,
                        comments=st.comments,
                        data_events=st.data_events,
                    ),
                    event=DROPPED,
                )
            )
        self.ex.sse_events.extend(self._tail)
        self._tail.clear()
        if parser is None:
            return
        st.stray_lines = parser.stray_count
        st.overflow_bytes = parser.overflow_bytes
        st.long_lines = parser.long_lines
        if parser.stray_lines:
            self.ex.sse_events.append(
                SseEvent(offset_ms=offset, data="\n".join(parser.stray_lines), event="stray")
            )
