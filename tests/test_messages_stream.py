"""The stream step and the intermediaries speak from the catalogue.

Every result the stream step gives against the demo gateway carries a message;
its Chinese line has no English but what may stay English (the gateway's own
words, codes, URLs, product and header names, units), and it states the same
numbers as the English line. An intermediary's own error page (nginx, Caddy,
Envoy, Cloudflare) is described the same way, whichever step met it; so are
the charge line, the support summary's own lines and a chat error in our words.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.message_facts import CODE, NUMBER, PATH, URL, facts
from tests.support.targets import target_for
from tests.support.ui_text_scan import WORDS
from tui.core.chat.errors import classify_chat_exchange, classify_error_event
from tui.core.diagnosis.charge import Charge, charge_text
from tui.core.diagnosis.checks import buffering, intermediaries
from tui.core.diagnosis.checks.stream_flood import flood_message
from tui.core.diagnosis.checks.stream_words import buffered_by_proxy_message
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import CheckResult
from tui.core.diagnosis.summary import support_summary
from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.inspect import format as fmt
from tui.core.net.exchange import Exchange, ExchangeLog

#: Scenarios that drive the stream step through its outcomes (and the pages of
#: intermediaries, whichever step meets them).
SCENARIOS = [
    "healthy",
    "stream_cut",
    "malformed_sse",
    "garbled",
    "buffered_stream",
    "stream_error_event",
    "stream_stall",
    "not_streamed",
    "ping_comments",
    "short_burst",
    "single_event",
    "keepalive_first",
    "http10_stream",
    "very_fast",
    "slow_steady",
    "gzip_sse",
    "no_content_type",
    "rate_limited",
    "server_error",
    "cloudflare_524",
    "nginx_502",
    "nginx_504",
    "caddy_502",
    "envoy_503",
    "nginx_buffered",
]

#: What may stay English in a Chinese line (common.md): protocol and header names,
#: formats, product names, units, the SSE field names a stream is judged by.
ALLOWED_WORDS = {
    "HTTP", "Retry-After", "Content-Type", "Server", "Via", "CONNECT", "Location",
    "JSON", "HTML", "API", "URL", "SSE", "UTF-8", "UTF", "U", "FFFD", "DONE", "TLS", "DNS",
    "finish_reason", "text", "event-stream", "application", "json", "data",
    "cf-ray", "nginx", "Cloudflare", "Caddy", "Envoy", "gateway-doctor",
    "ms", "s", "KB", "MB", "token", "tokens",
}  # fmt: skip


def _gateway_said(log: ExchangeLog | None) -> str:
    """Every word the gateway sent (bodies, reasons, headers, events) and the errors met."""
    parts: list[str] = []
    for ex in log.all() if log is not None else []:
        parts += [ex.reason, ex.text(), ex.error or "", *(v for _k, v in ex.response_headers)]
        parts += [e.data for e in ex.sse_events]
    return " ".join(" ".join(parts).split())


def english_left(m: Msg, log: ExchangeLog | None = None) -> list[str]:
    """English words in the Chinese line of ``m`` that are none of the allowed kinds."""
    zh = render(m, "zh-CN")
    said = _gateway_said(log)
    for fact in sorted({f for f in facts(m) if f}, key=len, reverse=True):
        # A fact that reads as prose must be quoted from the gateway, not written by us.
        pieces = [p.strip() for p in re.split(r"…|, ", re.sub(r"^\d{3} ", "", fact))]
        quoted = all(p in said for p in pieces if p)
        assert not WORDS.search(fact) or quoted, (m.id, fact)
        zh = zh.replace(fact, " ")
    zh = PATH.sub(" ", CODE.sub(" ", URL.sub(" ", zh)))
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_-]*", zh) if w not in ALLOWED_WORDS]


def numbers(line: str) -> list[str]:
    return sorted(NUMBER.findall(line))


def assert_speaks_both(m: Msg | None, log: ExchangeLog | None = None, en: str = "") -> None:
    assert m is not None, en
    zh = render(m, "zh-CN")
    assert not english_left(m, log), (m.id, zh, english_left(m, log))
    assert numbers(render(m, "en")) == numbers(zh), (m.id, render(m, "en"), zh)
    if en:
        assert render(m, "en") == en  # the run was in English


def _ours(results: list[CheckResult]) -> list[CheckResult]:
    gateway_pages = [r for r in results if r.evidence.get("intermediary")]
    return [r for r in results if r.id == "stream"] + gateway_pages


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_every_stream_result_has_a_message_in_both_languages(demo_gateway, scenario):
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url(scenario)), log)
    ours = _ours(report.checks)
    assert any(r.id == "stream" for r in ours)
    for r in ours:
        assert_speaks_both(r.message, log, r.detail)


async def test_a_buffered_stream_names_nginx_in_both_languages(demo_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("nginx_buffered")), log)
    r = report.by_id("stream")
    assert r is not None and r.code == "stream.buffered" and r.message is not None
    assert "; it came through nginx (Server: nginx/1.24.0)" in r.detail
    zh = render(r.message, "zh-CN")
    assert "；响应经过了 nginx（Server: nginx/1.24.0）" in zh and "某一环缓冲了流式输出" in zh


async def test_a_passing_stream_notes_what_could_not_be_judged(demo_gateway):
    report = await run_checks(target_for(demo_gateway.scenario_url("short_burst")), ExchangeLog())
    r = report.by_id("stream")
    assert r is not None and r.code == "stream.ok" and r.message is not None
    zh = render(r.message, "zh-CN")
    assert "too short to judge buffering" in r.detail
    assert "（回复太短，无法判断是否被缓冲）" in zh and "首个 token 在" in zh


@pytest.mark.parametrize(
    ("fl", "en", "zh"),
    [
        ({"comments": 120000, "data_events": 0, "events": 120000}, "120,000 comments and no data",
         "收到 120,000 条注释行，却没有任何数据"),
        ({"comments": 3, "data_events": 9, "events": 12, "content_chunks": 9},
         "12 events (9 content chunks, 3 comments)", "12 个事件（9 个内容分块、3 条注释）"),
        ({"long_lines": 1, "events": 0, "data_events": 0, "bytes": 2_000_000},
         "one line of 2,000,000 bytes without a line break", "一行没有换行的数据，长达 2,000,000 字节"),
    ],
)  # fmt: skip
def test_a_flood_is_described_in_both_languages(fl, en, zh):
    facts = {"seconds": 3.0, "bytes": 5000, "reads": 40, "content_chunks": 0, "long_lines": 0}
    m = flood_message({**facts, **fl})
    assert en in render(m, "en") and zh in render(m, "zh-CN")
    assert_speaks_both(m)


def test_the_buffered_verdict_and_the_proxy_it_came_through():
    bf = buffering.Buffering(buffering.BUFFERED, 40, 700.0, 0.5, 700.0, 10.0, 400.0)
    plain = buffered_by_proxy_message({"proxy_product": {"proxy": "http://proxy:3128"}})
    named = buffered_by_proxy_message(
        {
            "proxy_product": {
                "proxy": "http://proxy:3128",
                "name": "Squid",
                "how": "via",
                "seen": "1.1 squid",
                "by": "Via: 1.1 squid",
            }
        }
    )
    for m in (bf.message(proxy=plain), bf.message(proxy=named)):
        assert_speaks_both(m)
    en = render(bf.message(proxy=named), "en")
    assert en.startswith("all 40 chunks arrived within 0.5 ms, after 700 ms")
    assert en.endswith(
        "; it came through your proxy http://proxy:3128, which is Squid (Via: 1.1 squid)"
    )
    assert "它是 Squid（Via：1.1 squid）" in render(bf.message(proxy=named), "zh-CN")
    assert buffered_by_proxy_message({}) == ""
    for verdict in (buffering.TOO_SHORT, buffering.TOO_FAST, buffering.TOO_BUSY):
        note = buffering.Buffering(verdict, 3, 10.0, 1.0, 5.0, 1.0, 250.0).note
        assert note is not None
        assert_speaks_both(note)
    assert buffering.Buffering(buffering.LIVE, 30, 10.0, 300.0, 5.0, 7.5, 300.0).note is None


@pytest.mark.parametrize("status", [502, 503, 504, 520, 524, 530, 599])
def test_an_intermediarys_own_error_page_in_both_languages(status):
    page = f"<html><center>nginx/1.24.0</center> {status}</html>".encode()
    seen = intermediaries.wrote_error(status, [("Server", "nginx/1.24.0")], page)
    if status == 599:
        seen = intermediaries.identify(502, [("Server", "nginx/1.24.0")], page)
    assert seen is not None
    m = intermediaries.gateway_message(status, seen, f"{status} Bad Gateway")
    assert_speaks_both(m)
    en, zh = render(m, "en"), render(m, "zh-CN")
    assert en.startswith(f"HTTP {status} Bad Gateway, written by nginx (its own error page")
    assert zh.startswith(f"HTTP {status} Bad Gateway 是 nginx 自己返回的（它自己的错误页面")


def test_an_intermediary_seen_by_its_header_only():
    seen = intermediaries.via([("cf-ray", "8f1e2d3c4b5a6978-LAX")])
    assert seen is not None and seen.by == "header"
    assert (
        seen.marker == "cf-ray header"
        and render(seen.marker_msg, "zh-CN") == "它特有的 cf-ray 响应头"
    )


def test_the_charge_line_names_steps_in_the_users_language():
    steps = [msg("step.model"), msg("step.stream")]
    c = Charge(True, "usage", {"tokens": 12, "steps": steps}, (10.0, 10.0, "CNY"))
    en, zh = charge_text(c), charge_text(c, "zh-CN")
    assert en.startswith("yes — usage returned: 12 tokens (Model; Streaming); balance 10 → 10 CNY")
    assert "has not moved (yet)" in en
    assert zh.startswith("是 — 响应带有 usage：12 个 token（模型；流式输出）；余额 10 → 10 CNY")
    assert "model" not in zh and "stream" not in zh and numbers(en) == numbers(zh)
    stopped = Charge(None, "no_answer", {"why": [msg("charge.stopped_early")]})
    assert "在应答到达之前就被停止了" in charge_text(stopped, "zh-CN")


async def test_the_summary_speaks_chinese_around_the_facts(demo_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("stream_cut")), log)
    zh = support_summary(report, lang="zh-CN", log=log)
    assert re.search(r"出错步骤： +流式输出（stream）：stream\.interrupted，失败", zh), zh
    assert "耗时（流式输出）：" in zh and "Timings" not in zh and "(stream)" not in zh
    assert "connection broke" not in zh  # the transport failure in Chinese, the OS text quoted
    en = support_summary(report, lang="en", log=log)
    assert "Failing step: Streaming (stream): stream.interrupted, failed" in en
    assert "Timings (Streaming): " in en


def _exchange(**kw: Any) -> Exchange:
    base = {"id": "ex-0001", "step": "chat", "started_at": "2026-12-02T00:00:00Z"}
    return Exchange(
        **{**base, "method": "POST", "url": "https://gw.example/v1/chat/completions", **kw}
    )


def test_a_chat_error_in_our_words_follows_the_language():
    moved = _exchange(status=307, response_headers=[("location", "https://other.example/v1/x")])
    err = classify_chat_exchange(moved)
    assert err is not None and err.code == "network.redirect" and err.said is not None
    assert err.message == err.text("en") and "another address: not followed" in err.message
    assert "重定向到另一个地址 https://other.example/v1/x" in err.text("zh-CN")
    assert_speaks_both(err.said)
    words = classify_error_event({"error": {"message": "upstream overloaded"}})
    assert words.said is None and words.text("zh-CN") == "upstream overloaded"


def test_the_inspector_says_via_proxy_in_the_users_language():
    ex = _exchange(proxy="http://proxy:3128", request_headers=[("accept", "application/json")])
    assert fmt.request_head(ex).splitlines()[-1] == "# via proxy http://proxy:3128"
    assert fmt.request_head(ex, "zh-CN").splitlines()[-1] == "# 经由代理 http://proxy:3128"
