"""Facts the new-user walkthrough found wrong: Charged, step durations, a quota skip.

Each test runs the checklist (or the chat) against the demo gateway on a real
loopback socket; the rule tests build exchanges by hand (a narrow unit case).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import FAKE_KEY
from tests.support.targets import target_for
from tui.core.chat.session import ChatSession, ChatSettings
from tui.core.chat.transcript import chat_error_summary
from tui.core.diagnosis.charge import charge_of, charge_text
from tui.core.diagnosis.engine import CheckFinished, EngineEvent, run_checks
from tui.core.diagnosis.model import Report, Status, Target
from tui.core.diagnosis.report import render_json, render_markdown, render_text
from tui.core.diagnosis.summary import charged_text, support_summary
from tui.core.i18n.catalogue import render
from tui.core.i18n.units import format_ms
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.demo.server import DemoGateway


@pytest.fixture(scope="module")
def gw():
    g = DemoGateway(port=0, tokens_per_second=400)  # the stream lasts ~160 ms
    g.start_in_thread()
    try:
        yield g
    finally:
        g.stop()


async def _run(gw, scenario: str, lang: str = "en") -> tuple[Report, ExchangeLog]:
    log = ExchangeLog()
    return await run_checks(target_for(gw.scenario_url(scenario)), log, lang=lang), log


def _charged_line(report: Report, log: ExchangeLog) -> str:
    return next(x for x in support_summary(report, log=log).splitlines() if "Charged" in x)


# --- Charged -------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["invalid_key", "key_disabled"])
async def test_completions_sent_ahead_and_refused_are_counted(gw, scenario):
    """Auth fails, model and stream are skipped, yet their POSTs went out and got 401:
    "no completion request was sent" was false."""
    report, log = await _run(gw, scenario)
    assert report.by_id("model").status is Status.SKIP
    assert report.by_id("stream").status is Status.SKIP
    unused = [e for e in log.all() if e.method == "POST" and e.note.startswith("not needed")]
    assert {e.step for e in unused} == {"model", "stream"}
    assert all(e.status == 401 for e in unused)
    line = _charged_line(report, log)
    assert "no — every completion was refused (HTTP 401) before any token" in line, line
    assert "no completion request was sent" not in line
    zh = charged_text(report, "zh-CN", log)
    assert zh.startswith("否 — 每个补全请求都在产生 token 之前被拒绝（HTTP 401）"), zh
    data = json.loads(render_json(report, log=log))
    assert data["charged"]["charged"] is False and data["charged"]["reason"] == "refused"


@pytest.mark.parametrize(
    ("scenario", "who"), [("cloudflare_524", "Cloudflare 524"), ("nginx_504", "nginx 504")]
)
async def test_an_intermediary_timeout_may_have_been_billed(gw, scenario, who):
    """A 524/504 means the intermediary stopped waiting for an upstream that had the
    request: "refused before any token" was a guess presented as a fact."""
    report, log = await _run(gw, scenario)
    assert report.by_id("model").code == "model.gateway_error"
    line = _charged_line(report, log)
    assert (
        f"unknown — the intermediary ({who}) stopped waiting; the upstream may have "
        "generated and billed a reply"
    ) in line, line
    zh = charged_text(report, "zh-CN", log)
    assert zh.startswith(
        f"未知 — 中间层（{who}）没等到上游应答就放弃了；上游可能已经生成回复并计费"
    )
    data = json.loads(render_json(report, log=log))
    assert data["charged"]["charged"] is None and data["charged"]["reason"] == "gave_up"


async def test_an_nginx_502_is_still_a_refusal(gw):
    """502: nginx got no valid answer from the gateway; nothing was generated for it."""
    report, log = await _run(gw, "nginx_502")
    assert "no — every completion was refused (HTTP 502)" in _charged_line(report, log)


def _ex(status: int, server: str = "cloudflare") -> Exchange:
    return Exchange(
        id=f"ex-{status}",
        step="model",
        started_at="2026-01-01T00:00:00.000Z",
        method="POST",
        url="https://gw.example/v1/chat/completions",
        status=status,
        response_headers=[("Server", server), ("Content-Type", "text/html")],
        response_body=b"<html><title>error</title></html>",
    )


def test_the_rule_for_cloudflare_52x():
    """520: the origin had the request and answered garbage (unknown); 521-523: the
    origin was never reached (not charged); the same rule for every caller."""
    broken = charge_of([_ex(520)])
    assert broken.charged is None and broken.reason == "broken"
    assert charge_text(broken).startswith("unknown — the intermediary (Cloudflare 520) got")
    assert "上游已收到请求" in charge_text(broken, "zh-CN")
    for status in (521, 522, 523, 502):
        charge = charge_of([_ex(status)])
        assert charge.charged is False and charge.reason == "refused", status
    # A 504 the gateway wrote itself (JSON, not an intermediary's page) names the status.
    own = _ex(504, server="new-api")
    own.response_body, own.response_headers = b'{"error":{"message":"timeout"}}', []
    assert charge_text(charge_of([own])).startswith("unknown — the intermediary (HTTP 504)")


async def test_chat_summary_says_a_524_may_have_been_billed(gw):
    """The chat's support summary uses the same rule as the checklist."""
    log = ExchangeLog()
    target = Target(
        base_url=gw.scenario_url("cloudflare_524"),
        api_key=FAKE_KEY,
        model="gpt-4o-mini",
        timeout=2.0,
        trust_env=False,
    )
    session = ChatSession(target, log, ChatSettings(max_tokens=8))
    try:
        turn = await session.send("hi")
    finally:
        await session.aclose()
    assert turn.reply.error is not None
    summary = chat_error_summary(turn.reply, target, log)
    assert "unknown — the intermediary (Cloudflare 524) stopped waiting" in summary, summary


