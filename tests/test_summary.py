"""The support summary: everything support asks for, never the key."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta, timezone

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui import __version__
from tui.core.diagnosis.model import CheckResult, Report, Status, Target
from tui.core.diagnosis.summary import charged_text, focus_check, support_summary
from tui.core.i18n.units import format_ms
from tui.core.i18n.width import cell_width
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.safe import masking

NOW = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def make_report(key: str = FAKE_KEY, **target: object) -> Report:
    t = Target(
        base_url="https://api.alltkn.com/api/v1",
        api_key=key,
        model="gpt-4o-mini",
        client_label="Chatbox 1.9",
        profile="work",
        **target,  # type: ignore[arg-type]
    )
    checks = [
        CheckResult("config", Status.PASS, "config.ok", duration_ms=0.4),
        CheckResult("network", Status.PASS, "network.ok", duration_ms=45.2),
        CheckResult("proxy", Status.PASS, "proxy.none", duration_ms=1.0),
        CheckResult("auth", Status.PASS, "auth.ok", duration_ms=80.0),
        CheckResult("balance", Status.WARN, "balance.low", detail="0.42 USD left", duration_ms=60),
        CheckResult(
            "model",
            Status.FAIL,
            "model.unavailable",
            detail="No available channel for gpt-4o-mini",
            duration_ms=1520.0,
            http_status=503,
            error_text="当前分组 default 下对于模型 gpt-4o-mini 无可用渠道",
            request_ids=["X-Oneapi-Request-Id: 20250304050607abc"],
            charged=False,
        ),
        CheckResult("stream", Status.SKIP, "stream.ok", detail="waits for model"),
    ]
    return Report(t, "2025-03-04T05:06:05.000Z", 2100.0, checks, proxy_in_use=None)


def test_contains_what_support_needs() -> None:
    text = support_summary(make_report(), now=NOW)
    for expected in (
        f"gateway-doctor {__version__}",
        "OS:",
        "2025-03-04 05:06:07 UTC",
        "Time (local):",
        "Chatbox 1.9",
        "work",
        "https://api.alltkn.com/api/v1",
        "gpt-4o-mini",
        "sk-…4444",
        "(none, direct connection)",
        "Model (model): model.unavailable, failed",
        "HTTP status:  503",
        "当前分组 default 下对于模型 gpt-4o-mini 无可用渠道",
        "X-Oneapi-Request-Id: 20250304050607abc",
        "Charged:      no",
        "1.52 s",
    ):
        assert expected in text, expected
    # one line per check, in order, with its code
    lines = text.splitlines()
    start = lines.index("Checks:")
    rows = lines[start + 1 : start + 8]
    for row, code in zip(rows, [c.code for c in make_report().checks], strict=True):
        assert code in row


def test_chinese_labels_align() -> None:
    text = support_summary(make_report(), lang="zh-CN", now=NOW)
    assert "出错步骤" in text and "错误原文" in text and "是否扣费：" in text
    assert "模型（model）：model.unavailable，失败" in text
    # values start in the same terminal column whatever the label's width
    head = [ln for ln in text.splitlines()[2:14] if "：" in ln]

    def value_column(line: str) -> int:
        colon = line.index("：")
        rest = line[colon + 1 :]
        return cell_width(line[: colon + 1]) + len(rest) - len(rest.lstrip())

    assert len({value_column(ln) for ln in head}) == 1, head


def test_focus_is_given_check_else_first_fail_else_first_warn() -> None:
    report = make_report()
    assert focus_check(report).id == "model"
    assert focus_check(report, "balance").id == "balance"
    assert "Balance (balance): balance.low, warning" in support_summary(report, "balance", now=NOW)
    report.checks[5].status = Status.PASS
    assert focus_check(report).id == "balance"
    report.checks[4].status = Status.PASS
    assert focus_check(report) is None
    assert "none, every check passed" in support_summary(report, now=NOW)


def test_the_key_never_appears_registered_or_not() -> None:
    report = make_report(key=CANARY_KEY, proxy="http://user:hunter22@proxy.corp:3128")
    failing = report.checks[5]
    failing.detail = f"rejected {CANARY_KEY}"
    failing.error_text = f'{{"error": "Incorrect API key provided: {CANARY_KEY}"}}'
    failing.request_ids = [f"X-Request-Id: {CANARY_KEY}"]
    for registered in (False, True):
        masking.clear_secrets()
        if registered:
            masking.register_secret(CANARY_KEY)
        for lang in ("en", "zh-CN"):
            text = support_summary(report, lang=lang, now=NOW)
            assert CANARY_KEY not in text
            assert CANARY_KEY[3:-4] not in text
            assert "sk-…3210" in text
            assert "hunter22" not in text


def test_key_without_sk_prefix_is_masked_even_unregistered() -> None:
    odd_key = "ZZtopSecretGatewayValue-987654321"
    report = make_report(key=odd_key)
    report.checks[5].detail = f"key {odd_key} refused"
    text = support_summary(report, now=NOW)
    assert odd_key not in text and "ZZt…4321" in text


def test_no_key_and_naive_now_and_proxy() -> None:
    report = make_report(key="", proxy="http://proxy.corp:3128")
    report.proxy_in_use = "http://proxy.corp:3128"
    text = support_summary(report, now=datetime(2025, 3, 4, 5, 6, 7))
    assert "API key:      (none)" in text
    assert "Proxy:        http://proxy.corp:3128" in text
    assert "2025-03-04 05:06:07 UTC" in text


def test_local_time_uses_the_local_zone() -> None:
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    try:
        east8 = datetime(2025, 3, 4, 13, 6, 7, tzinfo=timezone(timedelta(hours=8)))
        text = support_summary(make_report(), now=east8)
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert "2025-03-04 05:06:07 UTC" in text
    assert "2025-03-04 13:06:07" in text and "+0800" in text


def test_long_error_text_is_shortened() -> None:
    report = make_report()
    report.checks[5].error_text = "<html>" + "x" * 5000 + "</html>"
    text = support_summary(report, now=NOW)
    err = next(ln for ln in text.splitlines() if ln.startswith("Error text:"))
    assert len(err) < 700 and err.endswith("…")


def test_charged_text() -> None:
    report = make_report()
    assert charged_text(report) == "no"
    report.checks[5].charged = True
    assert charged_text(report, "zh-CN") == "是（模型）"
    for c in report.checks:
        c.charged = None
    assert charged_text(report) == "unknown"


def test_format_ms() -> None:
    assert format_ms(None) == "-"
    assert format_ms(12.4) == "12 ms"
    assert format_ms(2345) == "2.35 s"


def test_falls_back_to_the_exchange_for_status_error_and_ids() -> None:
    log = ExchangeLog()
    ex = Exchange(
        id=log.new_id(),
        step="auth",
        started_at="t",
        method="GET",
        url="https://api.alltkn.com/api/v1/models",
        status=401,
        reason="Unauthorized",
        response_headers=[("X-Request-Id", "req-123"), ("Content-Type", "application/json")],
        response_body=b'{"error":{"message":"\xe8\xaf\xa5\xe4\xbb\xa4\xe7\x89\x8c\xe5\xb7\xb2\xe8\xbf\x87\xe6\x9c\x9f"}}',
        timings={"connect": 10.0, "tls": 20.0, "ttfb": 30.0, "total": 65.0},
    )
    log.add(ex)
    report = make_report()
    report.checks[3] = CheckResult(
        "auth", Status.FAIL, "auth.key_expired", duration_ms=70, exchanges=[ex.id]
    )
    text = support_summary(report, log=log, now=NOW)
    assert "Authentication (auth): auth.key_expired" in text
    assert "HTTP status:  401 Unauthorized" in text
    assert "该令牌已过期" in text
    assert "X-Request-Id: req-123" in text
    assert f"{ex.id} GET /api/v1/models → 401: 65 ms (connect 10 ms, tls 20 ms, ttfb 30 ms)" in text


async def test_against_the_demo_gateway(demo_gateway) -> None:
    """Real exchanges over loopback: ids, status and error text reach the summary."""
    target = Target(
        base_url=demo_gateway.scenario_url("key_expired"),
        api_key=CANARY_KEY,
        model="gpt-4o-mini",
        timeout=5,
    )
    masking.register_secret(CANARY_KEY)
    log = ExchangeLog()
    async with GatewayClient(target, log) as client:
        ex = await client.request("GET", target.endpoint("models"), step="auth")
    assert ex.status == 401
    result = CheckResult(
        "auth", Status.FAIL, "auth.key_expired", exchanges=[ex.id], duration_ms=ex.duration_ms
    )
    report = Report(target, "2025-03-04T05:06:05Z", ex.duration_ms, [result])
    text = support_summary(report, log=log, lang="zh-CN")
    assert "401" in text and "该令牌已过期" in text
    ids_line = next(ln for ln in text.splitlines() if ln.startswith("请求 ID"))
    # both headers carry one value: named together, the value listed once
    assert "x-request-id / x-oneapi-request-id: " in ids_line.lower()
    assert ids_line.count(ex.header("x-request-id") or "?") == 1
    assert f"{ex.id} GET /scenario/key_expired/v1/models → 401" in text
    assert CANARY_KEY not in text
