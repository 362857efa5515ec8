"""Narrow unit cases the demo gateway does not cover: other gateway families'
balance shapes, LiteLLM budget errors, 2xx error bodies, streams built byte by byte.
These use httpx.MockTransport; everything else is tested over real sockets.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from tests.conftest import FAKE_KEY
from tui.core.diagnosis.checks.auth import base_variants, model_ids
from tui.core.diagnosis.checks.balance import check_balance
from tui.core.diagnosis.checks.base import Context
from tui.core.diagnosis.checks.model import check_model, closest
from tui.core.diagnosis.checks.stream import check_stream
from tui.core.diagnosis.model import Status, Target
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient


def make_ctx(url: str, handler: Callable[[httpx.Request], httpx.Response], **kw) -> Context:
    target = Target(base_url=url, api_key=FAKE_KEY, model=kw.pop("model", "gpt-4o-mini"),
                    timeout=2, trust_env=False)  # fmt: skip
    log = ExchangeLog()
    client = GatewayClient(
        target, log, client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )
    return Context(target, log, client, {}, base_url=url, **kw)


def js(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


NOT_FOUND = httpx.Response(404, text="404 page not found", headers={"content-type": "text/html"})


@pytest.mark.parametrize(
    ("url", "path", "body", "status", "code", "remaining"),
    [
        ("https://api.deepseek.com/v1", "/user/balance",
         {"is_available": True, "balance_infos": [{"currency": "CNY", "total_balance": "110.00"}]},
         Status.PASS, "balance.ok", 110.0),
        ("https://api.deepseek.com", "/user/balance",
         {"is_available": False, "balance_infos": [{"currency": "CNY", "total_balance": "0.00"}]},
         Status.FAIL, "balance.insufficient", 0.0),
        ("https://api.siliconflow.cn/v1", "/v1/user/info",
         {"code": 20000, "data": {"balance": "0.5", "totalBalance": "0.50"}},
         Status.WARN, "balance.low", 0.5),
        ("https://api.moonshot.cn/v1", "/v1/users/me/balance",
         {"code": 0, "data": {"available_balance": 49.58}}, Status.PASS, "balance.ok", 49.58),
        ("https://openrouter.ai/api/v1", "/api/v1/key",
         {"data": {"label": "x", "limit": None, "usage": 3.2, "limit_remaining": None}},
         Status.PASS, "balance.ok", None),
        ("https://gw.example.com/v1", "/v1/dashboard/billing/subscription",
         {"object": "billing_subscription", "hard_limit_usd": 100000000}, Status.PASS,
         "balance.ok", None),
    ],
)  # fmt: skip
async def test_balance_families(url, path, body, status, code, remaining):
    def handler(req: httpx.Request) -> httpx.Response:
        if req.url.path == path:
            return js(200, body)
        if req.url.path.endswith("/dashboard/billing/usage"):
            return js(200, {"object": "list", "total_usage": 0})
        return NOT_FOUND

    ctx = make_ctx(url, handler)
    res = await check_balance(ctx)
    await ctx.client.aclose()
    assert (res.status, res.code) == (status, code), res.detail
    assert res.evidence.get("remaining") == remaining
    assert res.exchanges


async def test_balance_unknown_when_nothing_answers():
    ctx = make_ctx("https://gw.example.com/v1", lambda req: NOT_FOUND)
    res = await check_balance(ctx)
    await ctx.client.aclose()
    assert (res.status, res.code) == (Status.SKIP, "balance.unknown")
    assert len(res.evidence["tried"]) >= 3


async def test_litellm_budget_is_insufficient():
    body = {"error": {"message": "Budget has been exceeded! Current cost: 10.5, Max budget: 10.0",
                      "type": "budget_exceeded", "param": None, "code": "400"}}  # fmt: skip
    ctx = make_ctx("http://litellm.local:4000/v1", lambda req: js(400, body))
    model = await check_model(ctx)
    assert model.status is Status.SKIP and model.evidence["quota_error"]
    bal = await check_balance(ctx)
    await ctx.client.aclose()
    assert bal.code == "balance.insufficient" and "Budget" in bal.error_text


async def test_model_2xx_error_body_is_a_failure():
    body = {"error": {"message": "当前分组 default 下对于模型 gpt-4o-mini 无可用渠道"}}
    ctx = make_ctx("https://gw.example.com/v1", lambda req: js(200, body))
    res = await check_model(ctx)
    await ctx.client.aclose()
    assert (res.status, res.code) == (Status.FAIL, "model.unavailable")
    assert res.http_status == 200 and "无可用渠道" in res.error_text
    assert res.charged is None


async def test_model_not_listed_suggests_closest():
    comp = {"choices": [{"message": {"content": "pong"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}  # fmt: skip
    ctx = make_ctx("https://gw.example.com/v1", lambda req: js(200, comp), model="gpt4o-mini",
                   models=["gpt-4o-mini", "gpt-4o", "deepseek-chat"])  # fmt: skip
    res = await check_model(ctx)
    await ctx.client.aclose()
    assert (res.status, res.code) == (Status.WARN, "model.not_listed")
    assert res.evidence["closest"][0] == "gpt-4o-mini" and res.charged is True


async def test_model_not_found_names_closest():
    err = {"error": {"message": "The model `gpt-4o-mni` does not exist", "code": "model_not_found"}}
    ctx = make_ctx("https://gw.example.com/v1", lambda req: js(404, err), model="gpt-4o-mni",
                   models=["gpt-4o-mini", "qwen-plus"])  # fmt: skip
    res = await check_model(ctx)
    await ctx.client.aclose()
    assert res.code == "model.not_found" and "gpt-4o-mini" in res.detail
    assert res.charged is False


def sse_response(raw: bytes, content_type: str = "text/event-stream") -> httpx.Response:
    return httpx.Response(200, content=raw, headers={"content-type": content_type})


def chunk(content: str | None = None, finish: str | None = None) -> bytes:
    delta = {"content": content} if content is not None else {}
    body = {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(body, ensure_ascii=False).encode() + b"\n\n"


OK_TAIL = chunk(finish="stop") + b"data: [DONE]\n\n"


@pytest.mark.parametrize(
    ("raw", "content_type", "code"),
    [
        (chunk("he") + b": PING\n\n" + chunk("llo") + OK_TAIL, "text/event-stream", "stream.ok"),
        (b"data:" + chunk("x")[5:] + chunk("y") + OK_TAIL, "text/event-stream", "stream.ok"),
        (chunk("a") + chunk("b"), "text/event-stream", "stream.interrupted"),
        (chunk("a") + b"data: {\"choices\": [\n\n" + OK_TAIL, "text/event-stream", "stream.malformed"),
        (chunk("a") + b"data: {\"error\": {\"message\": \"boom\"}}\n\n", "text/event-stream",
         "stream.error_event"),
        (chunk("a\ufffd") + OK_TAIL, "text/event-stream", "stream.garbled"),
        (json.dumps({"choices": [{"message": {"content": "x"}}]}).encode(), "application/json",
         "stream.not_streamed"),
        (b"hello", "text/plain", "stream.not_streamed"),
        (chunk("a") + b"\r\n" + OK_TAIL.replace(b"\n", b"\r\n"), "text/event-stream", "stream.ok"),
    ],
)  # fmt: skip
async def test_stream_shapes(raw, content_type, code):
    ctx = make_ctx("https://gw.example.com/v1", lambda req: sse_response(raw, content_type))
    res = await check_stream(ctx)
    await ctx.client.aclose()
    assert res.code == code, (res.detail, res.evidence)


async def test_stream_http_errors():
    ctx = make_ctx("https://gw.example.com/v1",
                   lambda req: js(429, {"error": {"message": "slow down"}}, **{"Retry-After": "7"}))  # fmt: skip
    res = await check_stream(ctx)
    await ctx.client.aclose()
    assert res.code == "stream.rate_limited" and "Retry-After: 7" in res.detail


def test_helpers():
    assert model_ids({"data": [{"id": "a"}, {"id": "b"}]}) == ["a", "b"]
    assert model_ids({"object": "list"}) is None
    assert model_ids(["x"]) == ["x"]
    assert closest("GPT-4O-MINI", ["gpt-4o-mini"]) == ["gpt-4o-mini"]
    assert closest("zzz", []) == []
    assert base_variants("https://api.alltkn.com/api/v1/chat/completions")[0] == (
        "https://api.alltkn.com/api/v1"
    )
    assert base_variants("https://api.alltkn.com")[:2] == [
        "https://api.alltkn.com/v1",
        "https://api.alltkn.com/api/v1",
    ]
