"""A hostile gateway cannot stretch the clock with redirects, nor mislabel what it sends.

Found by an attack review of issue 11: a redirect chain whose hops hold their
body past the limit made the network step take six limits (19 s at
``--timeout 3``); one endless line trickled a byte per read was called
"0 comments and no data"; and a valid model list larger than the 8 MB we keep
was called "probably the web console". Each server is a real loopback socket.
"""

from __future__ import annotations

import asyncio
import json
import time
import tracemalloc

from tests.support.servers import JSON, MODELS_BODY, Conn, RawServer
from tests.support.targets import target_for
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Report, Status
from tui.core.i18n.catalogue import render
from tui.core.net.exchange import MAX_STORED_BODY, Exchange, ExchangeLog
from tui.core.net.http import parse_json
from tui.core.net.models_list import fetch_models

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "Redirect (time)",
        "every hop answers `302 Location: <path>/x` at once, then holds its 1-byte body past "
        "the limit (`--timeout 1`)",
        "the failed hop ends the chain: network.timeout after one limit (was six hops, "
        "19 s at `--timeout 3`)",
    ),
    (
        "Redirect (time)",
        "every hop answers a complete 302 after 0.6 s (`--timeout 1`), five hops and more",
        "the whole chain gets 2 × `--timeout`: three hops are followed, then network.redirect "
        "“… redirects and still no answer”, within 2.5 s (was 3.6 s and six hops)",
    ),
    (
        "Stream flood",
        'the stream opens `data: {"choices":[{"delta":{"content":"` and then sends '
        "one byte per chunk, never a line break",
        "stream.timeout “the stream never ended: one line of N bytes without a line break in "
        "… s” (both languages; was “0 comments and no data”)",
    ),
    (
        "Model list",
        "a valid `/models` of 1,000,000 entries (17 MB, more than the 8 MB kept)",
        "auth.ok “key accepted; the model list is larger than 8 MB (17 MB, 499,982 models in "
        "its first 8 MB) and was not read whole, so the model is not looked up in it” (both "
        "languages; was auth.not_openai_compatible “probably the web console”); the model "
        "step still runs; the wizard's picker says to type the name",
    ),
    (
        "Model list",
        "a 2xx JSON body cut at the 8 MB we keep (half a million small objects before the cut)",
        "not parsed at all: a cut body is never whole JSON, so no objects are built to fail "
        "at the cut (peak allocation under 1 MB; was 132 MB)",
    ),
    (
        "Error text",
        "a 401 whose JSON `error.message` is 7 MB of letters (and a 1 MB `code`)",
        "auth.invalid_key at once: the message is kept to its first 4,000 characters and the "
        "word rules read only those (7.6 s of regex searches before, 2.2 s for the whole run "
        "after, most of it reading the body)",
    ),
]

COMPLETION = (
    b'{"id":"x","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,'
    b'"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],'
    b'"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'
)


def _network(report: Report):  # type: ignore[no-untyped-def]
    net = report.by_id("network")
    assert net is not None
    return net


def _hops(srv: RawServer) -> int:
    return sum(1 for r in srv.requests if r.method == "GET" and "/models" in r.target)


