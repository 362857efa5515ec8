"""Notes on exchanges ("not needed: …", "balance read again") in the user's language."""

from __future__ import annotations

from tests.support.targets import target_for
from tui.core.diagnosis.engine import run_checks
from tui.core.inspect.format import response_head
from tui.core.net.exchange import ExchangeLog, masked_exchange
from tui.core.net.notes import note_ids, note_text


async def test_a_request_no_step_used_is_noted_in_chinese_and_english(demo_gateway) -> None:
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("invalid_key")), log)
    assert report.by_id("auth").code == "auth.invalid_key"
    unused = [ex for ex in log.all() if "check.overlap.not_needed" in note_ids(ex)]
    assert unused, [(ex.step, ex.note) for ex in log.all()]
    ex = masked_exchange(unused[0])
    assert ex.note.startswith("not needed")  # recorded data stays English (exports, logs)
    zh = note_text(ex, "zh-CN")
    assert "not needed" not in zh and "鉴权" in zh, zh
    assert f"# {zh}" in response_head(ex, "zh-CN")
    assert f"# {ex.note}" in response_head(ex, "en")


async def test_support_summary_exchange_lines_speak_the_language(demo_gateway) -> None:
    from tui.core.diagnosis.summary import support_summary

    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("invalid_key")), log)
    zh = support_summary(report, lang="zh-CN", log=log)
    en = support_summary(report, lang="en", log=log)
    lines_zh = [ln for ln in zh.splitlines() if "→" in ln]
    lines_en = [ln for ln in en.splitlines() if "→" in ln]
    assert lines_zh and len(lines_zh) == len(lines_en)
    assert any("连接" in ln for ln in lines_zh), lines_zh
    assert not any(w in ln for ln in lines_zh for w in ("connect ", "ttfb", "transfer")), lines_zh
    assert any("connect " in ln for ln in lines_en), lines_en


def test_an_exchange_without_an_answer_says_what_happened_in_the_language() -> None:
    from tui.core.inspect.format import haystack, list_row, status_text
    from tui.core.net.exchange import Exchange

    ex = Exchange("ex-0001", "model", "2026-12-02T00:00:00Z", "POST", "http://127.0.0.1/v1/x")
    ex.error_kind = "total_timeout"
    assert status_text(ex, "zh-CN") == "总时限到" and list_row(ex, "zh-CN")[3] == "总时限到"
    assert status_text(ex, "en") == "time limit"
    # The filter finds it by its kind and by its label in either language.
    for word in ("total_timeout", "time limit", "总时限到"):
        assert word in haystack(ex)
    ex.error_kind = "something_new"
    assert status_text(ex, "zh-CN") == "出错" and status_text(ex, "en") == "error"
