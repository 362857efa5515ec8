"""A stream that never ends, named for what it is.

A gateway (or something in front of it) can keep a stream open forever:
``:`` keep-alive comments and no data, one endless line, or an answer that
never sends ``finish_reason``. When our time limit cuts such a stream, the
detail says what arrived ("120,000 comments and no data in 3 s"), not that
the stream "went silent".
"""

from __future__ import annotations

from typing import Any, Protocol

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


def flood_detail(fl: dict[str, Any]) -> str:
    """English detail: ``"… 120,000 comments and no data in 3 s …"``."""
    secs = f"{fl['seconds']:g} s"
    if _one_line(fl):
        what = f"one line of {fl['bytes']:,} bytes without a line break in {secs}"
    elif not fl["data_events"]:
        what = f"{fl['comments']:,} comments and no data in {secs}"
    else:
        what = (
            f"{fl['events']:,} events ({fl['content_chunks']:,} content chunks, "
            f"{fl['comments']:,} comments) in {secs}, no finish_reason or [DONE]"
        )
    return f"the stream never ended: {what} ({fl['bytes']:,} bytes in {fl['reads']:,} reads)"


def flood_detail_zh(fl: dict[str, Any]) -> str:
    """The same in Simplified Chinese."""
    secs = f"{fl['seconds']:g} 秒"
    if _one_line(fl):
        what = f"{secs}内只收到一行没有换行的数据，长达 {fl['bytes']:,} 字节"
    elif not fl["data_events"]:
        what = f"{secs}内收到 {fl['comments']:,} 条注释行，却没有任何数据"
    else:
        what = (
            f"{secs}内收到 {fl['events']:,} 个事件（{fl['content_chunks']:,} 个内容分块、"
            f"{fl['comments']:,} 条注释），始终没有 finish_reason 或 [DONE]"
        )
    return f"流式响应一直没有结束：{what}（{fl['reads']:,} 次读取，共 {fl['bytes']:,} 字节）"


def _one_line(fl: dict[str, Any]) -> bool:
    """Nothing but one line without a break (too long, or still unfinished)."""
    return bool(fl["long_lines"] or fl.get("no_line_break")) and not fl["events"]
