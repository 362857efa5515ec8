"""A hostile gateway cannot blow up memory or the clock with a compressed body.

The bodies are decoded by tui/core/net/body_decode.py in bounded steps: a
compression bomb (``br``, ``zstd``, ``gzip``, ``deflate``) stops after about
1 MB with a sentence saying so, the event loop keeps running meanwhile, only
``gzip, deflate`` is asked for, and an encoding that cannot be decoded here is
named instead of crashing. Each server is a real loopback socket (RawServer).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
import time
import zlib

import pytest

from tests.support.servers import JSON, Conn, RawServer
from tests.support.targets import target_for
from tui.core.chat.session import ChatSession
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status
from tui.core.net.body_decode import KEEP_OF_BOMB
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.http import GatewayClient

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "Compression",
        "the answer to /models is 102 bytes of Content-Encoding: br expanding to 64 MB of "
        "zeros (the attack's 1.6 KB → 1 GB made `check --timeout 1` reach 8 GB RSS; killed "
        "at 60 s)",
        "decoded in steps of 256 KB; reading stops after ~1 MB with “the br-encoded body "
        "expands more than 1000-fold (1 MB from … compressed bytes): a compression bomb? "
        "Reading stopped”; 64 KB of it is kept",
    ),
    (
        "Compression",
        "the same 64 MB of zeros as zstd (2 KB), gzip and deflate (64 KB each)",
        "the same stop after ~1 MB (zstd in 32-byte input slices, zlib with max_length)",
    ),
    (
        "Compression",
        "a 64 MB gzip bomb while another task ticks every 10 ms",
        "the loop is never held: the longest gap between ticks stays under 0.25 s",
    ),
    (
        "Compression",
        "`check --timeout 1` against a gateway answering every request with a br bomb",
        "network fails as network.gateway_error naming the compression bomb (both languages), "
        "the rest wait for it; the run ends within 5 s",
    ),
    (
        "Compression (chat)",
        "a streamed chat reply sent as a gzip bomb (text/event-stream, 64 MB of zeros)",
        "the turn ends with a model.bad_response card naming the compression bomb",
    ),
    (
        "Compression",
        "any request",
        "asks for Accept-Encoding: gzip, deflate only (not br/zstd, which only bombs need)",
    ),
    (
        "Compression",
        "a br body while the Brotli module is not installed",
        "the exchange fails with “…Content-Encoding: br, which was not asked for "
        "(Accept-Encoding: gzip, deflate) and cannot be decoded here (the Brotli module "
        "is not installed)”, no traceback",
    ),
    (
        "Compression",
        "a gzip SSE stream trickled 7 bytes per read, and a real 1.6 MB model list gzipped "
        "to 96 KB (16-fold)",
        "both decoded whole: every event parsed, 40,000 models listed (no false bomb)",
    ),
]

ZEROS = 64 * 1024 * 1024


def _bomb(kind: str) -> bytes:
    zeros = b"\0" * ZEROS
    if kind == "gzip":
        return gzip.compress(zeros, 9)
    if kind == "deflate":
        return zlib.compress(zeros, 9)
    if kind == "br":
        import brotli

        return bytes(brotli.compress(zeros, quality=5))
    import zstandard

    return bytes(zstandard.ZstdCompressor(level=3).compress(zeros))


def _serve(encoding: str, body: bytes, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    async def handle(conn: Conn) -> None:
        while await conn.read_request() is not None:
            headers = [("Content-Type", content_type), ("Content-Encoding", encoding)]
            await conn.respond(200, headers, body)

    return handle


async def _get(srv: RawServer, timeout: float = 5.0) -> Exchange:
    async with GatewayClient(target_for(srv.url, timeout=timeout), ExchangeLog()) as client:
        return await client.request("GET", srv.url + "/v1/models", step="auth")


def _assert_stopped(ex: Exchange, kind: str) -> None:
    assert ex.error_kind == "too_large", (ex.error_kind, ex.error, ex.body_size)
    assert f"the {kind}-encoded body expands" in (ex.error or "")
    assert "compression bomb?" in (ex.error or "")
    assert ex.body_size < 2 * 1024 * 1024
    assert len(ex.response_body) <= KEEP_OF_BOMB and ex.body_truncated


async def test_brotli_bomb_stops_after_about_a_megabyte() -> None:
    pytest.importorskip("brotli")
    with RawServer(_serve("br", _bomb("br"))) as srv:
        ex = await _get(srv)
    _assert_stopped(ex, "br")


@pytest.mark.parametrize("kind", ["zstd", "gzip", "deflate"])
async def test_other_bombs_stop_too(kind: str) -> None:
    if kind == "zstd":
        pytest.importorskip("zstandard")
    with RawServer(_serve(kind, _bomb(kind))) as srv:
        ex = await _get(srv)
    _assert_stopped(ex, kind)


async def test_decoding_a_bomb_never_holds_the_loop() -> None:
    gaps: list[float] = []

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    body = _bomb("gzip")
    with RawServer(_serve("gzip", body)) as srv:
        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.05)
        ex = await _get(srv)
        task.cancel()
    assert ex.error_kind == "too_large"
    assert max(gaps) < 0.25, max(gaps)


async def test_check_names_the_bomb_and_ends_quickly() -> None:
    pytest.importorskip("brotli")
    with RawServer(_serve("br", _bomb("br"))) as srv:
        t0 = time.perf_counter()
        report = await run_checks(target_for(srv.url + "/v1", timeout=1.0), ExchangeLog(), env={})
        elapsed = time.perf_counter() - t0
    net = report.by_id("network")
    assert net is not None and net.status is Status.FAIL, net
    assert net.code == "network.gateway_error" and "compression bomb" in net.detail, net.detail
    assert "疑似压缩炸弹" in detail_for(net, "zh-CN"), detail_for(net, "zh-CN")
    assert elapsed < 5, elapsed


async def test_a_chat_turn_ends_with_a_card_naming_the_bomb() -> None:
    with RawServer(_serve("gzip", _bomb("gzip"), "text/event-stream")) as srv:
        session = ChatSession(target_for(srv.url + "/v1", timeout=3.0), ExchangeLog())
        try:
            turn = await session.send("hello")
        finally:
            await session.aclose()
    err = turn.reply.error
    assert err is not None and err.code == "model.bad_response", err
    assert "compression bomb" in err.message, err.message


async def test_only_gzip_and_deflate_are_asked_for() -> None:
    with RawServer(_serve("identity", b'{"data": []}')) as srv:
        ex = await _get(srv)
        sent = srv.requests[0].header("accept-encoding")
    assert ex.status == 200 and sent == "gzip, deflate", sent


async def test_an_encoding_that_is_not_installed_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("brotli")
    import brotli

    body = bytes(brotli.compress(b'{"data": []}'))
    monkeypatch.setitem(sys.modules, "brotli", None)  # import brotli -> ImportError
    with RawServer(_serve("br", body)) as srv:
        ex = await _get(srv)
    assert ex.error_kind == "decoding", (ex.error_kind, ex.error)
    assert "Content-Encoding: br, which was not asked for" in (ex.error or "")
    assert "the Brotli module is not installed" in (ex.error or "")


async def test_gzip_stream_in_tiny_reads_and_a_big_model_list_decode_whole() -> None:
    events = [json.dumps({"choices": [{"delta": {"content": f"w{i}"}}]}) for i in range(300)]
    sse = "".join(f"data: {e}\n\n" for e in events) + "data: [DONE]\n\n"
    packed = gzip.compress(sse.encode())

    async def trickle(conn: Conn) -> None:
        await conn.read_request()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\n"
            f"Content-Length: {len(packed)}\r\n\r\n"
        )
        await conn.write(head.encode())
        for i in range(0, len(packed), 7):
            await conn.write(packed[i : i + 7])

    with RawServer(trickle) as srv:
        async with GatewayClient(target_for(srv.url, timeout=5), ExchangeLog()) as client:
            ex = await client.request(
                "POST", srv.url + "/v1/chat/completions", step="stream", json={}, stream=True
            )
    assert ex.error is None, ex.error
    assert [e.data for e in ex.sse_events if not e.comment][-1] == "[DONE]"
    assert ex.sse_stats is not None and ex.sse_stats.data_events == 301

    models = {
        "object": "list",
        "data": [{"id": f"m-{i:06d}", "object": "model"} for i in range(40000)],
    }
    raw = json.dumps(models).encode()
    with RawServer(_serve("gzip", gzip.compress(raw), JSON[0][1])) as srv:
        ex = await _get(srv)
    assert ex.error is None and ex.body_size == len(raw) and not ex.body_truncated
    assert len(json.loads(ex.response_body)["data"]) == 40000
