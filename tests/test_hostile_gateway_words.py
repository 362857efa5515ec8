"""Reverse proxies' own error pages and real gateways' own words, end to end (issue 12).

Each row runs the whole checklist against a demo-gateway scenario that copies
the product's exact answer (tui/demo/words.py: nginx's CRLF error page,
Caddy's empty 502, Envoy's text, LiteLLM's budget errors and ``/key/info``,
new-api's ``model_not_found`` code on a listed model), or a loopback gateway
(RawServer) where the demo has no such scenario. A real LiteLLM proxy needs a
database and heavy dependencies, so its words come from its source; real
nginx runs in tests/test_intermediaries.py when it is installed.
"""

from __future__ import annotations

import json

import pytest

from tests.support.servers import JSON, MODELS_BODY, Conn, RawServer
from tests.support.targets import target_for
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status
from tui.core.diagnosis.remediation import remedy_for
from tui.core.net.exchange import ExchangeLog

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Reverse proxy", "nginx's own 502 page on every request (demo `nginx_502`)",
     "network.gateway_error “HTTP 502 Bad Gateway, written by nginx (its own error page, Server: "
     "nginx/1.24.0), not by the gateway …” with nginx's advice (proxy_pass, error.log); was "
     "Cloudflare's 100-second advice"),
    ("Reverse proxy", "chat answered by nginx's own 504 Gateway Time-out page (demo `nginx_504`)",
     "model.gateway_error naming nginx; advice: streaming, `proxy_read_timeout` (60 s by default)"),
    ("Reverse proxy", "every request 502 with an empty body and `Server: Caddy` (demo `caddy_502`)",
     "network.gateway_error “… written by Caddy (Server: Caddy) …”; Caddy's reverse_proxy advice"),
    ("Reverse proxy", "chat 503 `upstream connect error or disconnect/reset before headers` from "
     "Envoy (demo `envoy_503`)",
     "model.gateway_error naming Envoy (was model.unavailable “no channel”)"),
    ("Reverse proxy", "a stream held and sent in one burst with `Server: nginx/1.24.0` (demo "
     "`nginx_buffered`)",
     "stream.buffered “…; it came through nginx (Server: nginx/1.24.0)” with `proxy_buffering off` "
     "advice; 响应经过了 nginx"),
    ("Reverse proxy", "the gateway's own JSON 503 “No available channel …” passing through nginx "
     "(`Server: nginx`)",
     "model.unavailable: nginx is on the path but did not write the error, so it is not blamed"),
    ("LiteLLM", "chat 429 “Budget has been exceeded! Key=… Current cost: 10.2031, Max budget: 10.0”, "
     "`/key/info` spend 10.2031 of 10 (demo `litellm_budget`)",
     "balance.insufficient with “key budget: spent 10.2031 of 10, resets …” (was "
     "model.rate_limited, wait-and-retry advice)"),
    ("LiteLLM", "chat 429 “No deployments available - crossed budget: …” while the key has 7.5 USD "
     "left (demo `litellm_crossed_budget`)",
     "balance.insufficient saying both: the refusal, and “the balance endpoint reports 7.5 USD … "
     "left [litellm]: the two disagree …”"),
    ("LiteLLM", "`GET /key/info` spend 2.5 of a 10 USD budget, reset date (demo `litellm_key_info`)",
     "balance.ok “7.5 USD (key budget: spent 2.5 of 10, resets 2026-12-31…) left [litellm]”"),
    ("new-api", "model listed; chat 503 code `model_not_found`, message “No available channel … "
     "(distributor)” (demo `listed_no_channel`)",
     "model.unavailable: the message, not the code field (was model.not_found)"),
    ("new-api", "model listed; chat 404 code `model_not_found` “does not exist” (demo "
     "`listed_model_refused`)",
     "model.unavailable “gpt-4o-mini is in the /models list, yet the completion was refused …”"),
    ("new-api", "model not listed (a dated variant is); chat 404 `model_not_found` (demo "
     "`model_not_found`)",
     "model.not_found “… closest listed: gpt-4o-mini-2024-07-18, gpt-4.1-mini, gpt-4o” (the "
     "advice promised names the detail never gave)"),
    ("Balance", "chat 402 “Insufficient credits” while the balance endpoint shows 87.66 USD (demo "
     "`payment_required`)",
     "balance.insufficient saying both plainly: the 402 “yet the balance endpoint reports 87.66 USD "
     "left …: the two disagree”"),
]  # fmt: skip

