"""One-line details: written from the result's message, live-switchable, never a hole."""

from __future__ import annotations

from tui.core.diagnosis.detail import detail_for, localize
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.i18n.catalogue import msg


def _config_ok() -> CheckResult:
    said = msg("check.config.ok", base_url="http://gw.test/v1", model="m", key="sk-…1234")
    return CheckResult(id="config", status=Status.PASS, code="config.ok", message=said)


def test_config_line_keeps_the_masked_key_in_chinese() -> None:
    assert detail_for(_config_ok(), "zh-CN") == "http://gw.test/v1 · 模型 m · 密钥 sk-…1234"


def test_switching_back_and_forth_after_a_chinese_run() -> None:
    r = localize(_config_ok(), "zh-CN")
    assert r.detail == "http://gw.test/v1 · 模型 m · 密钥 sk-…1234"
    assert detail_for(r, "en") == "http://gw.test/v1 · model m · key sk-…1234"
    assert detail_for(r, "zh-CN") == r.detail


def test_a_missing_fact_shows_its_name_not_a_crash() -> None:
    r = CheckResult("config", Status.PASS, "config.ok", message=msg("check.config.ok", model="m"))
    assert "{base_url}" in detail_for(r, "zh-CN") and "模型 m" in detail_for(r, "zh-CN")
