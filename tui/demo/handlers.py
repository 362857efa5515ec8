"""The demo gateway's endpoints: models, chat, balance (new-api and OpenRouter shapes).

Each ``ep_<name>(conn, req, scenario, tps)`` answers one authenticated request
after ``server.DemoGateway.handle`` has routed it and applied the scenarios
that affect every endpoint (auth failures, redirects, HTML front-ends).
"""

from __future__ import annotations

import asyncio
from typing import Any

from tui.core.safe import json_parse as safe_json
from tui.demo import healthy_streams, ledger, model_mix, streams, trial_faults, words
from tui.demo import scenarios as sc
from tui.demo.http11 import Conn, Request
from tui.demo.responses import (
    CLOUDFLARE_524_HTML,
    HTML_HEADERS,
    JSON_HEADERS,
    MODELS,
    Completion,
    dumps,
    error_body,
    model_object,
    models_payload,
    prompt_tokens,
    reply_tokens,
)

HUGE_BODY_BYTES = 50 * 1024 * 1024


def bearer_key(req: Request) -> str:
    """The key from ``Authorization: Bearer <key>``, or "" when there is none."""
    auth = req.header("authorization")
    kind, _, value = auth.partition(" ")
    return value.strip() if kind.lower() == "bearer" else ""


async def ep_models(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    if scenario == "no_models_endpoint":
        body = error_body(
            f"Invalid URL ({req.method} {req.path})", "invalid_request_error", "unknown_url"
        )
        await conn.send(404, JSON_HEADERS, body)
    elif scenario == "huge_body":
        await huge_models(conn)
    elif scenario in ("binary_body", "reset_mid_body"):
        await broken_body(conn, scenario, dumps(models_payload()))
    elif scenario in model_mix.SCENARIOS:
        await conn.send(200, JSON_HEADERS, dumps(model_mix.models_payload(scenario)))
    elif scenario == "model_dropped":
        # Issue 18: a model a previous run saw is gone (the configured one still works).
        payload = models_payload()
        payload["data"] = [m for m in payload["data"] if m["id"] != "deepseek-chat"]
        await conn.send(200, JSON_HEADERS, dumps(payload))
    elif scenario == "model_not_found":
        # The configured name is missing; a dated variant of it is listed instead.
        payload = models_payload()
        for m in payload["data"]:
            if m["id"] == "gpt-4o-mini":
                m["id"] = "gpt-4o-mini-2024-07-18"
        await conn.send(200, JSON_HEADERS, dumps(payload))
    else:
        await conn.send(200, JSON_HEADERS, dumps(models_payload()))


async def ep_key_info(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    """LiteLLM ``GET /key/info``: the calling key's spend and budget."""
    await conn.send(200, JSON_HEADERS, words.key_info_body(scenario, bearer_key(req)))


async def ep_user_info(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    """LiteLLM ``GET /user/info``: the demo keys carry their own budget, so no user budget."""
    body = {"user_id": "demo-user", "user_info": {"spend": 2.5, "max_budget": None}, "keys": []}
    await conn.send(200, JSON_HEADERS, dumps(body))


async def ep_model(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    model = req.path.rsplit("/models/", 1)[1]
    if model in MODELS and scenario != "no_models_endpoint":
        await conn.send(200, JSON_HEADERS, dumps(model_object(model)))
    else:
        await conn.send(404, JSON_HEADERS, sc.model_not_found_body(model))


async def ep_subscription(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    limit = sc.HARD_LIMIT_USD
    body = {
        "object": "billing_subscription",
        "has_payment_method": True,
        "soft_limit_usd": limit,
        "hard_limit_usd": limit,
        "system_hard_limit_usd": limit,
        "access_until": 0,
    }
    await conn.send(200, JSON_HEADERS, dumps(body))


def usage_cents(scenario: str) -> float:
    """The scenario's usage plus what this gateway charged for completions in it."""
    book = ledger.current()
    spent = book.spent(scenario) if book is not None else 0.0
    return round(sc.USAGE_CENTS.get(scenario, sc.DEFAULT_USAGE_CENTS) + spent, 6)


async def ep_usage(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    cents = usage_cents(scenario)
    await conn.send(200, JSON_HEADERS, dumps({"object": "list", "total_usage": cents}))


async def ep_key(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    usage = round(usage_cents(scenario) / 100.0, 6)
    limit = sc.HARD_LIMIT_USD
    data = {
        "label": sc.masked_suffix(bearer_key(req)).replace("sk-", "sk-or-", 1),
        "limit": limit,
        "usage": usage,
        "limit_remaining": round(limit - usage, 6),
        "is_free_tier": False,
        "rate_limit": {"requests": 200, "interval": "10s"},
    }
    await conn.send(200, JSON_HEADERS, dumps({"data": data}))


async def ep_chat(conn: Conn, req: Request, scenario: str, tps: float) -> None:
    payload = safe_json.loads(req.body)
    if not isinstance(payload, dict):
        msg = "We could not parse the JSON body of your request. Send a JSON object."
        await conn.send(400, JSON_HEADERS, error_body(msg, "invalid_request_error", None))
        return
    problem = validate_chat(payload)
    if problem:
        await conn.send(400, JSON_HEADERS, error_body(problem, "invalid_request_error", None))
        return
    model = payload["model"]
    if scenario in model_mix.SCENARIOS:
        if await model_mix.refuse(conn, scenario, model, bearer_key(req)):
            return
    elif model not in MODELS or scenario == "model_not_found":
        await conn.send(404, JSON_HEADERS, sc.model_not_found_body(model))
        return
    if await trial_faults.answer(conn, req.body, payload, scenario, bearer_key(req), tps):
        return  # the roll-out trial's prompts (issue 16), healthy and its fault scenarios
    if scenario in sc.CHAT_ERRORS:
        status, headers, body = sc.CHAT_ERRORS[scenario](model)
        await conn.send(status, headers, body)
        return
    said = words.chat_error(scenario, model, bearer_key(req))
    if said is not None:
        await conn.send(*said)
        return
    if scenario == "cloudflare_524":
        headers = [*HTML_HEADERS, ("Server", "cloudflare"), ("CF-RAY", "8c1f2a3b4d5e6f70-LAX")]
        await conn.send(524, headers, CLOUDFLARE_524_HTML)
        return
    max_tokens = payload.get("max_tokens", payload.get("max_completion_tokens"))
    tokens, finish = reply_tokens(payload["messages"], max_tokens)
    opts = payload.get("stream_options")
    include_usage = isinstance(opts, dict) and bool(opts.get("include_usage"))
    comp = Completion(model, tokens, finish, prompt_tokens(payload["messages"]), include_usage)
    if payload.get("stream") and scenario in healthy_streams.MODES:
        await healthy_streams.stream_unusual(conn, comp, scenario, tps)
    elif payload.get("stream"):
        mode = scenario if scenario in sc.STREAM_MODES else "healthy"
        mode = "buffered_stream" if scenario == "nginx_buffered" else mode
        await streams.stream_chat(conn, comp, mode, tps)
    elif scenario in ("binary_body", "reset_mid_body"):
        await broken_body(conn, scenario, dumps(comp.full()))
    else:
        await conn.send(200, JSON_HEADERS, dumps(comp.full()))


async def broken_body(conn: Conn, scenario: str, body: bytes) -> None:
    if scenario == "binary_body":
        junk = bytes(range(256)) * 16
        await conn.send(200, JSON_HEADERS, b"\x00\xff\xfe" + junk)
        return
    await conn.send_head(200, JSON_HEADERS, length=len(body))
    await conn.write_raw(body[: len(body) // 2])
    await asyncio.sleep(0.05)  # let the half body leave before the reset
    conn.reset()


async def huge_models(conn: Conn) -> None:
    """A valid 50 MB JSON object: the model list plus a giant padding string."""
    head = dumps(models_payload())[:-1] + b',"padding":"'
    tail = b'"}'
    pad = HUGE_BODY_BYTES - len(head) - len(tail)
    await conn.send_head(200, JSON_HEADERS, length=HUGE_BODY_BYTES)
    await conn.write_raw(head)
    block = b"x" * 65536
    while pad > 0:
        n = min(pad, len(block))
        await conn.write_raw(block[:n])
        pad -= n
    await conn.write_raw(tail)


def validate_chat(payload: dict[str, Any]) -> str | None:
    model = payload.get("model")
    if not isinstance(model, str) or not model:
        return "you must provide a model parameter"
    messages = payload.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty array of {role, content} objects"
    max_tokens = payload.get("max_tokens", payload.get("max_completion_tokens"))
    if max_tokens is not None and (
        not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1
    ):
        return "'max_tokens' must be a positive integer"
    return None
