"""Settings screen and first-run wizard: snapshots, and real flows (demo gateway)."""

from __future__ import annotations

import os
from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, OptionList, Static

from tests.conftest import CANARY_KEY, FAKE_KEY
from tests.support.host import HostApp
from tests.support.keyrings import MemoryKeyring
from tui.core.setup.config import config_path
from tui.core.setup.profiles import (
    Profile,
    active_profile_name,
    add_profile,
    list_profiles,
    load_profile,
)
from tui.ui.screens.settings import SettingsScreen
from tui.ui.screens.wizard import FirstRunWizard

SIZE = (110, 36)


def ScreenApp(make_screen: Callable[[], Screen], lang: str = "en") -> HostApp:
    """The screen alone, pushed as the console pushes it (``result``: what it returned)."""
    return HostApp(screen=make_screen, lang=lang, title="ScreenApp")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def two_profiles(kr: MemoryKeyring | None = None) -> None:
    add_profile(Profile("work", "https://api.alltkn.com/api/v1", "gpt-4o-mini"), make_active=True)
    add_profile(
        Profile(
            "chatbox-gw",
            "https://gw.example.test/api/v1",
            "qwen-max",
            client_label="Chatbox",
            client_host="https://gw.example.test/api/v1",
            client_path="/v1/chat/completions",
        )
    )
    if kr is not None:
        kr.store[("gateway-doctor", "work")] = FAKE_KEY


# ----- snapshots --------------------------------------------------------------------------
def test_snapshot_settings(snap_compare, memory_keyring):
    two_profiles(memory_keyring)
    assert snap_compare(ScreenApp(SettingsScreen), terminal_size=SIZE, run_before=settle)


def test_snapshot_settings_chinese_imported_profile_warns(snap_compare, memory_keyring):
    two_profiles(memory_keyring)

    async def pick_imported(pilot):
        await settle(pilot)
        pilot.app.screen.query_one("#profile-list", OptionList).highlighted = 0  # chatbox-gw
        await settle(pilot)

    app = ScreenApp(SettingsScreen, lang="zh-CN")
    assert snap_compare(app, terminal_size=SIZE, run_before=pick_imported)


def test_snapshot_wizard_first_step(snap_compare):
    assert snap_compare(ScreenApp(FirstRunWizard), terminal_size=SIZE, run_before=settle)


def test_snapshot_wizard_key_step_is_masked(snap_compare):
    async def to_key_step(pilot):
        await settle(pilot)
        await click_next(pilot)
        await pilot.press(*CANARY_KEY[:12])
        await settle(pilot)

    assert snap_compare(ScreenApp(FirstRunWizard), terminal_size=SIZE, run_before=to_key_step)


