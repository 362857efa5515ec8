"""Chinese one-line details: composed from facts, live-switchable, never a hole."""

from __future__ import annotations

from tui.core.diagnosis.detail import detail_for, localize
from tui.core.diagnosis.model import CheckResult, Status


def _config_ok() -> CheckResult:
    return CheckResult(
        id="config",
        status=Status.PASS,
        code="config.ok",
        detail="http://gw.test/v1 · model m · key sk-…1234",
        evidence={"base_url": {"base_url": "http://gw.test/v1"}, "model": "m"},
    )


def test_config_line_keeps_the_masked_key_in_chinese() -> None:
    assert detail_for(_config_ok(), "zh-CN") == "http://gw.test/v1 · 模型 m · 密钥 sk-…1234"


def test_switching_back_and_forth_after_a_chinese_run() -> None:
    r = localize(_config_ok(), "zh-CN")
    assert "模型" in r.detail
    assert detail_for(r, "en") == "http://gw.test/v1 · model m · key sk-…1234"
    assert detail_for(r, "zh-CN") == r.detail


def test_missing_facts_fall_back_to_the_title() -> None:
    r = CheckResult(id="network", status=Status.PASS, code="network.ok", detail="x", evidence={})
    text = detail_for(r, "zh-CN")
    assert "None" not in text and "?" not in text and text
