"""Layout by CSS: the wide/narrow switch is a Textual breakpoint, the stylesheets say
what shows (app.tcss for the panes, chat.tcss for the chat's on-demand parts)."""

from __future__ import annotations

import pytest
from textual.widgets import TabPane

from tests.support.console import ScriptedEngine, all_passed, fake_target
from tests.support.host import settle
from tests.test_chat_ui import ChatTestApp, make_target
from tui.ui.app import GatewayDoctorApp
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.chat import ChatPane

ALL = {"checks", "chat", "inspector"}


def console() -> GatewayDoctorApp:
    return GatewayDoctorApp(
        fake_target(), engine=ScriptedEngine(all_passed()), system_copy=lambda text: None
    )


def shown(app: GatewayDoctorApp) -> set[str]:
    panes = list(app.screen.query(TabPane))
    # nothing forces a pane's display from Python: the stylesheet decides
    assert not [p.id for p in panes if p.styles.inline.has_rule("display")]
    return {p.id for p in panes if p.display}


@pytest.mark.parametrize(
    ("size", "wide"), [((160, 45), True), ((120, 40), True), ((100, 30), False), ((80, 24), False)]
)
async def test_the_stylesheet_shows_one_pane_when_narrow_and_all_when_wide(size, wide):
    app = console()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.has_class("-wide") is wide
        assert shown(app) == (ALL if wide else {"checks"})
        screen.show_pane("inspector")
        await pilot.pause()
        assert shown(app) == (ALL if wide else {"inspector"})
        # across the breakpoint and back: the class follows the width, the panes the class
        other = (100, 30) if wide else (140, 40)
        await pilot.resize_terminal(*other)
        await settle(pilot)
        assert screen.has_class("-wide") is not wide
        assert shown(app) == ({"inspector"} if wide else ALL)
        await pilot.resize_terminal(*size)
        await settle(pilot)
        assert screen.has_class("-wide") is wide
        assert shown(app) == (ALL if wide else {"inspector"})


def test_the_breakpoint_is_declared_not_computed():
    assert MainScreen.HORIZONTAL_BREAKPOINTS == [(120, "-wide")]
    assert not hasattr(MainScreen, "apply_layout")


async def test_the_chats_on_demand_parts_are_hidden_by_the_stylesheet(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(ChatPane)
        parts = ("#chat-model-list", "#chat-compare", "#chat-model-b")

        def displayed() -> set[str]:
            return {s for s in (*parts, "#chat-log") if pane.query_one(s).display}

        assert displayed() == {"#chat-log"}
        # compare mode is a class (-compare, -pick-b); the model list follows typing
        assert not [s for s in parts[1:] if pane.query_one(s).styles.inline.has_rule("display")]
        await pane.action_toggle_compare()  # no model B yet: its box asks for one
        await pilot.pause()
        assert displayed() == {"#chat-log", "#chat-model-b"}
        pane.start_compare("gpt-4o-mini", "deepseek-chat")
        await pilot.pause()
        assert displayed() == {"#chat-compare", "#chat-model-b"}
        await pane.action_toggle_compare()  # back to one transcript
        await pilot.pause()
        assert displayed() == {"#chat-log"}


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
async def test_trial_and_history_take_the_whole_screen_at_every_width(size):
    app = console()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        tabs = screen.query_one("#panes > ContentTabs")
        for solo in ("trial", "history"):
            await pilot.press(str(("trial", "history").index(solo) + 4))
            await settle(pilot)
            assert shown(app) == {solo} and screen.has_class("-solo")
            assert tabs.display  # the tab bar says where you are and how to go back
            pane_keys = [b for b in screen.active_bindings.values() if b.binding.group]
            assert not any(screen.footer_shows(b.binding) for b in pane_keys if b.binding.group)
        await pilot.press("2")
        await settle(pilot)
        wide = size[0] >= 120
        assert shown(app) == (ALL if wide else {"chat"}) and not screen.has_class("-solo")
        assert tabs.display is not wide
