"""Streamed chat in every stream scenario: the exact SSE event sequence on the wire."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.conftest import FAKE_KEY
from tui.core.net.sse import ParsedEvent, SseParser
from tui.demo.server import DemoGateway

AUTH = {"Authorization": f"Bearer {FAKE_KEY}"}
N = 6  # max_tokens: exactly this many content chunks in a healthy stream


def body(n: int = N, **extra: object) -> dict:
    return {
        "model": "gpt-4o-mini",
        "stream": True,
        "max_tokens": n,
        "messages": [{"role": "user", "content": "stream please"}],
        **extra,
    }


def collect(url: str, *, timeout: float = 5, **extra: object):
    """(response, events, parser, error): reads until the end or a transport error."""
    parser = SseParser()
    events: list[ParsedEvent] = []
    error = None
    with httpx.Client(timeout=timeout, headers=AUTH) as client:
        with client.stream("POST", url + "/chat/completions", json=body(**extra)) as r:
            try:
                for chunk in r.iter_bytes():
                    events += parser.feed(chunk)
            except httpx.HTTPError as exc:
                error = exc
            events += parser.close()
    return r, events, parser, error


def kinds(events: list[ParsedEvent]) -> list[str]:
    """Each event as role / content / finish / usage / done / error / ping / bad."""
    out = []
    for ev in events:
        if ev.comment:
            out.append("ping")
            continue
        if ev.data == "[DONE]":
            out.append("done")
            continue
        try:
            obj = json.loads(ev.data)
        except ValueError:
            out.append("bad")
            continue
        if "error" in obj:
            out.append("error")
        elif not obj["choices"]:
            out.append("usage")
        elif obj["choices"][0]["finish_reason"]:
            out.append("finish")
        elif "role" in obj["choices"][0]["delta"]:
            out.append("role")
        else:
            out.append("content")
    return out


HEALTHY = ["role"] + ["content"] * N + ["finish", "done"]


def test_healthy_stream_sequence(demo_gateway):
    r, events, parser, error = collect(demo_gateway.base_url)
    assert error is None and r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert r.headers["transfer-encoding"] == "chunked"
    assert kinds(events) == HEALTHY
    assert not parser.stray_lines
    first = json.loads(events[0].data)
    assert first["object"] == "chat.completion.chunk" and "usage" not in first
    assert json.loads(events[-2].data)["choices"][0]["finish_reason"] == "length"


def test_include_usage_adds_a_final_usage_chunk(demo_gateway):
    _, events, _, _ = collect(demo_gateway.base_url, stream_options={"include_usage": True})
    assert kinds(events) == ["role"] + ["content"] * N + ["finish", "usage", "done"]
    usage = json.loads(events[-2].data)["usage"]
    assert usage["completion_tokens"] == N
    assert json.loads(events[1].data)["usage"] is None


def test_stream_text_matches_tokens_and_is_paced():
    gw = DemoGateway(port=0, tokens_per_second=40).start_in_thread()
    try:
        start = time.monotonic()
        _, events, _, _ = collect(gw.base_url, n=8)
        elapsed = time.monotonic() - start
    finally:
        gw.stop()
    text = "".join(
        json.loads(e.data)["choices"][0]["delta"].get("content", "") for e in events[:-2]
    )
    assert text.startswith('You said: "stream please')
    assert 0.15 <= elapsed < 2  # 8 tokens at 40/s = 0.2 s


def test_stream_cut(demo_gateway):
    r, events, _, error = collect(demo_gateway.scenario_url("stream_cut"))
    assert r.status_code == 200 and r.headers["connection"] == "close"
    assert isinstance(error, httpx.RemoteProtocolError)
    assert kinds(events) == ["role"] + ["content"] * (N // 2)


def test_malformed_sse(demo_gateway):
    _, events, parser, error = collect(demo_gateway.scenario_url("malformed_sse"))
    assert error is None
    assert len(parser.stray_lines) == 2
    assert parser.stray_lines[0].startswith('{"id":"chatcmpl-')
    seq = kinds(events)
    assert seq.count("bad") == 1 and seq[-1] == "done"
    assert seq.count("content") == N


def test_garbled(demo_gateway):
    _, events, _, error = collect(demo_gateway.scenario_url("garbled"))
    assert error is None
    assert sum(e.invalid_utf8 for e in events) == 1
    assert any("\ufffd\ufffd" in e.data and not e.invalid_utf8 for e in events)
    assert kinds(events)[-1] == "done"


def test_buffered_stream_arrives_in_one_burst(demo_gateway):
    start = time.monotonic()
    with httpx.Client(timeout=5, headers=AUTH) as client:
        url = demo_gateway.scenario_url("buffered_stream") + "/chat/completions"
        with client.stream("POST", url, json=body()) as r:
            headers_at = time.monotonic() - start
            arrivals = []
            parser = SseParser()
            events = []
            for chunk in r.iter_raw():
                arrivals.append(time.monotonic() - start)
                events += parser.feed(chunk)
    assert headers_at < 0.5
    assert arrivals[0] >= 0.9  # held at least BUFFER_MIN_HOLD
    assert arrivals[-1] - arrivals[0] < 0.2
    assert kinds(events) == HEALTHY


def test_stream_error_event(demo_gateway):
    _, events, _, error = collect(demo_gateway.scenario_url("stream_error_event"))
    assert error is None
    assert kinds(events) == ["role"] + ["content"] * (N // 2) + ["error"]
    err = json.loads(events[-1].data)["error"]
    assert err == {"message": "upstream error: overloaded", "type": "upstream_error"}


def test_stream_stall_until_the_client_leaves(demo_gateway):
    start = time.monotonic()
    r, events, _, error = collect(demo_gateway.scenario_url("stream_stall"), timeout=0.5)
    assert isinstance(error, httpx.ReadTimeout)
    assert time.monotonic() - start < 3
    assert kinds(events) == ["role"] + ["content"] * (N // 2)
    # the server released the stalled connection and still serves
    assert httpx.get(demo_gateway.base_url + "/models", headers=AUTH).status_code == 200


def test_not_streamed(demo_gateway):
    r, events, _, error = collect(demo_gateway.scenario_url("not_streamed"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert "content-length" in r.headers
    assert events == [] or all(not e.data.startswith("{") for e in events)
    with httpx.Client(headers=AUTH) as c:
        full = c.post(demo_gateway.scenario_url("not_streamed") + "/chat/completions", json=body())
    assert full.json()["object"] == "chat.completion"


def test_ping_comments_between_chunks(demo_gateway):
    _, events, _, error = collect(demo_gateway.scenario_url("ping_comments"))
    assert error is None
    seq = kinds(events)
    assert seq.count("ping") >= 2
    assert all(e.data == "PING" for e in events if e.comment)
    assert [k for k in seq if k != "ping"] == HEALTHY


def test_gzip_sse_decodes_to_a_healthy_stream(demo_gateway):
    r, events, _, error = collect(demo_gateway.scenario_url("gzip_sse"))
    assert error is None and r.headers["content-encoding"] == "gzip"
    assert kinds(events) == HEALTHY


def test_no_content_type(demo_gateway):
    r, events, _, _ = collect(demo_gateway.scenario_url("no_content_type"))
    assert "content-type" not in r.headers
    assert kinds(events) == HEALTHY
    models = httpx.get(demo_gateway.scenario_url("no_content_type") + "/models", headers=AUTH)
    assert "content-type" not in models.headers and models.json()["object"] == "list"


def test_reset_mid_stream(demo_gateway):
    _, events, _, error = collect(demo_gateway.scenario_url("reset_mid_body"))
    assert isinstance(error, httpx.ReadError | httpx.RemoteProtocolError)
    assert "done" not in kinds(events)


@pytest.mark.parametrize(
    "scenario", ["healthy", "invalid_key", "rate_limited", "stream_cut", "garbled"]
)
def test_api_v1_root_streams_too(demo_gateway, scenario):
    root = f"{demo_gateway.root_url}/scenario/{scenario}/api/v1"
    r, _, _, _ = collect(root)
    direct, _, _, _ = collect(demo_gateway.scenario_url(scenario))
    assert r.status_code == direct.status_code
