"""Units and plurals in the trial's output (issue 16 review, LOW 9): "1 chunk", seconds
from 10 s on, costs to 4 significant digits with their unit, the fix for a checklist
failure the trial waits for, which time is the long-context row's, 分块 in Chinese."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.support.targets import target_for
from tui.core.net.exchange import ExchangeLog
from tui.core.trial.budget import money
from tui.core.trial.model import Settings
from tui.core.trial.runner import run_trial
from tui.core.trial.table import figure, render_text, to_dict

ROOT = Path(__file__).resolve().parents[1]


def test_plurals_and_durations():
    assert figure("chunks", 1, "en") == "1 chunk" and figure("chunks", 3, "en") == "3 chunks"
    assert figure("abort_after", 1, "en") == "aborted after 1 chunk"
    assert figure("tokens", 1, "en") == "1 token"
    assert figure("total_ms", 24175.8, "en") == "total 24.2 s"
    assert figure("total_ms", 124.4, "en") == "total 124.4 ms"
    assert figure("ttft_ms", 12000.0, "zh-CN") == "首个 token 12.0 s"


def test_costs_are_rounded_and_carry_their_unit():
    assert money(0.658575) == "0.6586" and money(12.3456) == "12.35" and money(0) == "0"
    assert figure("abort_cost", 0.0, "en", "USD") == "abort cost 0 USD"
    assert figure("abort_cost", 0.001, "zh-CN", "CNY") == "中断的费用 0.0010 CNY"
    run = _run_with_price()
    assert "Cost: about 0.0000" not in render_text(run, "en")
    assert "Cost: about " in render_text(run, "en")


def _run_with_price():
    from tui.core.diagnosis.model import Status, Target
    from tui.core.trial.model import StageResult, TrialRun

    s = Settings(stages=("short",), price_in=150.0, price_out=600.0)
    res = StageResult("short", Status.PASS, "trial.short.ok", tokens_in=1000, tokens_out=850)
    run = TrialRun(Target(base_url="http://x/v1", model="m"), "", s, [res])
    text = render_text(run, "en")
    assert "Cost: about 0.6600 USD" in text, text  # 0.15 + 0.51
    return run


def test_a_checklist_failure_names_what_to_do(demo_gateway):
    target = target_for(demo_gateway.scenario_url("invalid_key"), timeout=5.0)
    run, _ = asyncio.run(run_trial(target, ExchangeLog(), Settings(stages=("short",)), env={}))
    text = render_text(run, "en")
    assert "waits for Authentication (auth.invalid_key)" in text
    assert "What to do for auth.invalid_key: The key is rejected (401). Copy the key" in text
    assert "auth.invalid_key 的处理办法：" in render_text(run, "zh-CN")


def test_the_long_context_row_says_which_time_is_which(demo_gateway):
    target = target_for(demo_gateway.scenario_url("trial_body_limit"), timeout=5.0)
    settings = Settings(stages=("long_context",))
    run, _ = asyncio.run(run_trial(target, ExchangeLog(), settings, env={}))
    res = run.by_id("long_context")
    assert "total_ms" not in res.figures and res.figures["first_try_ms"] <= res.elapsed_ms
    assert "first try" in render_text(run, "en")
    assert json.loads(json.dumps(to_dict(run, exit_code=1)))["exit_code"] == 1


def test_chinese_trial_text_says_fenkuai():
    zh = (ROOT / "tui/core/i18n/zh-CN/66-trial.toml").read_text(encoding="utf-8")
    assert "数据块" not in zh and "分块" in zh


def test_a_one_chunk_stream_says_chunk():
    from tui.core.i18n.catalogue import msg, render
    from tui.core.trial.stages import singular

    m = msg(singular("trial.detail.stream.ok", 1), chunks=1, ms=12.0, gap=0.0)
    assert render(m, "en") == "1 chunk, at 12 ms, [DONE] seen"
    assert singular("trial.detail.stream.ok", 3) == "trial.detail.stream.ok"
