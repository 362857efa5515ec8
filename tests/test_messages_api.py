"""The API checks (auth, balance, model) and the engine's skip rows speak from the catalogue.

Every result those steps give against the demo gateway carries a message; its
Chinese line has no English but what may stay English (the gateway's own words,
URLs, codes, product names, units), and it states the same numbers as the
English line. Notes on bodies we refused (compression bombs, JSON nested too
deep, model lists too big) are messages too.
"""

from __future__ import annotations

import re
import zlib

import pytest

from tests.support.message_facts import CODE, NUMBER, PATH, URL, facts
from tests.support.targets import target_for
from tests.support.ui_text_scan import WORDS
from tui.core.diagnosis import engine
from tui.core.diagnosis.checks.base import Results
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import CheckResult, Report, Status, Target
from tui.core.i18n.catalogue import Msg, msg, render, text
from tui.core.net.body_decode import BodyDecoder, BodyError
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.models_list import fetch_models
from tui.core.safe import json_parse as safe_json

#: Scenarios that drive auth, balance and model through their outcomes.
SCENARIOS = [
    "healthy",
    "invalid_key",
    "key_disabled",
    "key_expired",
    "ip_not_allowed",
    "quota_exhausted",
    "token_quota_exhausted",
    "token_quota_exhausted_zh",
    "payment_required",
    "low_balance",
    "model_not_found",
    "no_channel",
    "no_channel_zh",
    "rate_limited",
    "server_error",
    "cloudflare_524",
    "nginx_504",
    "envoy_503",
    "no_models_endpoint",
    "html_frontend",
    "binary_body",
    "no_balance",
    "litellm_budget",
    "litellm_crossed_budget",
    "litellm_key_info",
    "listed_no_channel",
    "listed_model_refused",
    "one_at_a_time",
]

OUR_STEPS = {"auth", "balance", "model"}

#: What may stay English in a Chinese line (common.md): units, protocol and header
#: names, formats, product names.
ALLOWED_WORDS = {
    "HTTP", "Retry-After", "Content-Type", "Content-Encoding", "Accept-Encoding", "Server",
    "JSON", "HTML", "API", "URL", "SSE", "OpenAI", "Chatbox", "Cherry", "Studio",
    "new-api", "one-api", "litellm", "openrouter", "Cloudflare", "cloudflare", "nginx",
    "Envoy", "envoy", "ms", "s", "MB", "KB", "USD", "CNY", "token", "tokens",
}  # fmt: skip


def _gateway_said(log: ExchangeLog) -> str:
    """Every word the gateway sent (bodies, reasons, headers), whitespace collapsed."""
    parts = []
    for ex in log.all():
        parts += [ex.reason, ex.text(), *(v for _k, v in ex.response_headers)]
    return " ".join(" ".join(parts).split())


def _quoted_from_gateway(fact: str, said: str) -> bool:
    """``fact`` is the gateway's words (cut with "…", after the status they came with),
    or names it listed (``a, b, c``)."""
    fact = re.sub(r"^\d{3} ", "", fact)
    pieces = [p.strip() for p in re.split(r"…|, ", fact) if p.strip()]
    return all(p in said for p in pieces)


def english_left(m: Msg, log: ExchangeLog) -> list[str]:
    """English words in the Chinese line of ``m`` that are none of the allowed kinds."""
    zh = render(m, "zh-CN")
    said = _gateway_said(log)
    for fact in sorted({f for f in facts(m) if f}, key=len, reverse=True):
        # A fact that reads as prose must be quoted from the gateway, not written by us.
        assert not WORDS.search(fact) or _quoted_from_gateway(fact, said), (m.id, fact)
        zh = zh.replace(fact, " ")
    zh = PATH.sub(" ", CODE.sub(" ", URL.sub(" ", zh)))
    words = re.findall(r"[A-Za-z][A-Za-z-]*", zh)
    return [w for w in words if w not in ALLOWED_WORDS]


def numbers(line: str) -> list[str]:
    return sorted(NUMBER.findall(line))


def assert_speaks_both(r: CheckResult, log: ExchangeLog) -> None:
    assert r.message is not None, (r.code, r.detail)
    en, zh = render(r.message, "en"), render(r.message, "zh-CN")
    assert en == r.detail, (r.code, en, r.detail)  # the run was in English
    assert not english_left(r.message, log), (r.code, zh, english_left(r.message, log))
    assert numbers(en) == numbers(zh), (r.code, en, zh)


def _ours(report: Report) -> list[CheckResult]:
    return [r for r in report.checks if r.id in OUR_STEPS or r.status is Status.SKIP]


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_every_api_result_has_a_message_in_both_languages(demo_gateway, scenario):
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url(scenario)), log)
    ours = _ours(report)
    assert {r.id for r in ours} >= OUR_STEPS
    for r in ours:
        assert_speaks_both(r, log)


