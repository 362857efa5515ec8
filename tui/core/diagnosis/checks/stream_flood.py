"""A stream that never ends, named for what it is.

A gateway (or something in front of it) can keep a stream open forever:
``:`` keep-alive comments and no data, one endless line, or an answer that
never sends ``finish_reason``. When our time limit cuts such a stream, the
detail says what arrived ("120,000 comments and no data in 3 s"), not that
the stream "went silent".
"""

from __future__ import annotations

from typing import Any, Protocol

from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange


class _Counted(Protocol):
    content_chunks: int


def flood(ex: Exchange, facts: _Counted) -> dict[str, Any] | None:
    """Facts of a stream still sending when the total time limit cut it (else None)."""
    st = ex.sse_stats
    if st is None or ex.error_kind != "total_timeout":
        return None
    body = ex.response_body
    # A line trickled a byte per read stays under MAX_LINE (no long_lines) yet is one line.
    unbroken = bool(body) and not st.events and b"\n" not in body and b"\r" not in body
    return {
        "seconds": round(ex.duration_ms / 1000, 1),
        "events": st.events,
        "comments": st.comments,
        "data_events": st.data_events,
        "content_chunks": facts.content_chunks,
        "bytes": ex.body_size,
        "reads": st.chunks,
        "long_lines": st.long_lines,
        "no_line_break": unbroken,
    }


def flood_message(fl: dict[str, Any]) -> Msg:
    """The detail: ``"the stream never ended: 120,000 comments and no data in 3 s …"``."""
    secs = fl["seconds"]
    if _one_line(fl):
        what = msg("check.stream.flood.one_line", bytes=fl["bytes"], seconds=secs)
    elif not fl["data_events"]:
        what = msg("check.stream.flood.comments", comments=fl["comments"], seconds=secs)
    else:
        what = msg(
            "check.stream.flood.events",
            events=fl["events"],
            chunks=fl["content_chunks"],
            comments=fl["comments"],
            seconds=secs,
        )
    return msg("check.stream.flood.detail", what=what, bytes=fl["bytes"], reads=fl["reads"])


def _one_line(fl: dict[str, Any]) -> bool:
    """Nothing but one line without a break (too long, or still unfinished)."""
    return bool(fl["long_lines"] or fl.get("no_line_break")) and not fl["events"]
