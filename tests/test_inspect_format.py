"""Pure formatting for the inspector: bodies, SSE timeline, phase bar, list rows, filter."""

from __future__ import annotations

import json

from tests.conftest import CANARY_KEY
from tui.core.inspect import format as fmt
from tui.core.net.exchange import Exchange, SseEvent


def ex(**kw) -> Exchange:
    base = dict(
        id="ex-0001",
        step="model",
        started_at="2025-01-02T03:04:05.678Z",
        method="POST",
        url="http://127.0.0.1:8000/v1/chat/completions",
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        response_headers=[("content-type", "application/json"), ("x-request-id", "req-9")],
        response_body=b'{"ok":true}',
        body_size=11,
        duration_ms=105.4,
    )
    base.update(kw)
    return Exchange(**base)


def test_json_body_is_pretty_printed_and_keeps_chinese_readable() -> None:
    view = fmt.body_view('{"a":{"b":[1,2]},"msg":"该令牌已过期"}'.encode(), "application/json")
    assert view.kind == "json" and not view.truncated
    assert view.text.splitlines()[:3] == ["{", '  "a": {', '    "b": [']
    assert "该令牌已过期" in view.text


def test_text_body_is_shown_as_is_and_html_is_not_json() -> None:
    view = fmt.body_view(b"<html>404 page not found</html>", "text/html")
    assert view == fmt.BodyView("text", "<html>404 page not found</html>", False, 31)
    assert fmt.body_view(b"{not json", "application/json").kind == "text"


def test_binary_body_gets_a_hex_preview() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    view = fmt.body_view(data, "image/png")
    assert view.kind == "binary" and view.truncated and view.total == len(data)
    lines = view.text.splitlines()
    assert lines[1].startswith("00000000  89 50 4e 47 0d 0a 1a 0a")
    assert lines[1].endswith("  .PNG............")
    assert len(lines) == 1 + fmt.HEX_LIMIT // 16


def test_utf8_cut_at_the_sample_edge_is_still_text() -> None:
    data = ("中" * 5000).encode()
    assert not fmt.is_binary(data)
    assert fmt.is_binary(b"abc\xff\xfe\x00\x01def")


def test_large_bodies_are_truncated_with_a_marker_in_both_languages() -> None:
    body = json.dumps({"data": ["x" * 50] * 5000}).encode()
    view = fmt.body_view(body, "application/json", limit=1000)
    assert view.truncated and len(view.text) < 1200
    assert "[truncated: showing" in view.text.splitlines()[-1]
    zh = fmt.body_view(body, "application/json", limit=1000, lang="zh-CN")
    assert "已截断" in zh.text


def test_recorder_truncation_is_reported() -> None:
    e = ex(response_body=b"a" * 100, body_size=10_000_000, body_truncated=True)
    view = fmt.response_body_view(e)
    assert view.truncated and "only the first 100 B were kept" in view.text


def test_views_mask_secrets_even_on_unmasked_exchanges() -> None:
    e = ex(
        request_headers=[("Authorization", f"Bearer {CANARY_KEY}")],
        request_body=json.dumps({"api_key": CANARY_KEY}).encode(),
        response_body=f"bad key {CANARY_KEY}".encode(),
        url=f"http://h/v1/models?key={CANARY_KEY}",
    )
    out = "\n".join(
        [
            fmt.request_head(e),
            fmt.response_head(e),
            fmt.request_body_view(e).text,
            fmt.response_body_view(e).text,
            " ".join(fmt.list_row(e)),
        ]
    )
    assert CANARY_KEY not in out and "do-not-leak" not in out
    assert "Authorization: Bearer sk-…3210" in out


def test_heads_show_request_line_status_line_and_transport_errors() -> None:
    e = ex(request_headers=[("accept", "application/json")], proxy="http://proxy:3128")
    assert fmt.request_head(e).splitlines() == [
        "POST /v1/chat/completions HTTP/1.1",
        "accept: application/json",
        "# via proxy http://proxy:3128",
    ]
    assert fmt.response_head(e).splitlines()[0] == "HTTP/1.1 200 OK"
    failed = ex(status=None, error="connection refused: [Errno 111]", error_kind="connect_refused")
    assert fmt.response_head(failed) == "✗ connect_refused: connection refused: [Errno 111]"


