"""Typing is text in the chat's model picker (issue 17 review, HIGH 1): once ↓ has moved
into the list, a letter goes back to the model box and filters; it never fires a console
shortcut (``q`` quit, ``t`` theme, ``p`` settings). Esc closes the list."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input

from tests.test_console_live import live_app
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_settings import ModelFilterList


async def _picker_open(pilot, app, clear: bool = False) -> tuple[Input, ModelFilterList]:
    deadline = time.monotonic() + 15
    while not app.main.late_ready and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await pilot.press("2")  # the chat pane
    pane = app.main.query_one(ChatPane)
    while not pane.models and time.monotonic() < deadline:
        await pilot.pause(0.05)
    box = app.main.query_one("#chat-model", Input)
    box.focus()
    await pilot.pause()
    await pilot.press("end", "backspace")  # the list opens
    if clear:
        box.value = ""  # every model listed
    await pilot.pause()
    listing = app.main.query_one(ModelFilterList)
    assert listing.display
    await pilot.press("down", "down")
    await pilot.pause()
    assert listing.has_focus
    return box, listing


async def test_the_footer_offers_no_letter_shortcut_in_the_list(demo_gateway) -> None:
    app = live_app(demo_gateway.scenario_url("model_mix"), autorun=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await _picker_open(pilot, app)
        await pilot.pause(0.2)
        footer = app.screen._compositor.render_strips()[-1].text  # noqa: SLF001
        assert "q Quit" not in footer and "t Theme" not in footer, footer
        assert "p Profiles" not in footer and "Compare" in footer, footer
        assert "Stop" not in footer, footer  # nothing streams (test_walk_ux_panes.py)


@pytest.mark.parametrize("letter", ["q", "t", "p", "x"])
async def test_a_letter_in_the_list_goes_to_the_model_box(demo_gateway, letter) -> None:
    app = live_app(demo_gateway.scenario_url("model_mix"), autorun=False)
    async with app.run_test(size=(160, 45)) as pilot:
        box, listing = await _picker_open(pilot, app)
        theme = app.theme
        before = box.value
        screens = len(app.screen_stack)
        await pilot.press(letter)
        await pilot.pause()
        assert app.is_running  # q did not quit
        assert app.theme == theme  # t did not toggle the theme
        assert len(app.screen_stack) == screens  # p did not open the settings
        assert box.has_focus and box.value == before + letter
        assert listing.display == (listing.filter(box.value) > 0)


async def test_typing_a_word_filters_and_esc_closes_the_list(demo_gateway) -> None:
    app = live_app(demo_gateway.scenario_url("model_mix"), autorun=False)
    async with app.run_test(size=(160, 45)) as pilot:
        box, listing = await _picker_open(pilot, app, clear=True)
        await pilot.press("p", "r", "o")
        await pilot.pause()
        assert box.value == "pro" and len(app.screen_stack) == 1
        assert listing.display and all("pro" in m.lower() for m in listing._shown)
        await pilot.press("down")
        await pilot.pause()
        assert listing.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert not listing.display and box.has_focus and box.value == "pro"


async def test_probe_models_after_typing_puts_the_model_name_back(demo_gateway) -> None:
    """Issue 17 review, LOW 7: typing ``l`` then choosing "Probe models" left ``l``."""
    from tests.test_chat_ui import ChatTestApp, make_target, wait_models
    from tui.ui.screens.confirm_probe import ConfirmProbe

    app = ChatTestApp(make_target(demo_gateway, "model_mix", timeout=5.0))
    async with app.run_test(size=(110, 30)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        box = app.query_one("#chat-model", Input)
        name = box.value
        assert name
        box.focus()
        await pilot.pause()
        await pilot.press("l")  # replaces the selected name: the list shows what has an l
        await pilot.pause()
        listing = app.query_one(ModelFilterList)
        assert box.value == "l" and listing.display
        await pilot.press("down", "end", "enter")  # "Probe models", last
        deadline = time.monotonic() + 10
        while not isinstance(app.screen, ConfirmProbe) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert isinstance(app.screen, ConfirmProbe)
        await pilot.press("n")
        await pilot.pause()
        assert box.value == name
