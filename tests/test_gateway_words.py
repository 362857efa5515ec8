"""Real gateways' own words: LiteLLM budgets are money, new-api's code field is not the cause.

The messages are the products' exact wording (LiteLLM's proxy and router,
new-api's distributor and relay, OpenRouter), taken from their source and
issue reports. A small loopback LiteLLM (RawServer) answers ``/key/info``
and ``/user/info`` the way LiteLLM does, for the balance family.
"""

from __future__ import annotations

import json

import pytest

from tests.support.servers import JSON, MODELS_BODY, Conn, RawServer
from tests.support.targets import target_for
from tui.core.diagnosis.checks.classify import classify
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status
from tui.core.net.exchange import ExchangeLog


def err(message: str, type_: str | None = None, code: str | None = None) -> bytes:
    return json.dumps(
        {"error": {"message": message, "type": type_, "param": None, "code": code}}
    ).encode()


#: (status, body, kind)
WORDS = [
    # LiteLLM: budgets answer 429, but money ran out
    (429, err("Budget has been exceeded! Key=88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b Current cost: 10.2031, Max budget: 10.0", "budget_exceeded", "429"), "quota"),
    (429, err("ExceededBudget: User=93085 over budget. Spend=21.68, Budget=20.81", "budget_exceeded", "429"), "quota"),
    (429, err("No deployments available - crossed budget: Exceeded budget for deployment model_name: klai-ingest, litellm_params.model: mistral/mistral-small, model_id: 0f3c: 20.4 >= 1d", None, "429"), "quota"),
    (400, err("Budget has been exceeded! Team=c376eb0e Current cost: 2.0, Max budget: 1.0", "budget_exceeded", "400"), "quota"),
    # LiteLLM: a real rate limit, and a cooldown, stay what they are
    (429, err("Rate limit exceeded for api_key: f115. Limit type: tokens. Current limit: 100000", "throttling_error", "429"), "rate_limited"),
    (429, err("No deployments available for selected model, Try again in 5 seconds. Passed model=gpt-4o", None, "429"), "rate_limited"),
    # new-api: money words under 403, and code model_not_found on a no-channel message
    (403, err("user quota is not enough", "new_api_error", "insufficient_user_quota"), "quota"),
    (403, err("pre-consumed quota failed, user quota: $0.01, need quota: $0.05", "new_api_error", "pre_consume_token_quota_failed"), "quota"),
    (503, err("分组 default 下模型 gpt-4o 无可用渠道（distributor）", "new_api_error", "model_not_found"), "unavailable"),
    (503, err("No available channel for model gpt-4o under group vip (distributor)", "new_api_error", "model_not_found"), "unavailable"),
    (404, err("The model `gpt-4o` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"), "model_not_found"),
    # OpenRouter: a key's spending limit is money too
    (403, json.dumps({"error": {"code": 403, "message": "Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys"}}).encode(), "quota"),
]  # fmt: skip


@pytest.mark.parametrize(("status", "body", "kind"), WORDS)
def test_words_decide_before_the_status_and_the_code_field(status, body, kind):
    assert classify(status, body, "application/json").kind == kind


def litellm(key_info: dict, user_info: dict | None = None, chat: tuple[int, bytes] | None = None):
    """A LiteLLM proxy on loopback: /v1/models, /v1/chat/completions, /key/info, /user/info."""

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            if path == "/v1/models":
                await conn.respond(200, JSON, MODELS_BODY)
            elif path == "/v1/chat/completions" and chat is not None:
                await conn.respond(chat[0], JSON, chat[1])
            elif path == "/key/info":
                await conn.respond(
                    200, JSON, json.dumps({"key": "88dc28d0", "info": key_info}).encode()
                )
            elif path == "/user/info" and user_info is not None and "user_id=alice" in req.target:
                await conn.respond(200, JSON, json.dumps(user_info).encode())
            else:
                body = {"error": {"message": "Not Found", "type": "None", "code": "404"}}
                await conn.respond(404, JSON, json.dumps(body).encode())

    return handle


async def run(handler) -> dict:  # type: ignore[no-untyped-def]
    with RawServer(handler, max_seconds=30) as srv:
        report = await run_checks(target_for(srv.url + "/v1"), ExchangeLog(), env={})
    return {c.id: c for c in report.checks}


async def test_litellm_key_budget_is_read_with_spend_and_reset():
    info = {
        "spend": 2.5,
        "max_budget": 10.0,
        "budget_reset_at": "2026-12-31T00:00:00Z",
        "user_id": None,
    }
    bal = (await run(litellm(info)))["balance"]
    assert (bal.status, bal.code) == (Status.PASS, "balance.ok"), bal.detail
    assert bal.detail.startswith("7.5 USD (key budget: spent 2.5 of 10, resets 2026-12-31")
    assert bal.evidence["family"] == "litellm" and bal.evidence["budget_scope"] == "key"
    assert "已花费 2.5 / 10" in detail_for(bal, "zh-CN")


async def test_litellm_user_budget_when_the_key_has_none():
    info = {"spend": 1.0, "max_budget": None, "user_id": "alice"}
    user = {"user_id": "alice", "user_info": {"spend": 9.6, "max_budget": 10.0}, "keys": []}
    bal = (await run(litellm(info, user)))["balance"]
    assert bal.code == "balance.low", bal.detail
    assert "user budget: spent 9.6 of 10" in bal.detail


async def test_litellm_budget_429_is_money_with_the_budget_in_the_detail():
    info = {"spend": 10.2031, "max_budget": 10.0, "budget_reset_at": "2026-12-31T00:00:00Z"}
    chat = (429, WORDS[0][1])
    checks = await run(litellm(info, chat=chat))
    bal, model = checks["balance"], checks["model"]
    assert (bal.status, bal.code) == (Status.FAIL, "balance.insufficient"), bal.detail
    assert model.code == "model.skipped" and "rate" not in model.code
    assert "Budget has been exceeded" in bal.detail and "spent 10.2031 of 10" in bal.detail
    assert "disagree" not in bal.detail  # the figure and the refusal agree here


async def test_stream_refused_for_money_is_not_a_rate_limit():
    """Balance and model pass; only the streamed request hits LiteLLM's budget."""
    ok = json.dumps(
        {"choices": [{"message": {"content": "pong"}, "finish_reason": "stop"}]}
    ).encode()

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            if path == "/v1/models":
                await conn.respond(200, JSON, MODELS_BODY)
            elif path == "/v1/chat/completions" and b'"stream": true' in req.body:
                await conn.respond(429, JSON, WORDS[2][1])
            elif path == "/v1/chat/completions":
                await conn.respond(200, JSON, ok)
            else:
                await conn.respond(404, JSON, b'{"error": {"message": "Not Found"}}')

    checks = await run(handle)
    stream = checks["stream"]
    assert checks["model"].status is Status.PASS, checks["model"].detail
    assert (stream.status, stream.code) == (Status.FAIL, "stream.insufficient"), stream.detail
    assert "crossed budget" in stream.detail


def test_closest_puts_a_dated_variant_of_the_name_first_and_stays_fast():
    import time

    from tui.core.diagnosis.checks.model import closest

    listed = ["gpt-4.1-mini", "gpt-4o", "gpt-4o-mini-tts", "gpt-4o-mini-2024-07-18"]
    assert closest("gpt-4o-mini", listed)[0] == "gpt-4o-mini-2024-07-18"
    huge = [f"vendor/model-{i}" for i in range(300_000)]
    t0 = time.perf_counter()
    closest("gpt-4o-mini", huge)
    assert time.perf_counter() - t0 < 5.0  # bounded scan, not 300,000 difflib comparisons