def test_sse_rows_have_offsets_gaps_kinds_and_summaries() -> None:
    events = [
        SseEvent(12.0, '{"choices":[{"delta":{"role":"assistant","content":""}}]}'),
        SseEvent(20.5, '{"choices":[{"delta":{"content":"你好"}}]}'),
        SseEvent(21.0, "PING", comment=True),
        SseEvent(
            40.0, '{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"total_tokens":9}}'
        ),
        SseEvent(41.0, '{"error":{"message":"upstream error: overloaded"}}'),
        SseEvent(42.0, "[DONE]"),
    ]
    rows = fmt.sse_rows(events)
    assert [r.kind for r in rows] == ["data", "data", "comment", "data", "data", "done"]
    assert [r.offset_ms for r in rows][:2] == [12.0, 20.5]
    assert rows[1].gap_ms == 8.5 and rows[0].gap_ms == 12.0
    assert rows[1].summary == '"你好"'
    assert "finish_reason=stop" in rows[3].summary and "usage" in rows[3].summary
    assert rows[4].summary.startswith("error: ")
    text = fmt.sse_timeline(events)
    assert text.splitlines()[1].split()[:4] == ["2", "+", "20.5", "ms"]
    assert "注释" in fmt.sse_timeline(events, "zh-CN")
    assert fmt.sse_timeline([]) == "(no SSE events)"


def test_phase_segments_are_proportional_and_never_hide_a_phase() -> None:
    timings = {"connect": 1.0, "tls": 9.0, "ttfb": 80.0, "transfer": 10.0, "total": 100.0}
    segs = fmt.phase_segments(timings, width=100)
    assert [s.name for s in segs] == ["dns", "connect", "tls", "ttfb", "transfer"]
    assert [s.width for s in segs] == [0, 1, 9, 80, 10]
    assert segs[0].ms is None
    tiny = fmt.phase_segments({"connect": 0.01, "ttfb": 500.0}, width=20)
    assert tiny[1].width == 1  # a fast phase still shows


def test_phase_bar_reads_like_httpstat() -> None:
    bar = fmt.phase_bar({"connect": 2.0, "ttfb": 100.0, "transfer": 2.0, "total": 104.0}, width=20)
    lines = bar.splitlines()
    assert lines[0].startswith("DNS Lookup") and "(included in TCP Connection)" in lines[0]
    assert "(n/a or reused)" in lines[2]  # TLS: plain HTTP
    assert lines[3].startswith("Server Processing") and "100 ms" in lines[3]
    # a waterfall: each bar starts where the previous one ended
    assert lines[3].index("█") > lines[1].index("█")
    assert lines[-1].split() == ["Total", "104", "ms"]
    assert fmt.phase_bar({}) == "(no timings recorded)"
    zh = fmt.phase_bar({"ttfb": 5.0, "total": 5.0}, "zh-CN")
    assert zh.splitlines()[3].startswith("服务器处理")


def test_list_row_and_status_classes() -> None:
    assert fmt.list_row(ex()) == (
        "03:04:05.678",
        "POST",
        "/v1/chat/completions",
        "200",
        "105 ms",
        "11 B",
        "model",
    )
    failed = ex(status=None, error_kind="timeout", body_size=0, duration_ms=15000.0)
    assert fmt.list_row(failed)[3:6] == ("timeout", "15.00 s", "–")
    assert [fmt.status_class(ex(status=s)) for s in (200, 301, 404, 503)] == [
        "2xx",
        "3xx",
        "4xx",
        "5xx",
    ]
    assert fmt.status_class(failed) == "error"
    assert fmt.format_size(1536) == "1.5 KB" and fmt.format_size(3 * 1024 * 1024) == "3.0 MB"


def test_filter_matches_every_word_and_status_class() -> None:
    e = ex(status=429, step="model", url="http://gw/v1/chat/completions")
    assert fmt.matches(e, "chat 429")
    assert fmt.matches(e, "MODEL req-9")  # case-insensitive, request ids count
    assert not fmt.matches(e, "chat 500")
    assert fmt.matches(e, "", {"4xx", "5xx"})
    assert not fmt.matches(e, "", {"2xx"})
    assert fmt.matches(e, "", None) and fmt.matches(e, "", set())
    err = ex(status=None, error="DNS lookup failed", error_kind="dns")
    assert fmt.matches(err, "dns", {"error"})