async def test_skip_rows_name_the_step_and_the_code_alike(demo_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("invalid_key")), log)
    model = report.by_id("model")
    assert model is not None and model.message is not None
    assert model.detail == "waits for Authentication (auth.invalid_key)"
    assert render(model.message, "zh-CN") == "等待鉴权步骤（auth.invalid_key）"
    # Its request, sent ahead, is marked with the same reason (recorded in English).
    sent = [ex for ex in log.all() if ex.step == "model"]
    assert sent and sent[0].note == "not needed: Model waits for Authentication (auth.invalid_key)"


async def test_a_quota_error_is_named_with_the_step_names(demo_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("quota_exhausted")), log)
    balance, model = report.by_id("balance"), report.by_id("model")
    assert balance is not None and balance.message is not None
    zh = render(balance.message, "zh-CN")
    assert zh.startswith("额度不足：模型步骤收到 HTTP 429：You exceeded"), zh
    assert "model 步骤" not in zh
    assert model is not None and model.message is not None
    assert render(model.message, "zh-CN").endswith("）：见余额步骤")
    assert model.detail.endswith("): see the Balance step")


async def test_steps_not_run_say_so_in_both_languages(demo_gateway):
    report = await run_checks(
        target_for(demo_gateway.scenario_url("healthy")), ExchangeLog(), only=["auth"]
    )
    for cid in ("balance", "model", "stream"):
        r = report.by_id(cid)
        assert r is not None and r.status is Status.SKIP and r.message is not None
        assert (r.detail, render(r.message, "zh-CN")) == ("not run", "没有运行")


async def test_the_overall_cap_is_a_message(demo_gateway, monkeypatch):
    monkeypatch.setattr(engine, "overall_cap", lambda target: 0.5)
    url = demo_gateway.scenario_url("slow_headers")
    report = await run_checks(target_for(url, timeout=5.0), ExchangeLog())
    capped = [r for r in report.checks if r.message and r.message.id.startswith("check.skip.cap")]
    assert capped, [(r.code, r.detail) for r in report.checks]
    for r in capped:
        zh = render(r.message, "zh-CN")
        assert "总时间上限" in zh and not re.search(r"[A-Za-z]{2,}", zh.replace(" s", "")), zh
        assert numbers(r.detail) == numbers(zh)


def test_a_request_without_an_answer_has_a_message() -> None:
    ex = Exchange(id="ex-1", step="auth", started_at="", method="GET", url="http://x/v1/models")
    ex.error, ex.error_kind = "connection reset by peer", "read_error"
    r = Results("auth").transport_failure(ex)
    assert r.code == "auth.gateway_error" and r.message is not None
    assert "connection reset by peer" in render(r.message, "en")


def _bomb(encoded: bytes) -> BodyError:
    decoder = BodyDecoder("deflate")
    with pytest.raises(BodyError) as caught:
        for _piece in decoder.feed(encoded):
            pass
        for _piece in decoder.flush():
            pass
    return caught.value


def test_a_compression_bomb_is_a_message() -> None:
    err = _bomb(zlib.compress(b"\0" * (8 * 1024 * 1024), 9))
    assert err.kind == "too_large" and isinstance(err.message, Msg)
    assert "a compression bomb? Reading stopped" in str(err) == render(err.message, "en")
    zh = render(err.message, "zh-CN")
    assert "疑似压缩炸弹" in zh and numbers(zh) == numbers(str(err)), zh


def test_json_too_deep_is_a_message() -> None:
    got = safe_json.parse("[" * 200 + "]" * 200)
    assert got.too_deep == 200 and got.message == msg("body.json_too_deep", depth=200)
    assert got.note == "the JSON is nested 200 levels deep (not read)"
    assert safe_json.note_in(f"HTTP 400: {got.note}", "zh-CN") == "HTTP 400: " + text(
        "body.json_too_deep", "zh-CN", depth=200
    )
    assert safe_json.note_in(got.note, "en") == got.note


async def test_model_list_errors_are_messages() -> None:
    result = await fetch_models(Target(base_url=""))
    assert isinstance(result.error, Msg)
    assert render(result.error, "zh-CN") == "没有填写基础 URL"


def test_the_checklist_says_retry_after_as_a_delay_a_date_or_ignored() -> None:
    """The checklist printed 'Retry-After: Wed, 21 Oct 2099 07:28:00 GMT s' (raw, with ' s')."""
    from tui.core.diagnosis.checks.base import retry_note
    from tui.core.diagnosis.checks.classify import ErrorInfo
    from tui.core.i18n.catalogue import render

    def said(raw: str, lang: str = "en") -> str:
        note = retry_note(ErrorInfo(kind="rate_limited", status=429, retry_after=raw))
        return render(note, lang) if note else ""

    assert said("5") == " (Retry-After: 5 s)"
    assert said("Wed, 21 Oct 2099 07:28:00 GMT") == " (Retry-After: 2099-10-21 07:28:00 UTC)"
    assert said("1e9") == " (Retry-After ignored: '1e9' is no usable delay)"
    assert "\x1b" not in said("1\x1b[31m") and "已忽略" in said("-5", "zh-CN")
