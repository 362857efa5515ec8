"""Demo scenarios in real software's own words: reverse proxies' error pages, LiteLLM, new-api.

The bodies and headers copy what the real products send (nginx's and Envoy's
error pages, Caddy's empty 502, LiteLLM's budget errors and ``/key/info``,
new-api's ``model_not_found`` code on a model it lists), so the checks are
tested against their exact wording. A real LiteLLM proxy needs a database and
heavy dependencies; these answers are taken from its source.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tui.demo.http11 import Headers
from tui.demo.responses import JSON_HEADERS, dumps, error_body

#: (id, what the server does, Chatbox symptom, symptom in Chinese, what check reports)
ROWS: list[tuple[str, str, str, str, str]] = [
    ("nginx_502", "every request: nginx's own 502 Bad Gateway page (Server: nginx/1.24.0)",
     "502 Bad Gateway / an HTML page", "502 Bad Gateway 或一段 HTML 页面",
     "network.gateway_error naming nginx, nginx's 502 advice"),
    ("nginx_504", "chat: nginx's own 504 Gateway Time-out page; the rest works",
     "504 Gateway Time-out on long answers", "长回答时出现 504 Gateway Time-out",
     "model.gateway_error naming nginx, proxy_read_timeout advice"),
    ("caddy_502", "every request: 502 with an empty body and Server: Caddy",
     "502 with no message", "502，没有任何错误信息",
     "network.gateway_error naming Caddy"),
    ("envoy_503", "chat: Envoy's 503 'upstream connect error or disconnect/reset before headers'",
     "503 upstream connect error", "503 upstream connect error",
     "model.gateway_error naming Envoy (not model.unavailable)"),
    ("nginx_buffered", "stream held and sent in one burst, Server: nginx/1.24.0",
     "nothing for a while, then the whole answer at once", "很久没反应，然后整段回答一次性出现",
     "stream.buffered naming nginx, proxy_buffering advice"),
    ("litellm_budget", "LiteLLM: chat 429 'Budget has been exceeded!'; /key/info spend 10.2 of 10",
     "429 Budget has been exceeded", "429 Budget has been exceeded（预算已用完）",
     "balance.insufficient with the key's budget and reset time (not rate_limited)"),
    ("litellm_crossed_budget",
     "LiteLLM: chat 429 'No deployments available - crossed budget'; the key has budget left",
     "429 No deployments available - crossed budget", "429 No deployments available（部署预算已超）",
     "balance.insufficient saying the key still has budget (the deployment's ran out)"),
    ("litellm_key_info", "LiteLLM: /key/info spend 2.5 of a 10 USD budget, resets monthly",
     "works; LiteLLM's UI shows the key's spend", "可以用，LiteLLM 界面里能看到密钥花费",
     "all pass; balance.ok 7.5 USD [litellm]"),
    ("listed_no_channel",
     "model listed; chat 503 code model_not_found 'No available channel … (distributor)'",
     "503 No available channel (model_not_found)", "503 无可用渠道（model_not_found）",
     "model.unavailable (the message, not the code field)"),
    ("listed_model_refused",
     "model listed; chat 404 model_not_found 'does not exist' from new-api's upstream",
     "404 The model does not exist (but it is in the list)", "404 模型不存在（可它在模型列表里）",
     "model.unavailable: listed, yet refused"),
]  # fmt: skip

IDS = frozenset(r[0] for r in ROWS)
#: LiteLLM has none of new-api's or OpenRouter's balance endpoints.
LITELLM = frozenset({"litellm_budget", "litellm_crossed_budget", "litellm_key_info"})
#: Scenarios where every request gets the intermediary's error (network fails).
EVERY_REQUEST = frozenset({"nginx_502", "caddy_502"})
NGINX = "nginx/1.24.0"


def nginx_page(status: int, reason: str) -> bytes:
    """nginx's built-in error page, byte for byte (CRLF and all)."""
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>{NGINX}</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


_NGINX_HEADERS: Headers = [("Server", NGINX), ("Content-Type", "text/html")]


def every_request(scenario: str) -> tuple[int, Headers, bytes]:
    """The answer to any request in an ``EVERY_REQUEST`` scenario."""
    if scenario == "caddy_502":
        return 502, [("Server", "Caddy")], b""
    return 502, _NGINX_HEADERS, nginx_page(502, "Bad Gateway")


def _hashed(key: str) -> str:
    """LiteLLM echoes the key's sha256 (its stored token), never the key."""
    return hashlib.sha256(key.encode()).hexdigest()


def chat_error(scenario: str, model: str, key: str) -> tuple[int, Headers, bytes] | None:
    """The chat answer of a scenario here, or None when chat works normally."""
    if scenario == "nginx_504":
        return 504, _NGINX_HEADERS, nginx_page(504, "Gateway Time-out")
    if scenario == "envoy_503":
        body = (
            b"upstream connect error or disconnect/reset before headers. "
            b"reset reason: connection failure"
        )
        return 503, [("Server", "envoy"), ("Content-Type", "text/plain")], body
    if scenario == "litellm_budget":
        msg = (
            f"Budget has been exceeded! Key={_hashed(key)} Current cost: 10.2031, Max budget: 10.0"
        )
        return 429, JSON_HEADERS, error_body(msg, "budget_exceeded", "429", param=None)
    if scenario == "litellm_crossed_budget":
        msg = (
            "No deployments available - crossed budget: Exceeded budget for deployment "
            f"model_name: {model}, litellm_params.model: openai/{model}, "
            "model_id: 7d1e0c5f: 20.4 >= 20.0"
        )
        return 429, JSON_HEADERS, error_body(msg, None, "429", param=None)
    if scenario == "listed_no_channel":
        msg = (
            f"No available channel for model {model} under group default (distributor) "
            "(request id: 20261201224800123456789abcdef)"
        )
        return 503, JSON_HEADERS, error_body(msg, "new_api_error", "model_not_found")
    if scenario == "listed_model_refused":
        msg = f"The model `{model}` does not exist or you do not have access to it."
        return 404, JSON_HEADERS, error_body(msg, "new_api_error", "model_not_found")
    return None


def key_info(scenario: str, key: str) -> dict[str, Any]:
    """LiteLLM ``GET /key/info`` for the calling key (``{"key", "info"}``)."""
    spend = {"litellm_budget": 10.2031}.get(scenario, 2.5)
    info = {
        "key_alias": "demo-key",
        "spend": spend,
        "max_budget": 10.0,
        "budget_duration": "30d",
        "budget_reset_at": "2026-12-31T00:00:00+00:00",
        "models": [],
        "user_id": "demo-user",
        "team_id": None,
        "tpm_limit": None,
        "rpm_limit": None,
        "expires": None,
    }
    return {"key": _hashed(key), "info": info}


def key_info_body(scenario: str, key: str) -> bytes:
    return dumps(key_info(scenario, key))
