"""Odd but healthy answers must not be failed (issue 20): each verdict rests on evidence.

A loopback gateway (tests/support/servers.py RawServer) shapes one answer at
a time: when a long-enough reply arrives in one burst and what (if anything)
came before it, a 503 carrying the gateway's own ``Via`` header on both
routes, a balance figure of 0 while completions are served, a missing
``/models`` list. Each row of ``HOSTILE_ROWS`` is asserted below
(docs/hardening.md is generated from them).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from tests.support.servers import JSON, MODELS_BODY, Conn, ForwardProxy, RawServer, canned
from tests.support.targets import target_for
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Report, Status
from tui.core.net.exchange import ExchangeLog

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Stream", "40 chunks in one burst after 0.7 s of total silence",
     "stream.buffered “all 40 chunks arrived within 0.0 ms, after 700 ms in which nothing at "
     "all arrived …” (the true positive)"),
    ("Stream", "a `: keep-alive` comment at once, then 40 chunks in one burst after 0.7 s",
     "stream.ok: the comment came through during the wait, so nothing buffers the path"),
    ("Stream", "the role chunk at once, then 40 chunks in one burst after 0.7 s",
     "stream.ok: a buffering proxy would have held the role chunk too"),
    ("Stream", "40 chunks in one burst 50 ms after the request (a fast backend)",
     "stream.ok “… (too fast to judge buffering)”"),
    ("Stream", "7 chunks in one burst 0.3 s after the request (a mock model behind LiteLLM)",
     "stream.ok “… (too short to judge buffering)”; 回复太短，无法判断是否被缓冲"),
    ("Proxy", "the gateway itself answers 503 with `Via: 1.1 google` on the proxied and the "
     "direct route", "proxy.ok: the proxy is not blamed for the gateway's own 503"),
    ("Balance", "the balance endpoint says 0 USD left, yet the completion is served",
     "balance.low (warn) “the balance endpoint reports 0 USD left …, yet the test completion "
     "was served”, not balance.insufficient"),
    ("Balance", "the balance endpoint says 0 USD left and the completion fails (500)",
     "balance.insufficient “no balance left (0 USD)”"),
    ("Balance", "the balance endpoints never answer; everything else works (`--timeout 1`)",
     "balance.timeout, skipped (not a warning): “no balance endpoint answered within 1 s: the "
     "balance could not be read”; the verdict is pass"),
    ("Model", "no `/models` list; the completion works",
     "model.not_listed (warn) saying why it matters: clients that fill their model list from "
     "/models will not offer it"),
]  # fmt: skip

Writer = Callable[[Conn], Awaitable[None]]
COMPLETION = json.dumps(
    {
        "id": "chatcmpl-odd",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "1 2 3"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 20, "completion_tokens": 3, "total_tokens": 23},
    }
).encode()
SSE_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    b"Connection: close\r\n\r\n"
)
NOT_FOUND = b'{"error": {"message": "Invalid URL", "code": "unknown_url"}}'


def event(delta: dict, finish: str | None = None) -> bytes:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    return b"data: " + json.dumps({"choices": [choice]}).encode() + b"\n\n"


ROLE = event({"role": "assistant", "content": ""})


def reply(n: int) -> bytes:
    body = b"".join(event({"content": f"{i} "}) for i in range(1, n + 1))
    return body + event({}, "stop") + b"data: [DONE]\n\n"


def stream(n: int, wait: float, *, before: bytes = b"", head_after_wait: bool = False) -> Writer:
    """``before`` at once, then after ``wait`` s the role chunk and ``n`` chunks in one write."""

    async def write(conn: Conn) -> None:
        if not head_after_wait:
            await conn.write(SSE_HEAD + before)
        await asyncio.sleep(wait)
        prefix = SSE_HEAD + before if head_after_wait else b""
        await conn.write(prefix + (b"" if before == ROLE else ROLE) + reply(n))
        conn.writer.close()

    return write


def gateway(
    writer: Writer | None = None,
    *,
    models: bool = True,
    balance: tuple[float, float] | None = None,
    chat_status: int = 200,
    hang_balance: bool = False,
) -> Callable[[Conn], Awaitable[None]]:
    """A minimal OpenAI-compatible gateway; ``balance`` = (hard_limit_usd, total_usage cents)."""
    writer = writer or stream(30, 0.0)

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            if path.endswith("/models") and models:
                await conn.respond(200, JSON, MODELS_BODY)
            elif path.endswith("/chat/completions"):
                if chat_status != 200:
                    err = b'{"error": {"message": "upstream failed", "type": "server_error"}}'
                    await conn.respond(chat_status, JSON, err)
                elif json.loads(req.body or b"{}").get("stream"):
                    await writer(conn)
                    return
                else:
                    await conn.respond(200, JSON, COMPLETION)
            elif hang_balance and ("/dashboard/billing/" in path or path.endswith("/key")):
                await asyncio.sleep(30)  # until the client gives up (the server stops)
                return
            elif balance and path.endswith("/dashboard/billing/subscription"):
                body = {"object": "billing_subscription", "hard_limit_usd": balance[0]}
                await conn.respond(200, JSON, json.dumps(body).encode())
            elif balance and path.endswith("/dashboard/billing/usage"):
                body = {"object": "list", "total_usage": balance[1]}
                await conn.respond(200, JSON, json.dumps(body).encode())
            else:
                await conn.respond(404, JSON, NOT_FOUND)

    return handle


async def check(
    handler: Callable[[Conn], Awaitable[None]], timeout: float = 3.0, **target_kw
) -> Report:
    with RawServer(handler, max_seconds=30) as srv:
        target = target_for(srv.url + "/v1", timeout=timeout, **target_kw)
        return await run_checks(target, ExchangeLog(), env={})


async def test_burst_after_total_silence_is_buffered():
    stream_r = (await check(gateway(stream(40, 0.7)))).by_id("stream")
    assert (stream_r.status, stream_r.code) == (Status.FAIL, "stream.buffered"), stream_r.detail
    assert "all 40 chunks arrived within" in stream_r.detail
    assert "nothing at all arrived" in stream_r.detail


async def test_keepalive_during_the_wait_shows_a_live_path():
    r = (await check(gateway(stream(40, 0.7, before=b": keep-alive\n\n")))).by_id("stream")
    assert r.code == "stream.ok", r.detail
    assert r.evidence["buffering"]["verdict"] == "live"


async def test_role_chunk_before_the_wait_shows_a_live_path():
    r = (await check(gateway(stream(40, 0.7, before=ROLE)))).by_id("stream")
    assert r.code == "stream.ok", r.detail
    assert r.evidence["first_token_ms"] >= 700


async def test_fast_burst_is_too_fast_to_judge():
    r = (await check(gateway(stream(40, 0.05)))).by_id("stream")
    assert r.code == "stream.ok", r.detail
    assert "too fast to judge buffering" in r.detail


async def test_short_burst_after_proxy_overhead_is_too_short_to_judge():
    r = (await check(gateway(stream(7, 0.3, head_after_wait=True)))).by_id("stream")
    assert r.code == "stream.ok", r.detail
    assert "too short to judge buffering" in r.detail
    assert "回复太短，无法判断是否被缓冲" in detail_for(r, "zh-CN")


async def test_gateway_503_with_via_on_both_routes_is_not_the_proxy():
    body = b'{"error": {"message": "service unavailable"}}'
    sick = canned(503, [*JSON, ("Via", "1.1 google")], body)
    with ForwardProxy(max_seconds=30) as proxy:
        report = await check(sick, proxy=proxy.url)
    r = report.by_id("proxy")
    assert (r.status, r.code) == (Status.PASS, "proxy.ok"), r.detail


async def test_zero_balance_while_completions_are_served_is_a_warning():
    report = await check(gateway(balance=(5.0, 500.0)))
    r = report.by_id("balance")
    assert (r.status, r.code) == (Status.WARN, "balance.low"), r.detail
    assert "yet the test completion was served" in r.detail
    assert "测试对话仍然成功" in detail_for(r, "zh-CN")
    assert report.by_id("model").code == "model.ok"


async def test_zero_balance_with_a_failing_completion_is_insufficient():
    report = await check(gateway(balance=(5.0, 500.0), chat_status=500))
    r = report.by_id("balance")
    assert (r.status, r.code) == (Status.FAIL, "balance.insufficient"), r.detail
    assert "no balance left (0 USD)" in r.detail


async def test_missing_model_list_warning_says_why_it_matters():
    report = await check(gateway(models=False))
    r = report.by_id("model")
    assert (r.status, r.code) == (Status.WARN, "model.not_listed"), r.detail
    assert "clients that fill their model list from /models" in r.detail
    assert "手动填写模型名称" in detail_for(r, "zh-CN")


async def test_balance_endpoints_that_never_answer_are_not_a_warning():
    report = await check(gateway(hang_balance=True), timeout=1.0)
    r = report.by_id("balance")
    assert (r.status, r.code) == (Status.SKIP, "balance.timeout"), r.detail
    assert "the balance could not be read" in r.detail
    assert report.verdict == "pass", [(c.code, c.detail) for c in report.checks]


BUSY_ROWS = [
    (
        "False alarm",
        "a fast gateway streams the whole reply at once while our own process is blocked "
        "for 0.8 s (a loaded machine, several runs at once): the bytes wait in the socket "
        "and are read in one burst after a silence",
        "`stream.ok` “this machine was too busy to judge buffering” (our event loop ran "
        "late during the silence: `loop_late_ms` in the evidence), not `stream.buffered`; "
        "a silence with our loop on time is still buffering",
    ),
]
HOSTILE_ROWS += BUSY_ROWS


async def test_our_own_blocked_loop_is_not_a_buffering_proxy():
    import threading
    import time

    asked, blocking = threading.Event(), threading.Event()

    async def write(conn: Conn) -> None:
        asked.set()
        while not blocking.is_set():  # answer while the client's loop is stalled
            await asyncio.sleep(0.002)
        await asyncio.sleep(0.05)
        await conn.write(SSE_HEAD + ROLE + reply(40))  # live and fast: nothing held back
        conn.writer.close()

    async def block_when_asked() -> None:
        while not asked.is_set():
            await asyncio.sleep(0.002)
        blocking.set()
        time.sleep(0.8)  # our own loop stalls, as on a loaded machine

    with RawServer(gateway(write), max_seconds=30) as srv:
        target = target_for(srv.url + "/v1", timeout=3.0)
        blocker = asyncio.create_task(block_when_asked())
        report = await run_checks(target, ExchangeLog(), env={})
        await blocker
    r = report.by_id("stream")
    assert r.code == "stream.ok", r.detail
    assert r.evidence["buffering"]["verdict"] == "too_busy", r.evidence["buffering"]
    assert r.evidence["buffering"]["loop_late_ms"] >= 100
    assert "too busy to judge buffering" in r.detail
    assert "太忙" in detail_for(r, "zh-CN")
