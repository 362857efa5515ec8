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
