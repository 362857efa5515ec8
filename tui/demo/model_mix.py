"""Demo scenarios for the model matrix (issue 17): a gateway whose models differ.

``model_mix``: ``/models`` lists models that work, one with no channel in the key's
group (503, new-api's words), one the key may not use (403; keys with ``vip`` in
them may), one whose user quota is used up, one rate limited (every other request
per key answers 429 with ``Retry-After: 1``), one slow and one expensive; new-api's
``/api/pricing`` publishes the prices, one of them per request, and group ratios
(default 1, vip 0.8). ``many_models``: 40 models that all work
(the benchmark's gateway). The error bodies are the gateways' own words.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tui.demo.http11 import Conn
from tui.demo.responses import JSON_HEADERS, MODEL_CREATED, MODELS, dumps, error_body

SCENARIOS = frozenset({"model_mix", "many_models"})

UNAVAILABLE = "gpt-4-32k"
NOT_PERMITTED = "o1-pro"
NO_QUOTA = "claude-3-opus"
RATE_LIMITED = "gemini-1.5-pro"
SLOW = "deepseek-reasoner"
EXPENSIVE = "gpt-4.5-preview"
#: Priced per request (new-api quota_type 1), in USD.
PER_REQUEST = "glm-4-flash"
PER_REQUEST_USD = 0.002
#: new-api's group ratios, as /api/pricing publishes them.
GROUP_RATIOS = {"default": 1, "vip": 0.8}
#: Seconds the slow model takes before it answers.
SLOW_SECONDS = 1.5

#: model -> (owner, context length, new-api model_ratio, completion_ratio)
_MIX: dict[str, tuple[str, int, float, float]] = {
    "gpt-4o-mini": ("openai", 128000, 0.075, 4.0),
    "gpt-4o": ("openai", 128000, 1.25, 4.0),
    "deepseek-chat": ("deepseek", 64000, 0.135, 4.0),
    "qwen-plus": ("alibaba", 131072, 0.4, 3.0),
    "glm-4-flash": ("zhipu", 128000, 0.05, 1.0),
    SLOW: ("deepseek", 64000, 0.275, 4.0),
    EXPENSIVE: ("openai", 128000, 37.5, 2.0),
    UNAVAILABLE: ("openai", 32768, 30.0, 2.0),
    NOT_PERMITTED: ("openai", 200000, 75.0, 4.0),
    NO_QUOTA: ("anthropic", 200000, 7.5, 5.0),
    RATE_LIMITED: ("google", 2000000, 1.75, 4.0),
}
MANY = tuple(f"demo-model-{i:02d}" for i in range(1, 41))

#: Requests seen per (key, model) for the rate-limited model (bounded).
_seen: dict[tuple[str, str], int] = {}


def models(scenario: str) -> tuple[str, ...]:
    """The listed models (many_models keeps the usual ones too: the checklist still passes)."""
    return (*MODELS, *MANY) if scenario == "many_models" else tuple(_MIX)


def models_payload(scenario: str) -> dict[str, Any]:
    data = []
    for m in models(scenario):
        owner, context = _MIX[m][:2] if m in _MIX else ("demo", 32768)
        obj = {"id": m, "object": "model", "created": MODEL_CREATED, "owned_by": owner}
        data.append({**obj, "context_length": context})
    return {"object": "list", "data": data}


def pricing_body(scenario: str) -> bytes:
    """new-api's ``GET /api/pricing`` (public: no key needed)."""
    rows = []
    for m in models(scenario):
        owner, _ctx, ratio, completion = _MIX.get(m, ("demo", 0, 0.5, 2.0))
        per_request = scenario == "model_mix" and m == PER_REQUEST
        rows.append(
            {
                "model_name": m,
                "quota_type": 1 if per_request else 0,
                "model_ratio": ratio,
                "model_price": PER_REQUEST_USD if per_request else 0,
                "owner_by": owner,
                "completion_ratio": completion,
                "enable_groups": list(GROUP_RATIOS),
            }
        )
    usable = {g: g for g in GROUP_RATIOS}
    return dumps(
        {"success": True, "data": rows, "group_ratio": GROUP_RATIOS, "usable_group": usable}
    )


async def refuse(conn: Conn, scenario: str, model: str, key: str) -> bool:
    """Answer the models that do not simply work; True when answered. The slow one waits."""
    if model not in models(scenario):
        body = error_body(
            f"The model `{model}` does not exist or you do not have access to it.",  # not-ui-text: the gateway's words
            "invalid_request_error",
            "model_not_found",
        )
        await conn.send(404, JSON_HEADERS, body)
        return True
    if scenario != "model_mix":
        return False
    if model == UNAVAILABLE:
        said = f"No available channel for model {model} under group default (distributor)"  # not-ui-text: the gateway's words
        await conn.send(503, JSON_HEADERS, error_body(said, "new_api_error"))
        return True
    if model == NOT_PERMITTED and "vip" not in key:
        said = f"该令牌无权使用模型：{model}"  # not-ui-text: the gateway's words
        await conn.send(403, JSON_HEADERS, error_body(said, "new_api_error"))
        return True
    if model == NO_QUOTA:
        said = "用户额度不足，剩余额度：＄0.012000"  # not-ui-text: the gateway's words
        await conn.send(
            403, JSON_HEADERS, error_body(said, "new_api_error", "insufficient_user_quota")
        )
        return True
    if model == RATE_LIMITED:
        if len(_seen) > 10000:
            _seen.clear()
        n = _seen.get((key, model), 0)
        _seen[(key, model)] = n + 1
        if n % 2 == 0:
            said = "Rate limit reached for requests"  # not-ui-text: the gateway's words
            headers = [*JSON_HEADERS, ("Retry-After", "1")]
            await conn.send(429, headers, error_body(said, "requests", "rate_limit_exceeded"))
            return True
    if model == SLOW:
        await asyncio.sleep(SLOW_SECONDS)
    return False


def known(model: str) -> bool:
    """Whether the ordinary completion path may answer for ``model``."""
    return model in MODELS or model in _MIX or model in MANY
