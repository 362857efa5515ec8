"""The console's Trial pane: a live run against the demo gateway (budget modal, stages
filling in, the failing stage expanded with its support summary), a declined budget
sends nothing, the palette command, and snapshots of a finished run in both languages."""

from __future__ import annotations

import pytest

from tests.conftest import FAKE_KEY
from tests.support.console import all_passed, screen_text, wait_for
from tests.support.host import settle
from tests.test_console_live import live_app
from tests.test_snapshots_console import app_for
from tui.core.diagnosis.model import Status
from tui.core.i18n.catalogue import msg
from tui.core.trial.codes import STAGES
from tui.core.trial.model import Settings, StageResult, TrialRun
from tui.ui.widgets.trial_view import ConfirmTrial, TrialView


def _view(app) -> TrialView:
    return app.main.query_one("#trial-pane", TrialView)


async def _open(pilot, app) -> TrialView:
    await wait_for(pilot, lambda: app.report is not None and app.main.late_ready, timeout=15)
    await pilot.press("4")
    await pilot.pause()
    return _view(app)


async def test_a_live_trial_shows_each_stage_and_expands_the_failure(demo_gateway):
    app = live_app(demo_gateway.scenario_url("trial_code_escaped"))
    async with app.run_test(size=(140, 45)) as pilot:
        view = await _open(pilot, app)
        assert "Press g" in screen_text(app)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmTrial), timeout=10)
        budget = screen_text(app)
        assert "requests: 25" in budget and "Before sending anything" in budget
        await pilot.press("y")
        await wait_for(pilot, lambda: view.state == "done", timeout=30)
        await pilot.pause()
        statuses = {s: view.rows[s].status for s in STAGES}
        assert statuses["code"] is Status.FAIL
        assert all(v is Status.PASS for k, v in statuses.items() if k != "code"), statuses
        assert view.selected() is not None and view.selected().id == "code"
        text = screen_text(app)
        assert "trial.code.escaped" in text and "What to do" in text
        summary = str(view.query_one("#trial-summary").render())
        assert "Capability table" in summary and "trial.code.escaped" in summary
        assert FAKE_KEY not in app.export_screenshot() and FAKE_KEY not in summary


async def test_a_declined_budget_sends_nothing(demo_gateway):
    app = live_app(demo_gateway.scenario_url("healthy"))
    async with app.run_test(size=(140, 45)) as pilot:
        view = await _open(pilot, app)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmTrial), timeout=10)
        await pilot.press("n")
        await wait_for(pilot, lambda: view.state == "declined", timeout=5)
        assert not [e for e in app.exchange_log.all() if e.step.startswith("trial.")]
        assert "nothing was sent" in screen_text(app)


async def test_the_palette_command_starts_the_trial(demo_gateway):
    from tui.ui.commands import ConsoleCommands, _run_trial

    app = live_app(demo_gateway.scenario_url("healthy"))
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready, timeout=15)
        names = [name for name, _cb, _help in ConsoleCommands(app.screen).commands()]
        assert "Run the roll-out trial" in names
        _run_trial(app)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmTrial), timeout=10)
        await pilot.press("escape")
        await wait_for(pilot, lambda: _view(app).state == "declined", timeout=5)


def canned_run(report) -> TrialRun:
    """A finished trial with fixed figures (the snapshots must not move)."""
    stages = [
        StageResult("short", Status.PASS, "trial.short.ok",
                    msg("trial.detail.short.ok", ms=412.0, reply="OK"),
                    {"ttft_ms": 398.2, "total_ms": 412.0}, 12, 1, 412.0),
        StageResult("stream", Status.PASS, "trial.stream.ok",
                    msg("trial.detail.stream.ok", chunks=3, ms=405.0, gap=12.0),
                    {"ttft_ms": 405.0, "chunks": 3, "max_gap_ms": 12.0, "done": True}, 12, 1, 431.0),
        StageResult("long_reply", Status.FAIL, "trial.long_reply.cut",
                    msg("trial.detail.long_reply.cut", tokens=300, seconds=100.2,
                        cause=msg("trial.cause.limit_100s")),
                    {"tokens": 300, "tokens_per_s": 3.0, "finish": "-"}, 40, 300, 100200.0),
        StageResult("long_context", Status.FAIL, "trial.long_context.body_limit",
                    msg("trial.detail.long_context.body_limit", size=8192, kb=40.6,
                        works=msg("trial.detail.long_context.works", size=3072)),
                    {"size": 8192, "largest_ok": 3072, "body_kb": 40.6}, 16000, 10, 2210.0),
        StageResult("chinese", Status.PASS, "trial.chinese.ok", msg("trial.detail.chinese.ok"),
                    {"total_ms": 620.0}, 60, 32, 620.0),
        StageResult("code", Status.PASS, "trial.code.ok", msg("trial.detail.code.ok"),
                    {"total_ms": 640.0}, 80, 49, 640.0),
        StageResult("multi_turn", Status.PASS, "trial.multi_turn.ok",
                    msg("trial.detail.multi_turn.ok", fact="MARIGOLD-42"), {"turns": 3}, 90, 3, 1300.0),
        StageResult("batch", Status.WARN, "trial.batch.concurrency_limited",
                    msg("trial.detail.batch.concurrency_limited", n=4, ok=2, limit=2),
                    {"ok": "2/4", "rate_limited": 2, "limit": 2}, 24, 2, 700.0),
        StageResult("recovery", Status.PASS, "trial.recovery.ok",
                    msg("trial.detail.recovery.ok", chunks=10, ms=420.0),
                    {"abort_after": 10, "retry_ms": 420.0}, 30, 11, 900.0),
    ]  # fmt: skip
    return TrialRun(report.target, "2026-01-02T03:04:05Z", Settings(), stages, 104000.0)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_snapshot_trial_pane(snap_compare, pinned_clock, lang):
    async def show(pilot) -> None:
        await settle(pilot)
        app = pilot.app
        await wait_for(pilot, lambda: app.main.late_ready, timeout=15)
        await pilot.press("4")
        await pilot.pause()
        view = _view(app)
        view.show_run(canned_run(app.report), app.report)
        await pilot.pause()

    app = app_for(all_passed(), lang=lang)
    assert snap_compare(app, terminal_size=(140, 45), run_before=show)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_snapshot_budget_modal(snap_compare, pinned_clock, lang):
    from tui.core.trial.budget import budget_lines

    async def ask(pilot) -> None:
        await settle(pilot)
        lines = budget_lines(Settings(price_in=0.15, price_out=0.6), "gpt-4o-mini", lang)
        pilot.app.push_screen(ConfirmTrial(lines, lang))
        await pilot.pause()

    app = app_for(all_passed(), lang=lang)
    assert snap_compare(app, terminal_size=(100, 30), run_before=ask)
