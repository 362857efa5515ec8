"""The chat pane's model picker with probe results: a probe from the pane (palette's
path) and from the picker's own entry, the marks it shows, and snapshots (en, zh-CN).

Update the snapshots with ``pytest tests/test_models_picker.py --snapshot-update`` after
checking the SVGs in ``tests/__snapshots__/test_models_picker/`` by eye.
"""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input

from tests.support.host import settle
from tests.test_chat_ui import ChatTestApp, make_target, wait_models
from tui.core.models import memory
from tui.core.models.probe import ProbeResult
from tui.ui.screens.confirm_probe import ConfirmProbe
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_settings import ModelFilterList

KEY = "sk-test-FAKE-picker-0123456789abcdef"
NOW = 1_800_000_000.0


class _Clock:
    @staticmethod
    def time() -> float:
        return NOW


async def _wait_marks(pilot, listing: ModelFilterList, limit: float = 15.0) -> None:
    deadline = time.monotonic() + limit
    while "gpt-4-32k" not in listing.marks and time.monotonic() < deadline:
        await pilot.pause(0.05)


async def _wait_modal(pilot, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not isinstance(pilot.app.screen, ConfirmProbe) and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert isinstance(pilot.app.screen, ConfirmProbe)
    await pilot.pause(0.1)  # not settle(): the probe's worker waits for the answer


def _modal_text(app) -> str:
    box = app.screen.query_one("#probe-confirm")
    return "\n".join(str(w.render()) for w in box.query("Label, Static"))


async def test_a_probe_fills_the_picker_and_is_remembered(demo_gateway, tmp_path) -> None:
    target = make_target(demo_gateway, "model_mix", key=KEY, timeout=5.0)
    app = ChatTestApp(target)
    async with app.run_test(size=(110, 30)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        listing = app.query_one(ModelFilterList)
        assert listing.marks == {}
        pane.probe_models()  # 11 models: a modal says how many requests, and waits
        await _wait_modal(pilot)
        shown = _modal_text(app)
        assert "Probe 11 models?" in shown and "This sends 11 requests" in shown
        assert "Key: sk-…cdef (key id " in shown and KEY not in shown
        await pilot.press("n")  # no: nothing is sent
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmProbe)
        assert "Nothing was sent" in str(app.query_one("#chat-status").render())
        assert not [ex for ex in app.exchange_log.all() if ex.step == "models"]
        pane.probe_models()
        await _wait_modal(pilot)
        await pilot.press("y")  # yes: it goes
        await _wait_marks(pilot, listing)
        await settle(pilot)
        marks = listing.marks
        assert marks["gpt-4o-mini"].startswith("✓ ") and "ms · just now" in marks["gpt-4o-mini"]
        assert marks["gpt-4-32k"] == "✗ model.unavailable · just now"
        assert marks["claude-3-opus"].startswith("✗ balance.insufficient")
        status = str(app.query_one("#chat-status").render())
        assert "8 work" in status
        # every probe is in the exchange log (the inspector shows them), key masked
        probes = [ex for ex in app.exchange_log.all() if ex.step == "models"]
        assert len(probes) >= 11 and all(KEY not in str(ex.request_headers) for ex in probes)
    got, warning = memory.remembered_for(target)
    assert warning is None and got["o1-pro"].code == "model.not_permitted"
    assert KEY not in (tmp_path / "state" / memory.FILE_NAME).read_text()


async def test_the_picker_entry_probes(demo_gateway) -> None:
    target = make_target(demo_gateway, "model_mix", key=KEY, timeout=5.0)
    app = ChatTestApp(target)
    async with app.run_test(size=(110, 30)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        box = app.query_one("#chat-model", Input)
        box.focus()
        box.value = "gpt-4"
        await pilot.pause()
        listing = app.query_one(ModelFilterList)
        assert listing.display and listing.option_count == 5  # 4 models + "Probe models"
        assert "Probe models" in str(listing.get_option_at_index(4).prompt)
        await pilot.press("down", "end", "enter")  # the modal says how many requests
        await _wait_modal(pilot)
        await pilot.click("#probe-yes")  # the Yes button goes
        await _wait_marks(pilot, listing)
        assert listing.marks["gpt-4-32k"].startswith("✗ model.unavailable")


def _remembered(demo_gateway) -> None:
    target = make_target(demo_gateway, "model_mix", key=KEY)
    results = [
        ProbeResult("gpt-4o-mini", "pass", "model.ok", latency_ms=320.0),
        ProbeResult("gpt-4o", "pass", "model.ok", latency_ms=412.0),
        ProbeResult("gpt-4-32k", "fail", "model.unavailable", latency_ms=40.0),
        ProbeResult("gpt-4.5-preview", "warn", "model.rate_limited", latency_ms=8.0),
    ]
    memory.remember(target, results, now=NOW - 300)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_snapshot_picker_shows_the_last_probe(snap_compare, demo_gateway, monkeypatch, lang):
    _remembered(demo_gateway)
    monkeypatch.setattr(memory, "time", _Clock)
    app = ChatTestApp(make_target(demo_gateway, "model_mix", key=KEY), lang, fixed_timings=True)

    async def run_before(pilot) -> None:
        pane = pilot.app.query_one(ChatPane)
        await wait_models(pilot, pane)
        await settle(pilot)
        box = pilot.app.query_one("#chat-model", Input)
        box.focus()
        box.value = "gpt-4"
        await pilot.pause()
        pane.set_status("")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 20), run_before=run_before)


async def test_the_palette_command_probes_in_the_console(demo_gateway) -> None:
    from tests.test_console_live import live_app
    from tui.ui.commands import ConsoleCommands

    app = live_app(demo_gateway.scenario_url("model_mix"), autorun=False)
    async with app.run_test(size=(140, 40)) as pilot:
        deadline = time.monotonic() + 15
        while not app.main.late_ready and time.monotonic() < deadline:
            await pilot.pause(0.05)
        pane = app.main.query_one(ChatPane)
        while not pane.models and time.monotonic() < deadline:
            await pilot.pause(0.05)
        commands = ConsoleCommands(app.screen).commands()
        name, probe, help_text = next(c for c in commands if c[0].startswith("Probe models"))
        assert "✓ latency or ✗ code" in help_text
        probe()
        await _wait_modal(pilot)  # 11 models: the modal first
        await pilot.press("y")
        listing = app.main.query_one(ModelFilterList)
        await _wait_marks(pilot, listing)
        assert listing.marks["o1-pro"].startswith("✗ model.not_permitted")
        app.lang = "zh-CN"
        await pilot.pause()
        assert listing.marks["o1-pro"] == "✗ model.not_permitted · 刚刚"
        names = [n for n, _, _ in ConsoleCommands(app.screen).commands()]
        assert "探测模型：这个密钥能用哪些模型" in names