# ----- settings flows ---------------------------------------------------------------------
async def test_settings_new_profile_with_key(memory_keyring):
    app = ScreenApp(SettingsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#f-preset").value == "alltkn"  # no profiles: a new one
        screen.query_one("#f-name", Input).value = "mine"
        screen.query_one("#f-key", Input).value = CANARY_KEY
        await pilot.click("#save-profile")
        await settle(pilot)
        assert memory_keyring.store[("gateway-doctor", "mine")] == CANARY_KEY
        assert load_profile("mine").base_url == "https://api.alltkn.com/api/v1"
        assert CANARY_KEY.encode() not in config_path().read_bytes()
        status = str(screen.query_one("#key-status", Static).render())
        assert "sk-…3210" in status and CANARY_KEY not in status
        assert screen.query_one("#f-key", Input).value == ""
        await pilot.press("escape")
        await pilot.pause()
    assert app.result == "mine"


async def test_settings_preview_switch_and_delete(memory_keyring):
    two_profiles(memory_keyring)
    app = ScreenApp(SettingsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#f-base_url", Input).value = "https://api.alltkn.com/api"
        await pilot.pause()
        table = screen.query_one("#url-preview", DataTable)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        assert rows["OpenAI SDK"][1] == "https://api.alltkn.com/api/chat/completions"
        assert "no /v1" in rows["OpenAI SDK"][2]
        assert rows["Chatbox"][2] == "ok"
        # switch: highlight the other profile and press Use (the edited base URL is
        # unsaved: the first move asks, the second discards it)
        screen.query_one("#profile-list", OptionList).highlighted = 0
        await settle(pilot)
        assert "Unsaved changes" in str(screen.query_one("#settings-message").render())
        screen.query_one("#profile-list", OptionList).highlighted = 0
        await settle(pilot)
        await pilot.click("#use-profile")
        await settle(pilot)
        assert active_profile_name() == "chatbox-gw"
        # delete needs two presses
        await pilot.click("#delete-profile")
        await pilot.pause(0.3)  # a Button ignores presses while it shows the last one
        assert len(list_profiles()) == 2
        await pilot.click("#delete-profile")
        await settle(pilot)
        assert [p.name for p in list_profiles()] == ["work"]


async def test_settings_invalid_input_and_corrupt_config():
    config_path().parent.mkdir(parents=True)
    config_path().write_text("[profiles\n")
    app = ScreenApp(SettingsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        msg = str(app.screen.query_one("#settings-message", Static).render())
        assert "line 1" in msg
    config_path().unlink()
    app = ScreenApp(SettingsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#f-base_url", Input).value = "api.example.test"
        await pilot.click("#save-profile")
        await pilot.pause()
        msg = str(app.screen.query_one("#settings-message", Static).render())
        assert "must start with http" in msg
        assert list_profiles() == []


# ----- wizard flows -----------------------------------------------------------------------
async def click_next(pilot) -> None:
    """Click Next; wait out the button's press animation (it ignores presses meanwhile)."""
    await pilot.click("#wiz-next")
    await pilot.pause(0.25)


async def run_wizard(pilot, base_url: str, key: str) -> None:
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#preset-list", OptionList).highlighted = 7  # Custom
    await pilot.pause()
    screen.query_one("#w-name", Input).value = "demo"
    screen.query_one("#w-base_url", Input).value = base_url
    await click_next(pilot)
    await pilot.pause()
    screen.query_one("#w-key", Input).value = key
    await click_next(pilot)
    await settle(pilot)


async def test_wizard_lists_models_and_saves(demo_gateway, memory_keyring):
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await run_wizard(pilot, demo_gateway.scenario_url("healthy"), FAKE_KEY)
        screen = app.screen
        models = screen.query_one("#model-list", OptionList)
        ids = [models.get_option_at_index(i).id for i in range(models.option_count)]
        assert "gpt-4o-mini" in ids and "deepseek-chat" in ids
        models.highlighted = ids.index("deepseek-chat")
        await pilot.pause()
        assert screen.query_one("#w-model", Input).value == "deepseek-chat"
        await click_next(pilot)
        await settle(pilot)
    assert app.result == "demo"
    prof = load_profile()
    assert (prof.name, prof.model) == ("demo", "deepseek-chat")
    assert memory_keyring.store[("gateway-doctor", "demo")] == FAKE_KEY
    assert [ex.step for ex in app.exchange_log.all()] == ["models"]


async def test_wizard_model_list_failure_is_explained(demo_gateway, memory_keyring):
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await run_wizard(pilot, demo_gateway.scenario_url("invalid_key"), FAKE_KEY)
        status = str(app.screen.query_one("#models-status", Static).render())
        assert "401" in status and FAKE_KEY not in status
        app.screen.query_one("#w-model", Input).value = "gpt-4o-mini"
        await click_next(pilot)
        await settle(pilot)
    assert app.result == "demo"


async def test_wizard_without_keyring_keeps_key_for_session(demo_gateway, monkeypatch):
    monkeypatch.delenv("GATEWAY_DOCTOR_API_KEY", raising=False)
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        note = str(app.screen.query_one("#key-note", Static).render())
        await run_wizard(pilot, demo_gateway.scenario_url("healthy"), FAKE_KEY)
        await click_next(pilot)
        await settle(pilot)
    assert "GATEWAY_DOCTOR_API_KEY" in note and "keyrings.alt" in note and "NOT saved" in note
    assert app.result == "demo"
    assert app.session_keys == {"demo": FAKE_KEY}  # in memory, not in os.environ
    assert os.environ.get("GATEWAY_DOCTOR_API_KEY") is None


async def test_wizard_validates_and_cancels():
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#w-base_url", Input).value = "not a url"
        await click_next(pilot)
        await pilot.pause()
        msg = str(app.screen.query_one("#wizard-message", Static).render())
        assert "base URL" in msg
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None
    assert list_profiles() == []


def _visible(screen: Screen, selector: str) -> bool:
    """The widget is laid out fully inside the visible screen."""
    region = screen.query_one(selector).region
    return region.height > 0 and screen.region.contains_region(region)


async def test_small_terminal_shows_preview_and_buttons(memory_keyring):
    """At 80x24 Save stays on screen and the whole client URL preview can be scrolled to."""
    two_profiles(memory_keyring)
    app = ScreenApp(SettingsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        for sel in ("#save-profile", "#close-settings", "#f-key"):
            assert _visible(screen, sel), sel
        table = screen.query_one("#url-preview", DataTable)
        table.scroll_visible(animate=False)
        await settle(pilot)
        footer = screen.query_one("#settings-footer").region
        scroll = screen.query_one("#settings-scroll").region
        assert table.region.height >= 4  # header + Chatbox, Cherry Studio, OpenAI SDK
        assert scroll.contains_region(table.region)
        assert not table.region.overlaps(footer)


async def test_enter_on_a_model_finishes_the_wizard(demo_gateway, memory_keyring):
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await run_wizard(pilot, demo_gateway.scenario_url("healthy"), FAKE_KEY)
        models = app.screen.query_one("#model-list", OptionList)
        assert app.screen.focused is models
        models.highlighted = [
            models.get_option_at_index(i).id for i in range(models.option_count)
        ].index("gpt-4o")
        await pilot.press("enter")
        await settle(pilot)
    assert app.result == "demo"
    assert load_profile("demo").model == "gpt-4o"


async def test_key_pasted_as_base_url_is_never_shown():
    """A key pasted into the address field (a common slip) is masked wherever it is echoed."""
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#w-base_url", Input).value = CANARY_KEY
        await click_next(pilot)
        msg = str(app.screen.query_one("#wizard-message", Static).render())
        assert "base URL" in msg and CANARY_KEY not in msg
    app = ScreenApp(SettingsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#f-base_url", Input).value = CANARY_KEY
        await pilot.pause()
        table = app.screen.query_one("#url-preview", DataTable)
        cells = [str(c) for i in range(table.row_count) for c in table.get_row_at(i)]
        assert cells and not any(CANARY_KEY[3:-4] in c for c in cells), cells


async def test_small_terminal_wizard_reaches_the_base_url(memory_keyring):
    """At 80x24 the base URL field of step 1 scrolls into view when focused."""
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # choose the highlighted preset: focus moves to the URL
        await settle(pilot)
        field = app.screen.query_one("#w-base_url", Input)
        assert app.screen.focused is field
        x, y = field.region.offset
        assert app.screen.get_widget_at(x + 1, y)[0] is field  # on screen, not covered


async def test_wizard_refuses_a_key_in_the_address_without_echoing_it(demo_gateway, memory_keyring):
    """A key typed into the address (user:key@) is refused at step 1, and never shown."""
    host = demo_gateway.scenario_url("healthy").removeprefix("http://")
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#preset-list", OptionList).highlighted = 7  # Custom
        await pilot.pause()
        screen.query_one("#w-name", Input).value = "demo"
        screen.query_one("#w-base_url", Input).value = f"http://me:{CANARY_KEY}@{host}"
        await click_next(pilot)
        message = str(screen.query_one("#wizard-message", Static).render())
        assert "keyring" in message, message
        # (the address box itself shows what the user typed; the message never repeats it)
        assert CANARY_KEY[8:20] not in message
        assert screen.query_one("#w-key", Input).display is False or screen._step == 0


async def test_brackets_typed_or_sent_are_shown_as_text_not_markup():
    """'[/]' in a typed address (or in a gateway's words) is text: no MarkupError crash."""
    app = ScreenApp(SettingsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#f-base_url", Input).value = "https://h.test/[/]v1"
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        cells = [str(c) for i in range(table.row_count) for c in table.get_row_at(i)]
        assert any("[/]v1" in c for c in cells)
        app.screen.message("bad [/] value", error=True)
        await pilot.pause()
        assert "[/]" in str(app.screen.query_one("#settings-message", Static).render())
    app = ScreenApp(FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#w-base_url", Input).value = "not a url [/]"
        await click_next(pilot)
        await pilot.pause()
        assert "[/]" in str(app.screen.query_one("#wizard-message", Static).render())


async def test_the_last_steps_button_is_wide_enough_for_its_label():
    """Chinese at 80×24: 保存并开始检查 was cut to 保存并 (the button kept Next's width)."""
    from rich.cells import cell_len

    app = ScreenApp(FirstRunWizard, lang="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#preset-list", OptionList).highlighted = 7  # Custom
        screen.query_one("#w-name", Input).value = "demo"
        screen.query_one("#w-base_url", Input).value = "http://127.0.0.1:9/v1"
        screen.show_step(2)
        await pilot.pause()
        button = screen.query_one("#wiz-next", Button)
        label = str(button.label)
        assert label == "保存并开始检查"
        assert button.content_region.width >= cell_len(label), (button.region, label)
