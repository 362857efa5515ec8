"""ChatSession, compare and chat error classification without the UI.

Integration tests talk to the demo gateway over real loopback sockets
(``demo_gateway`` fixture, 2,000 tokens/s); a few narrow cases use
``httpx.MockTransport`` for shapes the demo gateway does not produce.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import time

import httpx
import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tests.support.exchange_mix import chat_exchange
from tui.core.chat.compare import CompareSession
from tui.core.chat.errors import classify_chat_exchange
from tui.core.chat.quick_prompts import QUICK_PROMPTS, prompt_by_command
from tui.core.chat.session import ChatSession, ChatSettings, estimate_tokens, list_models
from tui.core.chat.transcript import (
    chat_error_summary,
    format_stats,
    save_transcript,
    transcript_markdown,
)
from tui.core.diagnosis.codes import is_code
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.safe.masking import register_secret


def target_for(
    gw, scenario: str = "healthy", *, key: str = FAKE_KEY, timeout: float = 2.0
) -> Target:
    return Target(
        base_url=gw.scenario_url(scenario), api_key=key, model="gpt-4o-mini", timeout=timeout
    )


def chat_bodies(log: ExchangeLog) -> list[dict]:
    return [
        json.loads(ex.request_body)
        for ex in log.all()
        if ex.step == "chat" and ex.path.endswith("/chat/completions")
    ]


async def test_multi_turn_sends_whole_history(demo_gateway):
    log = ExchangeLog()
    session = ChatSession(
        target_for(demo_gateway), log, ChatSettings(system_prompt="Be brief.", max_tokens=12)
    )
    try:
        deltas: list[str] = []
        first = await session.send("What is a gateway?", deltas.append)
        second = await session.send("And a proxy?")
        third = await session.send("Summarise.")
    finally:
        await session.aclose()
    assert "".join(deltas) == first.reply.content and len(deltas) > 3
    assert all(t.reply.ok for t in (first, second, third))
    bodies = chat_bodies(log)
    assert len(bodies) == 3
    assert [m["role"] for m in bodies[2]["messages"]] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    msgs = bodies[2]["messages"]
    assert msgs[1]["content"] == "What is a gateway?"
    assert msgs[2]["content"] == first.reply.content
    assert msgs[4]["content"] == second.reply.content
    assert bodies[2]["stream"] is True and bodies[2]["max_tokens"] == 12
    assert bodies[2]["stream_options"] == {"include_usage": True}


async def test_stats_from_usage(demo_gateway):
    log = ExchangeLog()
    session = ChatSession(target_for(demo_gateway), log, ChatSettings(max_tokens=30))
    try:
        turn = await session.send("hello")
    finally:
        await session.aclose()
    st = turn.reply.stats
    assert st.completion_tokens == 30 and not st.estimated
    assert st.prompt_tokens and st.prompt_tokens > 0
    assert st.finish_reason == "length"
    assert st.ttft_ms is not None and 0 < st.ttft_ms <= st.total_ms
    assert st.tokens_per_s and st.tokens_per_s > 0
    ex = log.get(st.exchange_id)
    assert ex is not None and st.request_id == ex.header("x-request-id")
    line = format_stats(st, "en")
    assert "tok/s" in line and "30" in line and "first token" in line and "estimated" not in line
    assert "首个 token" in format_stats(st, "zh-CN")


async def test_non_stream_and_estimated_tokens(demo_gateway):
    log = ExchangeLog()
    session = ChatSession(
        target_for(demo_gateway), log, ChatSettings(stream=False, include_usage=False)
    )
    got: list[str] = []
    try:
        turn = await session.send("你好,请介绍一下你自己", got.append)
    finally:
        await session.aclose()
    assert turn.reply.ok and got == [turn.reply.content]
    assert "演示网关" in turn.reply.content
    assert turn.reply.stats.finish_reason == "stop"
    assert chat_bodies(log)[0]["stream"] is False


def test_estimate_tokens() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("你好世界") == 4
    assert 2 <= estimate_tokens("hello world, how are you") <= 8


async def test_stop_keeps_partial_text_and_cancels_request(demo_gateway):
    log = ExchangeLog()
    session = ChatSession(target_for(demo_gateway, "stream_stall", timeout=10), log)
    seen = asyncio.Event()

    def on_delta(_: str) -> None:
        seen.set()

    task = asyncio.create_task(session.send("tell me a story", on_delta))
    await asyncio.wait_for(seen.wait(), 5)
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    session.stop()
    turn = await asyncio.wait_for(task, 2)
    assert time.perf_counter() - started < 1.0
    reply = turn.reply
    assert reply.stopped and reply.content and reply.error is None
    ex = log.get(reply.stats.exchange_id)
    assert ex is not None and ex.error_kind == "cancelled"
    assert reply.stats.completion_tokens and reply.stats.estimated
    md = transcript_markdown(session.history, session.target)
    assert "stopped by you" in md
    await session.aclose()


async def test_task_cancellation_propagates_but_records_partial(demo_gateway):
    log = ExchangeLog()
    session = ChatSession(target_for(demo_gateway, "stream_stall", timeout=10), log)
    seen = asyncio.Event()
    task = asyncio.create_task(session.send("hi", lambda _: seen.set()))
    await asyncio.wait_for(seen.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert session.history[-1].reply.stopped and session.history[-1].reply.content
    await session.aclose()


@pytest.mark.parametrize(
    ("scenario", "code"),
    [
        ("model_not_found", "model.not_found"),
        ("quota_exhausted", "balance.insufficient"),
        ("token_quota_exhausted", "balance.insufficient"),
        ("token_quota_exhausted_zh", "balance.insufficient"),
        ("payment_required", "balance.insufficient"),
        ("invalid_key", "auth.invalid_key"),
        ("key_disabled", "auth.key_disabled"),
        ("key_expired", "auth.key_expired"),
        ("ip_not_allowed", "auth.ip_not_allowed"),
        ("no_channel", "model.unavailable"),
        ("no_channel_zh", "model.unavailable"),
        ("rate_limited", "model.rate_limited"),
        ("server_error", "model.server_error"),
        ("cloudflare_524", "model.gateway_error"),
        ("stream_cut", "stream.interrupted"),
        ("stream_error_event", "stream.error_event"),
        ("stream_stall", "stream.stalled"),
        ("redirect", "network.redirect"),
    ],
)
async def test_error_replies_are_classified(demo_gateway, scenario, code):
    log = ExchangeLog()
    session = ChatSession(target_for(demo_gateway, scenario, timeout=0.5), log)
    try:
        turn = await session.send("hi")
    finally:
        await session.aclose()
    err = turn.reply.error
    assert err is not None and err.code == code and is_code(err.code)
    assert err.exchange_id == turn.reply.stats.exchange_id
    assert err.message
    if scenario.startswith("stream_"):
        assert turn.reply.content  # partial text kept
    if scenario == "rate_limited":
        assert err.retry_after == "20"


@pytest.mark.parametrize(
    ("scenario", "note"),
    [
        ("garbled", "stream.garbled"),
        ("malformed_sse", "stream.malformed"),
        ("not_streamed", "stream.not_streamed"),
    ],
)
async def test_stream_oddities_are_noted(demo_gateway, scenario, note):
    session = ChatSession(target_for(demo_gateway, scenario), ExchangeLog())
    try:
        turn = await session.send("hi")
    finally:
        await session.aclose()
    assert turn.reply.content and note in turn.reply.notes


async def test_ping_comments_ignored(demo_gateway):
    session = ChatSession(target_for(demo_gateway, "ping_comments"), ExchangeLog())
    try:
        turn = await session.send("hi")
    finally:
        await session.aclose()
    assert turn.reply.ok and not turn.reply.notes and "PING" not in turn.reply.content


async def test_failed_turn_is_not_resent(demo_gateway):
    log = ExchangeLog()
    session = ChatSession(target_for(demo_gateway), log)
    try:
        session.settings.model = "no-such-model"
        bad = await session.send("first")
        assert bad.reply.error is not None and bad.reply.error.code == "model.not_found"
        session.settings.model = "gpt-4o-mini"
        await session.send("second")
    finally:
        await session.aclose()
    last = chat_bodies(log)[-1]["messages"]
    assert [m["content"] for m in last] == ["second"]


async def test_list_models_and_errors(demo_gateway):
    log = ExchangeLog()
    models = await list_models(target_for(demo_gateway), log)
    assert "gpt-4o-mini" in models.models and models.error is None
    assert log.get(models.exchange_id).step == "chat"
    missing = await list_models(target_for(demo_gateway, "no_models_endpoint"), log)
    assert missing.models == [] and missing.error is not None
    html = await list_models(target_for(demo_gateway, "html_frontend"), log)
    assert html.error is not None and html.error.code == "auth.not_openai_compatible"


async def test_compare_streams_two_models_at_once(demo_gateway):
    log = ExchangeLog()
    cmp = CompareSession(
        target_for(demo_gateway),
        log,
        ["gpt-4o-mini", "deepseek-chat"],
        ChatSettings(max_tokens=200),
    )
    first_delta: dict[int, float] = {}
    last_delta: dict[int, float] = {}

    def on_delta(side: int, _text: str) -> None:
        now = time.perf_counter()
        first_delta.setdefault(side, now)
        last_delta[side] = now

    try:
        turns = await cmp.send("compare me", on_delta)
    finally:
        await cmp.aclose()
    assert [t.reply.model for t in turns] == ["gpt-4o-mini", "deepseek-chat"]
    assert all(t.reply.ok and t.reply.stats.completion_tokens == 200 for t in turns)
    # Both streams overlap: each side started before the other finished.
    assert first_delta[0] < last_delta[1] and first_delta[1] < last_delta[0]
    bodies = chat_bodies(log)
    assert sorted(b["model"] for b in bodies) == ["deepseek-chat", "gpt-4o-mini"]


def test_quick_prompts_cover_testing_order() -> None:
    assert [q.id for q in QUICK_PROMPTS] == ["short", "long", "chinese", "code", "followup"]
    for q in QUICK_PROMPTS:
        assert q.text_for("en") and q.text_for("zh-CN") and q.label_for("zh-CN")
    assert prompt_by_command("/zh").id == "chinese"
    assert prompt_by_command("3").id == "chinese"
    assert prompt_by_command("nope") is None


async def test_transcript_and_summary_are_masked(demo_gateway, tmp_path):
    register_secret(CANARY_KEY)
    log = ExchangeLog()
    target = target_for(demo_gateway, "model_not_found", key=CANARY_KEY)
    session = ChatSession(target, log, ChatSettings(system_prompt="sys"))
    try:
        turn = await session.send(f"my key is {CANARY_KEY} ok?")
    finally:
        await session.aclose()
    md = transcript_markdown(session.history, target, system_prompt="sys", lang="zh-CN")
    assert CANARY_KEY not in md and "model.not_found" in md and "## 你" in md
    path = save_transcript(session.history, target, lang="en")
    assert path.suffix == ".md" and path.parent == tmp_path / "state"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    saved = path.read_text()
    assert CANARY_KEY not in saved and "What to do" in saved
    summary = chat_error_summary(turn.reply, target, log, "en")
    assert CANARY_KEY not in summary and "model.not_found" in summary
    assert turn.reply.stats.request_id in summary


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (403, b'{"error":{"message":"not allowed to use model gpt-4o"}}', "model.not_permitted"),
        (403, b'{"error":{"message":"forbidden"}}', "auth.forbidden"),
        (404, b"<html><title>404</title></html>", "auth.wrong_endpoint"),
        (200, b'{"error":{"message":"upstream failed"}}', "model.server_error"),
        (200, '{"error":{"message":"该令牌已过期"}}'.encode(), "auth.key_expired"),
        (403, '{"error":{"message":"账户已欠费"}}'.encode(), "balance.insufficient"),
        (200, b"<!doctype html><html></html>", "auth.not_openai_compatible"),
        (400, b'{"error":{"message":"max_tokens is too large"}}', "model.bad_response"),
        (502, b"bad gateway", "model.gateway_error"),
    ],
)
def test_classify_shapes(status, body, code) -> None:
    ctype = "text/html" if body.startswith(b"<") else "application/json"
    err = classify_chat_exchange(chat_exchange(status, body, ctype))
    assert err is not None and err.code == code


async def test_transport_error_becomes_network_code() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    target = Target(base_url="http://127.0.0.1:9/v1", api_key=FAKE_KEY, model="m", timeout=1)
    log = ExchangeLog()
    client = GatewayClient(
        target, log, client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )
    session = ChatSession(target, log, client=client)
    turn = await session.send("hi")
    await client.aclose()
    assert turn.reply.error is not None and turn.reply.error.code == "network.connect_refused"
