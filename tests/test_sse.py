"""SSE parsing: line endings, comments, split chunks, invalid UTF-8, stray lines."""

from __future__ import annotations

from tui.core.net.sse import SseParser


def _all(chunks: list[bytes]) -> tuple[list, SseParser]:
    p = SseParser()
    events = []
    for c in chunks:
        events += p.feed(c)
    events += p.close()
    return events, p


def test_events_split_across_chunks_and_crlf() -> None:
    events, _ = _all([b'data: {"a"', b":1}\r", b"\n\r\n", b"data: [DONE]\r\n\r\n"])
    assert [e.data for e in events] == ['{"a":1}', "[DONE]"]


def test_comment_lines_are_reported_as_comments() -> None:
    events, _ = _all([b": PING\n\ndata: x\n\n"])
    assert [(e.comment, e.data) for e in events] == [(True, "PING"), (False, "x")]


def test_multiline_data_and_event_name() -> None:
    events, _ = _all([b"event: error\ndata: line1\ndata: line2\n\n"])
    assert events[0].event == "error" and events[0].data == "line1\nline2"


def test_invalid_utf8_flagged() -> None:
    events, _ = _all([b"data: caf\xc3\n\n"])
    assert events[0].invalid_utf8 and "\ufffd" in events[0].data


def test_stray_lines_collected_and_final_event_without_blank_line() -> None:
    events, p = _all([b"hello world\ndata: tail"])
    assert p.stray_lines == ["hello world"]
    assert [e.data for e in events] == ["tail"]


def test_lone_cr_terminator() -> None:
    events, _ = _all([b"data: a\r\rdata: b\r\r", b""])
    assert [e.data for e in events] == ["a", "b"]
