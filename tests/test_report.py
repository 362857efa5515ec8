"""Report renderers: the --json contract, aligned text, ticket-ready Markdown."""

from __future__ import annotations

import json
import math
import re

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui import __version__
from tui.core.diagnosis.model import CheckResult, Report, Status, Target
from tui.core.diagnosis.remediation import remedy
from tui.core.diagnosis.report import render_json, render_markdown, render_text, report_to_dict
from tui.core.i18n.width import cell_width, columns, pad, truncate
from tui.core.safe import masking

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CHECK_KEYS = {
    "id", "status", "code", "title", "detail", "duration_ms", "evidence", "remediation",
    "exchanges", "message",
}  # fmt: skip


def make_report(key: str = FAKE_KEY) -> Report:
    t = Target(base_url="https://api.alltkn.com/api/v1", api_key=key, model="gpt-4o-mini")
    checks = [
        CheckResult("config", Status.PASS, "config.ok", duration_ms=0.42),
        CheckResult("network", Status.PASS, "network.ok", duration_ms=45.25,
                    evidence={"dns_ms": 3.2, "addresses": ("1.2.3.4",)}),
        CheckResult("proxy", Status.PASS, "proxy.none", duration_ms=1),
        CheckResult("auth", Status.FAIL, "auth.invalid_key", detail="401 | Incorrect API key",
                    duration_ms=80.0, exchanges=["ex-0003"], http_status=401),
        CheckResult("balance", Status.SKIP, "balance.unknown", detail="waits for auth"),
        CheckResult("model", Status.WARN, "model.not_listed", detail="not in /models",
                    duration_ms=300.0),
        CheckResult("stream", Status.SKIP, "stream.ok", detail="waits for auth"),
    ]  # fmt: skip
    return Report(t, "2025-03-04T05:06:05.000Z", 2100.123, checks)


def test_json_shape_is_the_contract() -> None:
    data = report_to_dict(make_report())
    assert set(data) == {
        "tool", "target", "started_at", "duration_ms", "verdict", "checks", "charged",
        "support_summary", "since_last_pass",
    }  # fmt: skip
    assert data["tool"] == {"name": "gateway-doctor", "version": __version__}
    assert data["target"] == {
        "base_url": "https://api.alltkn.com/api/v1",
        "model": "gpt-4o-mini",
        "key": "sk-…4444",
        "proxy": None,
        "tls": {"verify": True, "ca_bundle": None},
    }
    assert data["started_at"] == "2025-03-04T05:06:05.000Z"
    assert data["duration_ms"] == 2100.1
    assert data["verdict"] == "fail"
    assert [c["id"] for c in data["checks"]] == [
        "config", "network", "proxy", "auth", "balance", "model", "stream",
    ]  # fmt: skip
    for c in data["checks"]:
        assert set(c) == CHECK_KEYS
        assert c["status"] in {"pass", "warn", "fail", "skip"}
        assert isinstance(c["duration_ms"], float)
    auth = data["checks"][3]
    assert auth["status"] == "fail" and auth["code"] == "auth.invalid_key"
    assert auth["title"] == "Authentication"
    assert auth["exchanges"] == ["ex-0003"]
    assert auth["remediation"] == remedy("auth.invalid_key").steps
    assert data["checks"][5]["remediation"] == remedy("model.not_listed").steps
    for i in (0, 1, 2, 4, 6):  # remediation only for warn/fail
        assert data["checks"][i]["remediation"] == []
    assert data["checks"][1]["evidence"] == {"dns_ms": 3.2, "addresses": ["1.2.3.4"]}
    assert "Failing step: Authentication (auth): auth.invalid_key" in data["support_summary"]


def test_json_is_valid_and_localised() -> None:
    text = render_json(make_report(), lang="zh-CN")
    data = json.loads(text)
    assert data["checks"][3]["title"] == "鉴权"
    assert data["checks"][3]["remediation"] == remedy("auth.invalid_key", "zh-CN").steps
    assert "鉴权" in text  # not \u-escaped
    assert data["support_summary"].startswith("gateway-doctor 支持摘要")
    assert json.loads(render_json(make_report(), indent=None)) == report_to_dict(make_report())


def test_json_evidence_is_always_serialisable() -> None:
    report = make_report()
    report.checks[0].evidence = {
        "raw": b"\xff\xfebytes", "nan": math.nan, "obj": object(), 3: {"set": {1}},
    }  # fmt: skip
    ev = json.loads(render_json(report))["checks"][0]["evidence"]
    assert ev["nan"] is None and isinstance(ev["obj"], str) and ev["3"] == {"set": [1]}
    assert "bytes" in ev["raw"]


def test_json_without_key_and_with_proxy() -> None:
    report = make_report(key="")
    report.proxy_in_use = "http://proxy.corp:3128"
    data = report_to_dict(report)
    assert data["target"]["key"] is None
    assert data["target"]["proxy"] == "http://proxy.corp:3128"


