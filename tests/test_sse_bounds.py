"""The SSE parser's bounds: linear work, capped lines and events, counted overflow."""

from __future__ import annotations

import gc
import time

from tui.core.net.sse import MAX_EVENT, MAX_LINE, MAX_STRAY, SseParser


def _feed_all(parser: SseParser, chunks: list[bytes]) -> list:
    out = []
    for c in chunks:
        out += parser.feed(c)
    return out + parser.close()


def test_endless_line_is_cut_and_counted():
    p = SseParser()
    line = b"data: " + b"a" * (2 * MAX_LINE)
    events = _feed_all(p, [line[i : i + 1024] for i in range(0, len(line), 1024)] + [b"\n\n"])
    assert len(events) == 1 and events[0].cut
    assert len(events[0].data) == MAX_LINE - len(b"data: ")
    assert p.long_lines == 1 and p.overflow_bytes == len(line) - MAX_LINE
    assert sum(len(x) for x in p._parts) == 0


def test_many_data_lines_in_one_event_are_capped():
    p = SseParser()
    body = b"data: " + b"b" * 1000 + b"\n"
    events = _feed_all(p, [body * (2 * MAX_EVENT // 1000)] + [b"\n"])
    assert len(events) == 1 and events[0].cut
    assert len(events[0].data) <= MAX_EVENT + 1000
    assert p.overflow_bytes > 0


def test_crlf_split_over_two_chunks_is_one_terminator():
    events = _feed_all(SseParser(), [b"data: a\r", b"\n\r", b"\n", b"data: b\r\r"])
    assert [e.data for e in events] == ["a", "b"]


def test_stray_lines_counted_beyond_the_kept_examples():
    p = SseParser()
    _feed_all(p, [b"junk line\n" * 5000])
    assert p.stray_count == 5000 and len(p.stray_lines) == MAX_STRAY


def test_many_lines_per_chunk_is_linear():
    def run(n: int) -> float:
        chunk = b": ping\n" * n + b"data: x\n\n" * n
        gc.disable()  # 400,000 events: the collector's passes are not the parser's time
        try:
            t0 = time.perf_counter()
            events = SseParser().feed(chunk)
            took = time.perf_counter() - t0
        finally:
            gc.enable()
        assert len(events) == 2 * n
        return took

    # Best of three each: a busy machine (the suite runs on two workers) only adds time.
    # Ten times the input: linear is ~10×, quadratic ~100×; 30× leaves room for a loaded
    # machine's caches (26× was seen once with the collector on).
    small = min(run(20_000) for _ in range(3))
    big = min(run(200_000) for _ in range(3))
    assert big < small * 30, (small, big)