#: scenario -> (check, code, English pieces, Chinese pieces, advice id or None)
SCENARIOS = {
    "nginx_502": ("network", "network.gateway_error",
                  ["written by nginx", "Server: nginx/1.24.0", "not by the gateway"],
                  ["nginx 自己返回的"], "nginx.502"),
    "nginx_504": ("model", "model.gateway_error", ["504 Gateway Time-out, written by nginx"],
                  ["没有及时应答"], "nginx.504"),
    "caddy_502": ("network", "network.gateway_error", ["written by Caddy (Server: Caddy)"],
                  ["Caddy 自己返回的"], "caddy.502"),
    "envoy_503": ("model", "model.gateway_error", ["upstream connect error", "written by Envoy"],
                  ["Envoy 自己返回的"], "envoy.503"),
    "nginx_buffered": ("stream", "stream.buffered", ["; it came through nginx (Server: nginx/1.24.0)"],
                       ["响应经过了 nginx"], "nginx.buffered"),
    "litellm_budget": ("balance", "balance.insufficient",
                       ["Budget has been exceeded", "key budget: spent 10.2031 of 10, resets 2026-12-31"],
                       ["密钥预算：已花费 10.2031 / 10"], None),
    "litellm_crossed_budget": ("balance", "balance.insufficient",
                               ["crossed budget", "reports 7.5 USD", "[litellm]: the two disagree",
                                "deployment, team or user"],
                               ["两者不一致", "部署、团队或用户的预算"], None),
    "litellm_key_info": ("balance", "balance.ok", ["7.5 USD (key budget: spent 2.5 of 10", "[litellm]"],
                         ["已花费 2.5 / 10"], None),
    "listed_no_channel": ("model", "model.unavailable", ["No available channel", "(distributor)"],
                          [], None),
    "listed_model_refused": ("model", "model.unavailable",
                             ["gpt-4o-mini is in the /models list, yet the completion was refused"],
                             ["在 /models 列表中"], None),
    "model_not_found": ("model", "model.not_found",
                        ["closest listed: gpt-4o-mini-2024-07-18, gpt-4.1-mini, gpt-4o"],
                        ["最接近的：gpt-4o-mini-2024-07-18"], None),
    "payment_required": ("balance", "balance.insufficient",
                         ["HTTP 402", "yet the balance endpoint reports 87.66 USD left", "disagree"],
                         ["两者不一致", "87.66 USD"], None),
}  # fmt: skip


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_scenario_in_the_products_own_words(scenario, demo_gateway):
    check, code, en, zh, advice = SCENARIOS[scenario]
    target = target_for(demo_gateway.scenario_url(scenario), timeout=3)
    report = await run_checks(target, ExchangeLog(), env={})
    r = report.by_id(check)
    assert r.code == code, r.detail
    for piece in en:
        assert piece in r.detail, (piece, r.detail)
    chinese = detail_for(r, "zh-CN")
    for piece in zh:
        assert piece in chinese, (piece, chinese)
    assert r.evidence.get("advice") == advice
    if advice:
        assert (
            remedy_for(r, "en").why
            != remedy_for(type(r)(r.id, r.status, r.code, r.title, ""), "en").why
        )
    failed = [c.id for c in report.checks if c.status is Status.FAIL]
    assert len(failed) <= 1, failed
    assert "rate_limited" not in " ".join(c.code for c in report.checks)


async def test_the_gateways_own_503_through_nginx_is_not_nginxs():
    body = json.dumps({"error": {"message": "No available channel for model gpt-4o-mini under "
                                 "group default (distributor)", "type": "new_api_error"}}).encode()  # fmt: skip
    behind_nginx = [*JSON, ("Server", "nginx/1.24.0")]

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            if req.target.endswith("/models"):
                await conn.respond(200, behind_nginx, MODELS_BODY)
            elif req.target.endswith("/chat/completions"):
                await conn.respond(503, behind_nginx, body)
            else:
                await conn.respond(404, behind_nginx, b'{"error": {"message": "not found"}}')

    with RawServer(handle, max_seconds=30) as srv:
        report = await run_checks(target_for(srv.url + "/v1"), ExchangeLog(), env={})
    model = report.by_id("model")
    assert model.code == "model.unavailable", model.detail
    assert "advice" not in model.evidence and "intermediary" not in model.evidence
