"""The demo gateway's endpoints and non-stream scenarios, over real loopback sockets."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from tests.conftest import FAKE_KEY
from tui.demo.scenarios import SCENARIOS
from tui.demo.server import DEMO_KEY, DemoGateway

AUTH = {"Authorization": f"Bearer {FAKE_KEY}"}
MODEL_IDS = [
    "gpt-4o-mini",
    "gpt-4o",
    "gpt-4.1-mini",
    "deepseek-chat",
    "deepseek-reasoner",
    "claude-3-5-sonnet",
    "qwen-plus",
    "glm-4-flash",
]


def chat_body(content: str = "hello", model: str = "gpt-4o-mini", **extra: object) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


@pytest.fixture
def client():
    with httpx.Client(timeout=5, headers=AUTH) as c:
        yield c


def url(gw, scenario: str, path: str) -> str:
    return gw.scenario_url(scenario) + path


def test_demo_key_is_obviously_fake_and_scenario_ids_are_snake_case():
    assert DEMO_KEY == "sk-demo-gateway-doctor-0000000000000000"
    assert all(s.replace("_", "").isalnum() and s.islower() for s in SCENARIOS)
    assert len(SCENARIOS) >= 28


def test_urls(demo_gateway):
    assert demo_gateway.port > 0
    assert demo_gateway.base_url == f"http://127.0.0.1:{demo_gateway.port}/v1"
    assert demo_gateway.scenario_url("x") == f"{demo_gateway.root_url}/scenario/x/v1"


@pytest.mark.parametrize(
    "root", ["/v1", "/api/v1", "/scenario/healthy/v1", "/scenario/healthy/api/v1"]
)
def test_models_list_shape_on_every_api_root(demo_gateway, client, root):
    r = client.get(demo_gateway.root_url + root + "/models")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == MODEL_IDS
    assert all(m["object"] == "model" and m["owned_by"] for m in body["data"])


def test_request_ids_are_present_and_unique(demo_gateway, client):
    ids = set()
    for _ in range(3):
        r = client.get(demo_gateway.base_url + "/models")
        assert r.headers["x-request-id"] == r.headers["x-oneapi-request-id"]
        ids.add(r.headers["x-request-id"])
    assert len(ids) == 3


def test_model_retrieve(demo_gateway, client):
    assert client.get(demo_gateway.base_url + "/models/gpt-4o").json()["id"] == "gpt-4o"
    r = client.get(demo_gateway.base_url + "/models/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "model_not_found"


def test_missing_key_is_401_openai_shape(demo_gateway):
    r = httpx.post(demo_gateway.base_url + "/chat/completions", json=chat_body(), timeout=5)
    assert r.status_code == 401
    err = r.json()["error"]
    assert "missing api key" in err["message"].lower()
    assert err["type"] == "invalid_request_error" and err["code"] == "missing_api_key"


def test_any_non_empty_key_is_accepted(demo_gateway):
    r = httpx.get(demo_gateway.base_url + "/models", headers={"Authorization": "Bearer x"})
    assert r.status_code == 200


@pytest.mark.parametrize("path", ["/models", "/scenario/healthy/models", "/", "/chat/completions"])
def test_paths_outside_api_roots_are_an_html_404(demo_gateway, client, path):
    r = client.get(demo_gateway.root_url + path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "404 page not found" in r.text


def test_unknown_path_under_api_root_is_json_404(demo_gateway, client):
    r = client.get(demo_gateway.base_url + "/nothing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_url"


def test_unknown_scenario_lists_valid_ids(demo_gateway, client):
    r = client.get(url(demo_gateway, "no_such_thing", "/models"))
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "unknown_scenario"
    assert err["valid_scenarios"] == list(SCENARIOS)
    assert "stream_cut" in err["message"]


def test_chat_non_stream_echo_and_exact_max_tokens(demo_gateway, client):
    r = client.post(
        demo_gateway.base_url + "/chat/completions", json=chat_body("ping?", max_tokens=7)
    )
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "gpt-4o-mini"
    choice = body["choices"][0]
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"].startswith('You said: "ping?')
    assert choice["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 7
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + 7


def test_chat_without_max_tokens_stops_naturally(demo_gateway, client):
    body = client.post(demo_gateway.base_url + "/chat/completions", json=chat_body("hi")).json()
    assert body["choices"][0]["finish_reason"] == "stop"
    assert 80 <= body["usage"]["completion_tokens"] <= 160
    assert "gateway-doctor demo gateway" in body["choices"][0]["message"]["content"]


def test_chinese_prompt_gets_chinese_reply(demo_gateway, client):
    body = client.post(demo_gateway.base_url + "/chat/completions", json=chat_body("你好")).json()
    assert "演示网关" in body["choices"][0]["message"]["content"]


def test_unknown_model_is_404_model_not_found(demo_gateway, client):
    r = client.post(demo_gateway.base_url + "/chat/completions", json=chat_body(model="gpt-9"))
    assert r.status_code == 404
    assert r.json() == {
        "error": {
            "message": "The model `gpt-9` does not exist or you do not have access to it.",
            "type": "invalid_request_error",
            "code": "model_not_found",
        }
    }


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", json.dumps({"model": "gpt-4o"}).encode(), b""]
)
def test_bad_chat_bodies_are_400(demo_gateway, client, content):
    r = client.post(
        demo_gateway.base_url + "/chat/completions",
        content=content,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["error"]["message"]


def test_wrong_method_is_405(demo_gateway, client):
    assert client.get(demo_gateway.base_url + "/chat/completions").status_code == 405


def test_chunked_request_body_is_read(demo_gateway, client):
    data = json.dumps(chat_body("chunked", max_tokens=3)).encode()
    r = client.post(
        demo_gateway.base_url + "/chat/completions", content=iter([data[:10], data[10:]])
    )
    assert r.status_code == 200 and r.json()["usage"]["completion_tokens"] == 3


def test_keep_alive_serves_several_requests_on_one_socket(demo_gateway):
    with socket.create_connection(("127.0.0.1", demo_gateway.port), timeout=5) as s:
        req = b"GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n"
        for _ in range(2):
            s.sendall(req)
            head = b""
            while b"\r\n\r\n" not in head:
                head += s.recv(1)
            assert head.startswith(b"HTTP/1.1 200 OK") and b"Connection: keep-alive" in head
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            body = b""
            while len(body) < length:
                body += s.recv(length - len(body))
            assert json.loads(body)["object"] == "list"


def test_garbage_request_is_400_not_a_crash(demo_gateway, client):
    with socket.create_connection(("127.0.0.1", demo_gateway.port), timeout=5) as s:
        s.sendall(b"NONSENSE\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 400")
    assert client.get(demo_gateway.base_url + "/models").status_code == 200


# -- balance ---------------------------------------------------------------
BALANCE_ROOTS = ["", "/v1", "/api/v1"]


@pytest.mark.parametrize("root", BALANCE_ROOTS)
def test_balance_endpoints_on_every_root(demo_gateway, client, root):
    base = demo_gateway.root_url + root
    sub = client.get(base + "/dashboard/billing/subscription").json()
    assert sub["object"] == "billing_subscription" and sub["hard_limit_usd"] == 100.0
    usage = client.get(base + "/dashboard/billing/usage").json()
    spent = demo_gateway.ledger.spent("healthy")  # the session's demo completions, 0.1 cent each
    assert usage == {"object": "list", "total_usage": round(1234.0 + spent, 6)}


@pytest.mark.parametrize(
    ("scenario", "cents", "remaining"),
    [("healthy", 1234.0, 87.66), ("low_balance", 9958.0, 0.42), ("quota_exhausted", 10000.0, 0.0)],
)
def test_balance_per_scenario(demo_gateway, client, scenario, cents, remaining):
    root = f"{demo_gateway.root_url}/scenario/{scenario}"
    spent = demo_gateway.ledger.spent(scenario)  # the session's demo completions, 0.1 cent each
    cents, remaining = round(cents + spent, 6), round(remaining - spent / 100, 6)
    assert client.get(root + "/dashboard/billing/usage").json()["total_usage"] == cents
    assert client.get(root + "/v1/dashboard/billing/usage").json()["total_usage"] == cents
    key = client.get(root + "/api/v1/key").json()["data"]
    assert key["limit"] == 100 and key["limit_remaining"] == remaining
    assert key["usage"] == round(cents / 100, 6) and key["is_free_tier"] is False
    assert key["label"].startswith("sk-or-") and FAKE_KEY not in key["label"]


# -- auth scenarios: every authed endpoint fails the same way -------------------
AUTH_CASES = {
    "invalid_key": (401, "Incorrect API key provided: sk-…4444.", "invalid_request_error", "invalid_api_key"),
    "key_disabled": (401, "该令牌状态不可用", "new_api_error", ""),
    "key_expired": (401, "该令牌已过期", "new_api_error", ""),
    "ip_not_allowed": (403, "您的 IP 1.2.3.4 不在令牌允许访问的列表中", "new_api_error", ""),
    "token_quota_exhausted": (401, "token quota is exhausted (TokenStatusExhausted)", "new_api_error", ""),
    "token_quota_exhausted_zh": (401, "该令牌额度已用尽 TokenStatusExhausted[sk-…4444]", "new_api_error", ""),
}  # fmt: skip
AUTHED = [
    ("GET", "/v1/models"),
    ("POST", "/v1/chat/completions"),
    ("GET", "/dashboard/billing/subscription"),
    ("GET", "/v1/dashboard/billing/usage"),
    ("GET", "/api/v1/key"),
]


@pytest.mark.parametrize("scenario", list(AUTH_CASES))
def test_auth_scenarios(demo_gateway, client, scenario):
    status, message, type_, code = AUTH_CASES[scenario]
    for method, path in AUTHED:
        r = client.request(
            method, f"{demo_gateway.root_url}/scenario/{scenario}{path}", json=chat_body()
        )
        assert r.status_code == status, path
        err = r.json()["error"]
        assert err["message"].startswith(message)
        assert err["type"] == type_ and err["code"] == code
        assert FAKE_KEY not in r.text


# -- chat scenarios: models still listed, chat fails ---------------------------
CHAT_CASES = {
    "quota_exhausted": (429, {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "code": "insufficient_quota"}),
    "payment_required": (402, {"message": "Insufficient credits. Add more using https://openrouter.ai/credits", "code": 402}),
    "no_channel": (503, {"message": "No available channel for model gpt-4o-mini under group default (distributor)", "type": "new_api_error"}),
    "no_channel_zh": (503, {"message": "当前分组 default 下对于模型 gpt-4o-mini 无可用渠道", "type": "new_api_error"}),
    "rate_limited": (429, {"message": "Rate limit reached for requests", "type": "requests", "code": "rate_limit_exceeded"}),
    "server_error": (500, {"message": "internal error", "type": "server_error"}),
    "model_not_found": (404, {"message": "The model `gpt-4o-mini` does not exist or you do not have access to it.", "type": "invalid_request_error", "code": "model_not_found"}),
}  # fmt: skip


@pytest.mark.parametrize("scenario", list(CHAT_CASES))
@pytest.mark.parametrize("stream", [False, True])
def test_chat_error_scenarios(demo_gateway, client, scenario, stream):
    status, expected = CHAT_CASES[scenario]
    assert client.get(url(demo_gateway, scenario, "/models")).status_code == 200
    r = client.post(url(demo_gateway, scenario, "/chat/completions"), json=chat_body(stream=stream))
    assert r.status_code == status
    err = r.json()["error"]
    assert {k: err.get(k) for k in expected} == expected
    if scenario == "rate_limited":
        assert r.headers["retry-after"] == "20"


def test_model_not_found_for_every_model(demo_gateway, client):
    for model in MODEL_IDS:
        r = client.post(
            url(demo_gateway, "model_not_found", "/chat/completions"), json=chat_body(model=model)
        )
        assert r.status_code == 404 and model in r.json()["error"]["message"]


def test_cloudflare_524(demo_gateway, client):
    r = client.post(url(demo_gateway, "cloudflare_524", "/chat/completions"), json=chat_body())
    assert r.status_code == 524
    assert r.headers["server"] == "cloudflare" and r.headers["cf-ray"]
    assert r.headers["content-type"].startswith("text/html")
    assert "A timeout occurred" in r.text


def test_slow_headers_times_out_a_patient_client(demo_gateway):
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(url(demo_gateway, "slow_headers", "/models"), headers=AUTH, timeout=0.5)
    assert time.monotonic() - start < 3


def test_redirect_drops_the_scenario_prefix(demo_gateway, client):
    r = client.get(url(demo_gateway, "redirect", "/models?x=1"))
    assert r.status_code == 301
    assert r.headers["location"] == f"{demo_gateway.base_url}/models?x=1"
    followed = client.get(url(demo_gateway, "redirect", "/models"), follow_redirects=True)
    assert followed.status_code == 200 and followed.json()["object"] == "list"


def test_redirect_loop(demo_gateway, client):
    r = client.get(url(demo_gateway, "redirect_loop", "/models"))
    assert r.status_code == 302 and r.headers["location"].endswith(
        "/scenario/redirect_loop/v1/models"
    )
    with pytest.raises(httpx.TooManyRedirects):
        client.get(url(demo_gateway, "redirect_loop", "/models"), follow_redirects=True)


def test_no_models_endpoint_but_chat_works(demo_gateway, client):
    r = client.get(url(demo_gateway, "no_models_endpoint", "/models"))
    assert r.status_code == 404 and r.headers["content-type"] == "application/json"
    assert r.json()["error"]["message"]
    chat = client.post(
        url(demo_gateway, "no_models_endpoint", "/chat/completions"), json=chat_body(max_tokens=2)
    )
    assert chat.status_code == 200 and chat.json()["usage"]["completion_tokens"] == 2


def test_html_frontend(demo_gateway, client):
    r = client.get(url(demo_gateway, "html_frontend", "/models"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<div id="root">' in r.text
    with pytest.raises(ValueError):
        r.json()
    assert (
        client.post(
            url(demo_gateway, "html_frontend", "/chat/completions"), json=chat_body()
        ).status_code
        == 405
    )


def test_default_scenario_and_latency():
    gw = DemoGateway(port=0, scenario="invalid_key", latency_ms=300, tokens_per_second=0)
    gw.start_in_thread()
    try:
        start = time.monotonic()
        r = httpx.get(gw.base_url + "/models", headers=AUTH, timeout=5)
        assert time.monotonic() - start >= 0.28
        assert r.status_code == 401
        assert httpx.get(gw.scenario_url("healthy") + "/models", headers=AUTH).status_code == 200
    finally:
        gw.stop()
        gw.stop()  # idempotent


def test_default_redirect_scenario_points_at_healthy():
    gw = DemoGateway(port=0, scenario="redirect").start_in_thread()
    try:
        r = httpx.get(gw.base_url + "/models", headers=AUTH)
        assert r.status_code == 301
        assert r.headers["location"] == gw.scenario_url("healthy") + "/models"
        assert httpx.get(gw.base_url + "/models", headers=AUTH, follow_redirects=True).is_success
    finally:
        gw.stop()
        gw.stop()  # idempotent


def test_unknown_default_scenario_is_rejected():
    with pytest.raises(ValueError, match="valid"):
        DemoGateway(scenario="nope")


def test_cors_preflight(demo_gateway):
    r = httpx.options(demo_gateway.base_url + "/chat/completions")
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == "*"