async def test_a_hop_that_failed_ends_the_redirect_chain() -> None:
    async def hold(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            await conn.write(
                f"HTTP/1.1 302 Found\r\nLocation: {path}/x\r\nContent-Length: 1\r\n\r\n".encode()
            )
            await asyncio.sleep(1.5)
            await conn.write(b"x")

    with RawServer(hold) as srv:
        t0 = time.perf_counter()
        report = await run_checks(
            target_for(srv.url + "/v1", timeout=1.0), ExchangeLog(), only=["network"], env={}
        )
        elapsed = time.perf_counter() - t0
        hops = _hops(srv)
    net = _network(report)
    assert net.status is Status.FAIL and net.code == "network.timeout", (net.code, net.detail)
    assert hops == 1, hops
    assert elapsed < 2.5, elapsed


async def test_the_whole_redirect_chain_has_one_time_budget() -> None:
    async def slow(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            await asyncio.sleep(0.6)
            await conn.respond(302, [("Location", f"{path}/x")])

    with RawServer(slow) as srv:
        t0 = time.perf_counter()
        report = await run_checks(
            target_for(srv.url + "/v1", timeout=1.0), ExchangeLog(), only=["network"], env={}
        )
        elapsed = time.perf_counter() - t0
        hops = _hops(srv)
    net = _network(report)
    assert net.status is Status.FAIL and net.code == "network.redirect", (net.code, net.detail)
    assert "redirects and still no answer" in net.detail, net.detail
    assert hops <= 4, hops
    assert elapsed < 2.5, elapsed


async def test_one_endless_line_a_byte_per_read_is_named_as_such() -> None:
    async def trickle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            if "/chat/" not in req.target:
                await conn.respond(200, JSON, MODELS_BODY)
            elif b'"stream": true' not in req.body and b'"stream":true' not in req.body:
                await conn.respond(200, JSON, COMPLETION)
            else:
                head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                await conn.write(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
                opening = b'data: {"choices":[{"delta":{"content":"'
                await conn.write(b"%x\r\n%s\r\n" % (len(opening), opening))
                while True:
                    await conn.write(b"1\r\na\r\n")
                    await asyncio.sleep(0.001)

    with RawServer(trickle) as srv:
        report = await run_checks(
            target_for(srv.url + "/v1", timeout=1.0), ExchangeLog(), only=["stream"], env={}
        )
    stream = report.by_id("stream")
    assert stream is not None and stream.code == "stream.timeout", (stream.code, stream.detail)
    assert "one line of" in stream.detail and "without a line break" in stream.detail, stream.detail
    assert "没有换行" in detail_for(stream, "zh-CN"), detail_for(stream, "zh-CN")


async def test_a_model_list_bigger_than_we_keep_is_not_called_a_web_console() -> None:
    big = (
        b'{"object":"list","data":['
        + b",".join(b'{"id":"m%d"}' % i for i in range(1_000_000))
        + b"]}"
    )

    async def serve(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            if "/chat/" in req.target:
                await conn.respond(200, JSON, COMPLETION)
            else:
                await conn.respond(200, JSON, big)

    with RawServer(serve) as srv:
        target = target_for(srv.url + "/v1", timeout=5.0)
        report = await run_checks(target, ExchangeLog(), only=["model"], env={})
        picked = await fetch_models(target)
    auth = report.by_id("auth")
    assert auth is not None and auth.code == "auth.ok", (auth.code, auth.detail)
    assert "the model list is larger than 8 MB (17 MB" in auth.detail, auth.detail
    assert "web console" not in auth.detail
    assert "模型列表超过 8 MB" in detail_for(auth, "zh-CN"), detail_for(auth, "zh-CN")
    model = report.by_id("model")
    assert model is not None and model.code == "model.ok", (model.code, model.detail)
    assert picked.error and "larger than 8 MB" in render(picked.error) and not picked.models


def test_a_cut_body_is_not_parsed() -> None:
    body = (b'{"data":[' + b",".join(b'{"id":"m%d"}' % i for i in range(600_000)))[:MAX_STORED_BODY]
    ex = Exchange(id="ex-1", step="auth", started_at="", method="GET", url="http://x/")
    ex.status, ex.response_body, ex.body_truncated = 200, body, True
    tracemalloc.start()
    try:
        assert parse_json(ex) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, peak


async def test_a_huge_error_message_is_cut_before_it_is_read() -> None:
    from tui.core.diagnosis.checks import classify as classify_mod

    huge = {"error": {"message": "Invalid key. " + "x" * 3_000_000, "code": "c" * 1_000_000}}
    body = json.dumps(huge).encode()
    info = classify_mod.classify(401, body, "application/json")
    assert info.kind == "invalid_key"
    assert len(info.message) <= classify_mod.MESSAGE_CHARS + 1 and info.message.endswith("…")
    assert info.code is not None and len(info.code) <= 200

    async def serve(conn: Conn) -> None:
        while await conn.read_request() is not None:
            await conn.respond(401, JSON, body)

    read: list[int] = []
    words = classify_mod._WORDS

    class Counting:
        def __init__(self, rx) -> None:  # type: ignore[no-untyped-def]
            self.rx = rx

        def search(self, text: str):  # type: ignore[no-untyped-def]
            read.append(len(text))
            return self.rx.search(text)

    classify_mod._WORDS = tuple((Counting(rx), kind) for rx, kind in words)  # type: ignore[misc]
    try:
        with RawServer(serve) as srv:
            report = await run_checks(
                target_for(srv.url + "/v1", timeout=10.0), ExchangeLog(), env={}
            )
    finally:
        classify_mod._WORDS = words
    auth = report.by_id("auth")
    assert auth is not None and auth.code == "auth.invalid_key", (auth.code, auth.detail)
    assert read and max(read) <= classify_mod.MESSAGE_CHARS + 1, max(read)
    assert len(auth.detail) < 6000
