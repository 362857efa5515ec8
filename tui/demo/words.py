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

#: Scenario ids, in the order docs/scenarios.md lists them. What each does, what a
#: user sees and what check reports: ``scenario.<id>.*`` in the catalogue (71-demo.toml).
ROWS: tuple[str, ...] = (
    "nginx_502",
    "nginx_504",
    "caddy_502",
    "envoy_503",
    "nginx_buffered",
    "litellm_budget",
    "litellm_crossed_budget",
    "litellm_key_info",
    "listed_no_channel",
    "listed_model_refused",
)

IDS = frozenset(ROWS)
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
