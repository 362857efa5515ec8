"""The error classifier: status + code/type + message, across gateway families and languages."""

from __future__ import annotations

import json

import pytest

from tui.core.diagnosis.checks.classify import classify, extract_error, html_title


def oa(message: str, type_: str | None = None, code: str | int | None = None) -> bytes:
    err: dict = {"message": message}
    if type_ is not None:
        err["type"] = type_
    if code is not None:
        err["code"] = code
    return json.dumps({"error": err}, ensure_ascii=False).encode()


CASES = [
    # OpenAI
    (401, oa("Incorrect API key provided: sk-…abcd.", "invalid_request_error", "invalid_api_key"),
     "invalid_key"),
    (429, oa("You exceeded your current quota, please check your plan and billing details.",
             "insufficient_quota", "insufficient_quota"), "quota"),
    (429, oa("Rate limit reached for requests", "requests", "rate_limit_exceeded"), "rate_limited"),
    (404, oa("The model `gpt-5x` does not exist or you do not have access to it.",
             "invalid_request_error", "model_not_found"), "model_not_found"),
    (500, oa("internal error", "server_error"), "server_error"),
    # new-api / one-api, Chinese and English
    (401, oa("无效的令牌", "new_api_error", ""), "invalid_key"),
    (401, oa("该令牌已过期", "new_api_error", ""), "key_expired"),
    (401, oa("该令牌状态不可用", "new_api_error", ""), "key_disabled"),
    (403, oa("您的 IP 1.2.3.4 不在令牌允许访问的列表中", "new_api_error"), "ip_not_allowed"),
    (401, oa("token quota is exhausted (TokenStatusExhausted)", "new_api_error"), "quota"),
    (401, oa("该令牌额度已用尽 TokenStatusExhausted[sk-…abcd]", "new_api_error"), "quota"),
    (403, oa("用户额度不足, 剩余额度: $0.0012", "new_api_error", "insufficient_user_quota"), "quota"),
    (403, oa("账户已欠费，请充值后再试", "new_api_error"), "quota"),
    (503, oa("No available channel for model gpt-4o-mini under group default (distributor)",
             "new_api_error"), "unavailable"),
    (503, oa("当前分组 default 下对于模型 gpt-4o-mini 无可用渠道", "new_api_error"), "unavailable"),
    (403, oa("该令牌无权访问模型 gpt-4o", "new_api_error"), "not_permitted"),
    (401, oa("token has expired", "one_api_error"), "key_expired"),
    (401, oa("token has been disabled", "one_api_error"), "key_disabled"),
    # OpenRouter
    (402, oa("Insufficient credits. Add more using https://openrouter.ai/credits", code=402), "quota"),
    (401, oa("No auth credentials found", code=401), "invalid_key"),
    (400, oa("openai/gpt-5x is not a valid model ID", code=400), "model_not_found"),
    (404, oa("No endpoints found for meta/llama-9.", code=404), "unavailable"),
    # LiteLLM
    (400, oa("Budget has been exceeded! Current cost: 10.2, Max budget: 10.0",
             "budget_exceeded", "400"), "quota"),
    (401, oa("Authentication Error, Invalid proxy server token passed.", "auth_error", "401"),
     "invalid_key"),
    (401, oa("Authentication Error - API Key not allowed to access model. This token can only "
             "access models=['gpt-4o']. Tried to access gpt-4o-mini", "auth_error", "401"),
     "not_permitted"),
    # plain shapes and statuses
    (403, json.dumps({"message": "Forbidden"}).encode(), "forbidden"),
    (401, json.dumps({"detail": "Not authenticated"}).encode(), "invalid_key"),
    (429, b"Too Many Requests", "rate_limited"),
    (502, b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
     "gateway_error"),
    (504, b"", "gateway_error"),
    (404, b"404 page not found", "not_found"),
    (400, oa("messages: field required", "invalid_request_error"), "bad_request"),
    (200, json.dumps({"choices": []}).encode(), "ok"),
    (200, oa("upstream error: overloaded", "upstream_error"), "unavailable"),
    (200, oa("something odd happened"), "unknown"),
]  # fmt: skip


@pytest.mark.parametrize(("status", "body", "kind"), CASES)
def test_classify(status, body, kind):
    info = classify(status, body, "application/json")
    assert info.kind == kind, (status, body.decode("utf-8", "replace"), info)
    assert info.status == status


def test_cloudflare_524_is_gateway_error():
    page = b"<!DOCTYPE html><html><head><title>api.example.com | 524: A timeout occurred</title>"
    info = classify(524, page, "text/html", {"Server": "cloudflare", "CF-RAY": "8a-LAX"})
    assert info.kind == "gateway_error" and info.html
    assert "524" in info.message and "timeout" in info.message


def test_503_json_is_not_an_intermediary():
    assert classify(503, oa("service busy")).kind == "unavailable"
    assert classify(503, b"<html>Service Unavailable</html>", "text/html").kind == "gateway_error"


def test_retry_after_and_evidence():
    info = classify(429, oa("Rate limit reached", "requests", "rate_limit_exceeded"),
                    "application/json", {"Retry-After": "20"})  # fmt: skip
    ev = info.evidence()
    assert ev["retry_after"] == "20" and ev["error_code"] == "rate_limit_exceeded"
    assert ev["http_status"] == 429


def test_extract_error_shapes():
    assert extract_error({"error": {"message": "m", "code": 402}}) == ("m", "402", None)
    assert extract_error({"error": "plain", "code": 7}) == ("plain", "7", None)
    assert extract_error({"detail": [{"loc": ["body"], "msg": "x"}]})[0].startswith("[")
    raw = {"error": {"message": "Provider returned error", "metadata": {"raw": "overloaded"}}}
    assert extract_error(raw)[0] == "Provider returned error (overloaded)"
    assert extract_error(None) == ("", None, None)
    assert extract_error([{"error": {"message": "in a list"}}])[0] == "in a list"


def test_html_title():
    assert html_title("<html><title> 404 page \n not found </title></html>") == "404 page not found"
    assert html_title("<h1>Oops <b>bad</b></h1>") == "Oops bad"


def test_messages_are_not_misread():
    # "expired" without a key/token nearby is not an expired key.
    assert classify(400, oa("the session cache expired; retry", "invalid_request_error")).kind == (
        "bad_request"
    )
    # A quota error on 401 is a balance problem, not a bad key.
    assert classify(401, oa("quota exceeded for this token")).kind == "quota"
