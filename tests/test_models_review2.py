"""Issue 17, second review: the model matrix's findings (burst typing in the picker,
stale suggestions, skipped ids, plural and the --profiles all JSON)."""

from __future__ import annotations

import unicodedata

import pytest
from textual import events

from tests.test_console_live import live_app
from tests.test_models_picker_keys import _picker_open


def _burst(app, text: str) -> None:
    """Several keys in one read (a laggy SSH link, a paste): no pause between them."""
    for ch in text:
        name = ch if ch.isalnum() else unicodedata.name(ch).lower().replace(" ", "_")
        event = events.Key(name, ch)
        event.set_sender(app)
        app._driver.send_message(event)  # noqa: SLF001


@pytest.mark.parametrize("burst", ["qt", "-model-1"])
async def test_a_burst_typed_in_the_list_lands_in_order(demo_gateway, burst) -> None:
    app = live_app(demo_gateway.scenario_url("many_models"), autorun=False)
    async with app.run_test(size=(160, 45)) as pilot:
        box, _listing = await _picker_open(pilot, app, clear=True)
        box.focus()
        await pilot.pause()
        await pilot.press("d", "e", "m", "o")
        await pilot.pause()
        assert box.value == "demo"
        await pilot.press("down")
        await pilot.pause()
        assert _listing.has_focus
        _burst(app, burst)
        for _ in range(5):
            await pilot.pause(0.05)
        assert box.value == "demo" + burst
        assert box.has_focus and box.cursor_position == len(box.value)
