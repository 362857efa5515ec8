"""Snapshots of the console (pytest-textual-snapshot).

Deterministic by construction: a scripted engine with canned results (fixed
durations), a fixed target URL (no demo port), a frozen spinner, a pinned
clock/OS/timezone for the support summary, a fake clipboard, and simple stub
panes for chat and inspector (their own issues snapshot them), so these
images change only when the console itself changes.
Update with: pytest tests/test_snapshots_console.py --snapshot-update
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import Static

from tests.support.console import (
    ScriptedEngine,
    all_passed,
    auth_failed,
    fake_target,
    stream_failed,
)
from tests.support.host import settle
from tui.ui.app import GatewayDoctorApp

WIDE = (140, 40)
NARROW = (80, 24)


@pytest.fixture(autouse=True)
def pinned_environment(pinned_clock):
    """Every snapshot here shows times and the OS line: pinned (tests/conftest.py)."""


def app_for(results, lang: str = "en", hold: str | None = None) -> GatewayDoctorApp:
    return GatewayDoctorApp(
        fake_target(),
        lang=lang,
        engine=ScriptedEngine(results, hold=hold),
        system_copy=lambda text: None,
        animate_spinner=False,
        now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"},
        chat_factory=lambda target, log, lang: Static("chat pane (stub)", id="chat-pane"),
        inspector_factory=lambda log, lang: Static("inspector pane (stub)", id="inspector-pane"),
    )


async def mid_run(pilot) -> None:
    """The scripted run is held in the auth step (its worker never completes), past the
    moment the other panes are built during a slow first run (LATE_PANES_AFTER)."""
    await pilot.app.engine.held.wait()
    while not pilot.app.main.late_ready:
        await pilot.pause(0.05)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def test_checks_running(snap_compare):
    assert snap_compare(app_for(all_passed(), hold="auth"), terminal_size=WIDE, run_before=mid_run)


def test_all_passed(snap_compare):
    assert snap_compare(app_for(all_passed()), terminal_size=WIDE, run_before=settle)


def test_auth_failure_expanded(snap_compare):
    assert snap_compare(app_for(auth_failed()), terminal_size=WIDE, run_before=settle)


def test_stream_failure_expanded(snap_compare):
    assert snap_compare(app_for(stream_failed()), terminal_size=WIDE, run_before=settle)


def test_narrow_80x24(snap_compare):
    assert snap_compare(app_for(auth_failed()), terminal_size=NARROW, run_before=settle)


def test_chinese(snap_compare):
    from tests.test_console_chinese import canned_results  # details as catalogue messages

    app = app_for(canned_results(), lang="zh-CN")
    assert snap_compare(app, terminal_size=WIDE, run_before=settle)


def test_command_palette(snap_compare):
    """The palette with a query: with none it lists every provider's commands in the
    order they happen to arrive (the system ones and ours race), which no snapshot can pin."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"evidence")
        await settle(pilot)
        await pilot.pause(0.3)  # the palette searches after a short debounce
        await settle(pilot)

    assert snap_compare(app_for(all_passed()), terminal_size=WIDE, run_before=run_before)


def test_light_theme(snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")  # the theme toggle
        await settle(pilot)

    assert snap_compare(app_for(auth_failed()), terminal_size=WIDE, run_before=run_before)


def test_chinese_settings_at_80x24(snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("p")  # profiles and settings
        await settle(pilot)

    app = app_for(all_passed(), lang="zh-CN")
    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)
