"""The trial's support summary (issue 16 review, HIGH 2): it leads with the trial (verdict,
failing stage, code, what was seen, tokens and cost), then the capability table, then
the checklist as context; ``c`` in the Trial pane copies it, not the checklist's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from tests.conftest import FAKE_KEY
from tests.support.console import wait_for
from tests.support.targets import target_for
from tests.test_console_live import live_app
from tui.core.net.exchange import ExchangeLog
from tui.core.trial.model import Settings
from tui.core.trial.runner import run_trial
from tui.core.trial.summary import trial_summary
from tui.ui.widgets.trial_view import ConfirmTrial, TrialView

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def failed_run(demo_gateway):
    target = target_for(demo_gateway.scenario_url("trial_body_limit"), timeout=5.0)
    settings = Settings(stages=("short", "long_context"), price_in=0.15, price_out=0.6)
    log = ExchangeLog()
    run, report = asyncio.run(run_trial(target, log, settings, env={}))
    assert report.verdict == "pass" and run.verdict == "fail"
    return run, report, log


def test_the_summary_leads_with_the_failed_trial(failed_run):
    run, report, log = failed_run
    s = trial_summary(run, report, "en", log, NOW)
    head = s.split("Capability table:")[0]
    assert s.startswith("Roll-out trial summary\n")
    assert "Trial verdict:" in head and "failed" in head
    assert "Long context (failed)" in head and "trial.long_context.body_limit" in head
    assert "413" in head and str(run.by_id("long_context").figures["largest_ok"]) in head
    assert "Tokens spent:" in head and "Cost:" in head and "USD" in head
    assert "every check passed" not in head  # the checklist comes after, as context
    assert s.index("Capability table:") < s.index("Checklist (context):")
    assert s.index("Checklist (context):") < s.index("every check passed")
    assert FAKE_KEY not in s


def test_the_summary_in_chinese(failed_run):
    run, report, log = failed_run
    s = trial_summary(run, report, "zh-CN", log, NOW)
    head = s.split("能力表")[0]
    assert s.startswith("试运行摘要\n")
    assert "试运行结论：" in head and "出问题的阶段：" in head and "已用 token：" in head
    assert "trial.long_context.body_limit" in head and "413" in head
    assert s.index("能力表") < s.index("检查清单（背景信息）")


def test_a_passed_trial_says_no_stage_failed(demo_gateway):
    target = target_for(demo_gateway.scenario_url("healthy"), timeout=5.0)
    run, report = asyncio.run(run_trial(target, ExchangeLog(), Settings(stages=("short",)), env={}))
    s = trial_summary(run, report, "en")
    assert "Failing stage:" in s and "none, every stage passed" in s


async def test_c_in_the_trial_pane_copies_the_trials_summary(demo_gateway, tmp_path):
    app = live_app(demo_gateway.scenario_url("trial_code_escaped"))
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready, timeout=15)
        await pilot.press("4")
        await pilot.pause()
        view = app.main.query_one("#trial-pane", TrialView)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmTrial), timeout=10)
        await pilot.press("y")
        await wait_for(pilot, lambda: view.state == "done", timeout=40)
        await pilot.pause()
        view.focus_main()
        await pilot.press("c")
        await pilot.pause()
        copied = app.last_copy.path.read_text()
        assert copied.startswith("Roll-out trial summary")
        assert "trial.code.escaped" in copied.split("Capability table")[0]
        shown = str(view.query_one("#trial-summary").render())
        assert shown.startswith("Roll-out trial summary")
        assert FAKE_KEY not in copied