def test_verdicts() -> None:
    report = make_report()
    for c in report.checks:
        if c.status is Status.FAIL:
            c.status = Status.PASS
    assert report_to_dict(report)["verdict"] == "warn"
    assert "PASS with warnings" in render_text(report)
    report.checks[5].status = Status.PASS
    assert report_to_dict(report)["verdict"] == "pass"
    assert "通过：全部检查通过" in render_text(report, "zh-CN")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_text_is_aligned_and_uncoloured_by_default(lang: str) -> None:
    text = render_text(make_report(), lang=lang)
    assert not ANSI.search(text)
    rows = [ln for ln in text.splitlines() if ln[:1] in {"✓", "!", "✗", "–"}]
    assert [r[0] for r in rows] == ["✓", "✓", "✓", "✗", "–", "!", "–"]
    code_cols = set()
    for r in rows:
        code = re.search(r"[a-z]+\.[a-z_]+", r)
        assert code is not None
        code_cols.add(cell_width(r[: code.start()]))
    assert len(code_cols) == 1, rows


def test_text_puts_remediation_under_failed_and_warned_checks() -> None:
    lines = render_text(make_report()).splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("✗"))
    r = remedy("auth.invalid_key")
    assert lines[i + 1].strip() == r.title
    assert lines[i + 2].strip() == f"Why: {r.why}"
    assert lines[i + 3].strip() == f"1. {r.steps[0]}"
    j = next(n for n, ln in enumerate(lines) if ln.startswith("!"))
    assert lines[j + 1].strip() == remedy("model.not_listed").title
    for n, ln in enumerate(lines):
        if ln.startswith(("✓", "–")) and n + 1 < len(lines):
            assert not lines[n + 1].startswith("     1.")
    assert lines[-2].startswith("Verdict: FAIL (1 failed, 1 warned, 3 passed, 2 skipped)")
    assert "--markdown" in lines[-1]  # a failed report ends with how to get the support summary


def test_text_colour_only_when_asked() -> None:
    coloured = render_text(make_report(), color=True)
    assert "\x1b[31m✗\x1b[0m" in coloured and "\x1b[32m✓\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == render_text(make_report(), color=False)


def test_markdown_ticket() -> None:
    md = render_markdown(make_report())
    assert md.startswith("# gateway-doctor report")
    assert "**Verdict:** FAIL" in md
    table = [ln for ln in md.splitlines() if ln.startswith("| ")]
    assert len(table) == 1 + 7  # header + one row per check
    assert (
        "| ✗ | Authentication | failed | `auth.invalid_key` | 80 ms | 401 \\| Incorrect API key |"
        in md
    )
    assert "### Authentication: `auth.invalid_key`" in md
    assert f"1. {remedy('auth.invalid_key').steps[0]}" in md
    fenced = re.search(r"```text\n(.*?)\n```", md, re.S)
    assert fenced and fenced.group(1).startswith("gateway-doctor support summary")
    md_zh = render_markdown(make_report(), lang="zh-CN")
    assert "| 步骤 | 状态 | 代码 |" in md_zh and "## 支持摘要" in md_zh


def test_markdown_fence_survives_backticks_in_details() -> None:
    report = make_report()
    report.checks[3].detail = "body was ```html``` page"
    md = render_markdown(report)
    assert "````text" in md


@pytest.mark.parametrize("registered", [False, True])
def test_canary_never_in_any_renderer(registered: bool) -> None:
    if registered:
        masking.register_secret(CANARY_KEY)
    report = make_report(key=CANARY_KEY)
    auth = report.checks[3]
    auth.detail = f"Incorrect API key provided: {CANARY_KEY}"
    auth.error_text = f'{{"error":{{"message":"bad key {CANARY_KEY}"}}}}'
    auth.evidence = {"sent": f"Bearer {CANARY_KEY}", "nested": [{"note": CANARY_KEY}]}
    auth.request_ids = [f"x-request-id: {CANARY_KEY}"]
    report.proxy_in_use = "http://user:pw-secret-77@proxy:8080"
    outputs = [
        render_json(report),
        render_json(report, lang="zh-CN"),
        json.dumps(report_to_dict(report), ensure_ascii=False),
        render_text(report),
        render_text(report, "zh-CN", color=True),
        render_markdown(report),
        render_markdown(report, "zh-CN"),
    ]
    for out in outputs:
        assert CANARY_KEY not in out
        assert CANARY_KEY[3:-4] not in out
        assert "pw-secret-77" not in out
        assert "sk-…3210" in out


def test_textwidth_helpers() -> None:
    assert cell_width("鉴权") == 4 and cell_width("auth") == 4 and cell_width("e\u0301") == 1
    assert pad("鉴权", 6) == "鉴权  "
    assert truncate("诊断报告诊断报告", 7) == "诊断报…" and truncate("abc", 5) == "abc"
    assert columns([["a", "鉴权", "x"], ["bbb", "c", "y"]]) == ["a    鉴权  x", "bbb  c     y"]
    assert columns([]) == []
