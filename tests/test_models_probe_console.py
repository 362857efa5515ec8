"""The console's model probe (issue 17): the confirmation modal above 10 models (y / n /
Esc, how many requests, which key) and stopping a running probe (Esc, the palette) with
what was measured kept and remembered. Over the demo gateway's ``model_mix`` (11 models;
deepseek-reasoner takes 1.5 s, gemini-1.5-pro answers 429 with Retry-After: 1 first).

Update the snapshots with ``pytest tests/test_models_probe_console.py --snapshot-update``
after checking the SVGs in ``tests/__snapshots__/test_models_probe_console/`` by eye.
"""

from __future__ import annotations

import time

import pytest

from tests.test_chat_ui import ChatTestApp, make_target, wait_models
from tests.test_models_picker import KEY, _wait_marks, _wait_modal
from tui.core.models import memory
from tui.ui.screens.confirm_probe import ConfirmProbe
from tui.ui.widgets import model_probe
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_settings import ModelFilterList

SLOW = "deepseek-reasoner"


def _status(app) -> str:
    return str(app.query_one("#chat-status").render())


async def _wait(pilot, ready, limit: float = 15.0) -> None:
    deadline = time.monotonic() + limit
    while not ready() and time.monotonic() < deadline:
        await pilot.pause(0.02)
    assert ready()


def _answered(app) -> int:
    return sum(1 for ex in app.exchange_log.all() if ex.step == "models" and ex.status)


@pytest.mark.parametrize("answer", ["escape", "n"])
async def test_no_or_esc_in_the_modal_sends_nothing(demo_gateway, answer) -> None:
    app = ChatTestApp(make_target(demo_gateway, "model_mix", key=KEY, timeout=5.0))
    async with app.run_test(size=(110, 30)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        pane.probe_models()
        await _wait_modal(pilot)
        await pilot.press(answer)
        await _wait(pilot, lambda: not isinstance(app.screen, ConfirmProbe))
        await pilot.pause(0.3)
        assert "Nothing was sent" in _status(app)
        assert not [ex for ex in app.exchange_log.all() if ex.step == "models"]
        assert not pane.probe_running


async def test_esc_stops_a_running_probe_and_keeps_what_was_measured(demo_gateway) -> None:
    target = make_target(demo_gateway, "model_mix", key=KEY, timeout=5.0)
    app = ChatTestApp(target)
    async with app.run_test(size=(110, 30)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        pane.probe_models()
        await _wait_modal(pilot)
        await pilot.press("y")
        await _wait(pilot, lambda: pane.probe_running and _answered(app) >= 3)
        assert "Esc stops" in _status(app)
        await pilot.press("escape")
        await _wait(pilot, lambda: "Probe stopped" in _status(app), limit=5.0)
        assert not pane.probe_running
        marks = app.query_one(ModelFilterList).marks
        assert marks["gpt-4o-mini"].startswith("✓ ")
        assert marks[SLOW] == "· not probed"
        status = _status(app)
        assert "models probed" in status and "the rest are not probed" in status
        app.lang = "zh-CN"
        pane.lang = "zh-CN"
        pane.show_marks()
        assert app.query_one(ModelFilterList).marks[SLOW] == "· 未探测"
    got, warning = memory.remembered_for(target)
    assert warning is None and "gpt-4o-mini" in got and SLOW not in got


async def test_the_palette_stops_a_running_probe(demo_gateway) -> None:
    from tests.test_console_live import live_app
    from tui.ui.commands import ConsoleCommands

    app = live_app(demo_gateway.scenario_url("model_mix"), autorun=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await _wait(pilot, lambda: app.main.late_ready)
        pane = app.main.query_one(ChatPane)
        await _wait(pilot, lambda: bool(pane.models))

        def names() -> list[str]:
            return [c[0] for c in ConsoleCommands(app.screen).commands()]

        assert "Stop the model probe" not in names()
        probe = next(c for c in ConsoleCommands(app.screen).commands() if c[0].startswith("Probe"))
        probe[1]()
        await _wait_modal(pilot)
        await pilot.press("y")
        await _wait(pilot, lambda: pane.probe_running and _answered(app) >= 2)
        stop = next(c for c in ConsoleCommands(app.screen).commands() if c[0].startswith("Stop"))
        assert "results so far are kept" in stop[2]
        stop[1]()
        await _wait(pilot, lambda: "Probe stopped" in _status(app), limit=5.0)
        assert app.main.query_one(ModelFilterList).marks[SLOW] == "· not probed"
        assert "Stop the model probe" not in names()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_snapshot_the_probe_confirmation(snap_compare, demo_gateway, monkeypatch, lang):
    monkeypatch.setattr(model_probe, "key_label", lambda key: ("sk-…cdef", "k-3f9a1c"))
    app = ChatTestApp(make_target(demo_gateway, "model_mix", key=KEY), lang, fixed_timings=True)

    async def run_before(pilot) -> None:
        pane = pilot.app.query_one(ChatPane)
        await wait_models(pilot, pane)
        pane.probe_models()
        await _wait_modal(pilot)

    assert snap_compare(app, terminal_size=(100, 24), run_before=run_before)


async def test_the_yes_button_probes(demo_gateway) -> None:
    app = ChatTestApp(make_target(demo_gateway, "model_mix", key=KEY, timeout=5.0), "zh-CN")
    async with app.run_test(size=(110, 30)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        pane.probe_models()
        await _wait_modal(pilot)
        shown = "\n".join(str(w.render()) for w in app.screen.query("Label, Static"))
        assert "探测 11 个模型？" in shown and "这会发送 11 个请求" in shown and KEY not in shown
        await pilot.click("#probe-yes")
        listing = app.query_one(ModelFilterList)
        await _wait_marks(pilot, listing)
        assert listing.marks["gpt-4-32k"].startswith("✗ model.unavailable")