# --- step durations --------------------------------------------------------------------


def _longest(report: Report, log: ExchangeLog, cid: str) -> float:
    found = [log.get(i) for i in report.by_id(cid).exchanges]
    return max(e.duration_ms for e in found if e is not None)


async def test_a_step_takes_at_least_as_long_as_its_exchanges(gw):
    """Requests are sent ahead, so the step's own timer measured only its wait:
    "answers in 38 ms … 0 ms", "first token at 152 ms … 77 ms"."""
    log = ExchangeLog()
    events: list[EngineEvent] = []
    report = await run_checks(target_for(gw.scenario_url("healthy")), log, events.append)
    shown = {e.result.id: e.result.duration_ms for e in events if isinstance(e, CheckFinished)}
    for cid in ("network", "auth", "balance", "model", "stream"):
        res = report.by_id(cid)
        assert res.duration_ms >= _longest(report, log, cid) - 0.1, (cid, res.duration_ms)
        assert shown[cid] == res.duration_ms  # what the checklist row showed
    model = report.by_id("model")
    said = float(re.search(r"answers in (\d+) ms", model.detail).group(1))
    assert model.duration_ms >= said - 1
    stream = report.by_id("stream")
    first = float(re.search(r"first token at (\d+) ms", stream.detail).group(1))
    assert stream.duration_ms >= first
    took = format_ms(stream.duration_ms)
    assert re.search(rf"Streaming .*stream\.ok\s+{re.escape(took)}", render_text(report))
    assert f"| `stream.ok` | {took} |" in render_markdown(report)
    data = json.loads(render_json(report, log=log))
    assert data["checks"][6]["duration_ms"] == round(stream.duration_ms, 1)
    summary = support_summary(report, check="stream", log=log)
    assert f"Timings (Streaming): {took}" in summary


async def test_a_failed_step_takes_as_long_as_its_failing_exchange(gw):
    """``✗ Model HTTP 524 … 0 ms`` above an exchange of 306 ms."""
    report, log = await _run(gw, "cloudflare_524")
    model = report.by_id("model")
    assert model.duration_ms >= _longest(report, log, "model") - 0.1
    summary = support_summary(report, log=log)
    assert f"Timings (Model): {format_ms(model.duration_ms)}" in summary


# --- the quota skip ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_the_model_request_refused_for_money_says_so(gw, lang):
    """quota_exhausted: the model's own request got the 429; "waits for balance" read as
    if it had not run. One root cause stays: balance.insufficient."""
    report, _log = await _run(gw, "quota_exhausted", lang)
    assert report.by_id("balance").code == "balance.insufficient"
    model = report.by_id("model")
    assert model.status is Status.SKIP and model.http_status == 429
    assert model.evidence["blocked_by"] == ["balance.insufficient"]
    en = render(model.message, "en")
    assert en.startswith("the model request was refused for money (HTTP 429 You exceeded")
    assert en.endswith("): see the Balance step")
    if lang == "zh-CN":
        assert model.detail.startswith("模型请求因余额或额度不足被拒绝（HTTP 429：You exceeded")
        assert model.detail.endswith("）：见余额步骤")
    assert "balance.insufficient" in report.by_id("stream").detail
