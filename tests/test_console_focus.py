"""Typing never fires shortcuts, focus is always visible, Esc leaves a text box, and
the keys are discoverable (issue 15): footer keys and numbered tabs, F2–F6 in the
chat footer, /help and /models in the transcript (never clipped at 80×24), a
scenario picker that filters as you type; selecting a profile is not saving it,
unsaved edits ask before closing."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, OptionList, TextArea

from tests.support.console import (
    FakeClipboard,
    ScriptedEngine,
    all_passed,
    fake_target,
    plain,
    wait_for,
)
from tests.support.servers import MODELS_BODY, Conn, RawServer
from tui.core.diagnosis.model import Target
from tui.ui.app import GatewayDoctorApp
from tui.ui.screens.main import MainScreen

SIZES = [(80, 24), (100, 30), (120, 40), (160, 45)]
SHORTCUTS = "rRcesdwpkqltz?123"


def make_app(**kw) -> GatewayDoctorApp:
    engine = kw.pop("engine", None) or ScriptedEngine(all_passed())
    kw.setdefault("system_copy", FakeClipboard())
    kw.setdefault("animate_spinner", False)
    return GatewayDoctorApp(kw.pop("target", fake_target()), engine=engine, **kw)


class FakeDemo:
    """Enough of the demo gateway for ``s`` to be live."""

    def scenario_url(self, name: str) -> str:
        return f"http://127.0.0.1:9/scenario/{name}/v1"


def footer(app) -> str:
    return app.screen._compositor.render_strips()[-1].text


def lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


# ----- shortcuts while typing ---------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_after_shift_tab_typing_goes_to_the_message_box_and_2_returns(size):
    app = make_app(demo=FakeDemo(), scenario="healthy")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        box = app.main.query_one("#chat-input", Input)
        await pilot.press("2")
        assert app.focused is box
        await pilot.press("shift+tab")
        assert app.focused is not box
        await pilot.press("2")  # was: stayed on the transcript
        assert app.focused is box
        await pilot.press("shift+tab", *"hello", "space", *"/models s")
        await pilot.pause()
        assert box.value.startswith("hello") and "/models s" in box.value
        assert app.lang == "en" and isinstance(app.screen, MainScreen)  # no l, no s picker
        assert app.main.query_one("#panes").active == "chat"


async def test_no_printable_key_is_a_shortcut_in_any_text_box():
    engine = ScriptedEngine(all_passed())
    app = make_app(engine=engine, demo=FakeDemo(), scenario="healthy")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        boxes = [w for w in app.main.query("*") if isinstance(w, Input | TextArea)]
        assert len(boxes) >= 5
        for box in boxes:
            app.main.query_one("#chat-system-box").collapsed = False
            box.focus()
            await pilot.pause()
            before = (app.main.query_one("#panes").active, len(engine.calls), app.theme)
            await pilot.press(*SHORTCUTS)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen), box
            assert app.lang == "en" and app.is_running, box
            assert (app.main.query_one("#panes").active, len(engine.calls), app.theme) == before
            assert app.focused is box, box


async def test_shortcuts_are_text_in_the_settings_and_scenario_boxes(memory_keyring):
    from tui.ui.screens.scenario import ScenarioScreen
    from tui.ui.screens.settings import SettingsScreen

    app = make_app(demo=FakeDemo(), scenario="healthy")
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#f-model", Input).focus()
        await pilot.press(*"qlt?")
        assert isinstance(app.screen, SettingsScreen) and app.lang == "en"
        assert app.screen.query_one("#f-model", Input).value.endswith("qlt?")
        await pilot.press("escape", "escape")  # unsaved: the first Esc asks
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScenarioScreen)
        await pilot.press(*"qlt")
        assert isinstance(app.screen, ScenarioScreen) and app.lang == "en" and app.is_running
        assert app.screen.query_one("#scenario-filter", Input).value == "qlt"


async def test_esc_leaves_the_inspector_filter_and_the_keys_work_again():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("3", "slash")
        await pilot.pause()
        assert app.focused is app.main.query_one("#inspector-filter")
        await pilot.press(*"abc", "escape")
        await pilot.pause()
        assert app.focused is app.main.query_one("#inspector-list")
        await pilot.press("1")
        await pilot.pause()
        assert app.main.query_one("#panes").active == "checks"


# ----- focus always visible -----------------------------------------------------------------
def _region(app, widget) -> list[tuple]:
    strips = app.screen._compositor.render_strips()
    r = widget.region
    return [
        tuple((seg.text, str(seg.style)) for seg in strips[y].crop(r.x, r.x + r.width))
        for y in range(r.y, r.y + r.height)
    ]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_every_focusable_widget_looks_different_when_focused(size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        seen: set[int] = set()
        for pane in ("1", "2", "3"):
            await pilot.press("escape", pane)
            await pilot.pause()
            shown = [w for w in app.main.query("*") if w.focusable and w.region.area]
            for widget in (w for w in shown if id(w) not in seen):
                seen.add(id(widget))
                app.main.set_focus(None)
                await pilot.pause()
                before = _region(app, widget)
                widget.focus()
                await pilot.pause()
                assert _region(app, widget) != before, f"{widget} shows no focus"


# ----- discoverability ----------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
async def test_footer_shows_the_console_keys_and_tabs_carry_numbers(size):
    app = make_app(demo=FakeDemo(), scenario="healthy")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.pause()
        foot = footer(app)
        for part in ("r Run", "c Copy", "e Evidence", "s Scenario", "p Profiles", "k Key"):
            assert part in foot, (size, foot)
        assert ("t Theme" in foot) is (size[0] >= 100)  # gives way to s at 80 columns
        assert foot.rstrip().endswith(("? Help", "▏^p palette")), foot  # nothing cut
        screen = "\n".join(lines(app))
        # numbered tabs below 120 columns, numbered pane borders (and "12345 Panes") above
        assert all(f"{n} {name}" in screen for n, name in enumerate(PANE_NAMES, 1))
        assert ("12345 Panes" in foot) is (size[0] >= 120)
        await pilot.press("2")
        await pilot.pause()
        assert "F2–F6 Quick tests" in footer(app)
        await pilot.press("escape", "l")
        await pilot.pause()
        assert "2 对话" in "\n".join(lines(app))
        assert ("12345 面板" in footer(app)) is (size[0] >= 120)


PANE_NAMES = ("Checks", "Chat", "Inspector")


async def test_wizard_key_shows_in_the_footer_when_nothing_is_configured():
    app = make_app(target=Target(base_url="https://x.test/v1"), sources={"base_url": "preset"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        foot = footer(app)
        assert "w Wizard" in foot and "d Demo" in foot and "k Key" in foot
        assert foot.rstrip().endswith("? Help"), foot  # nothing cut at 80 columns
        assert "c Copy" not in foot and "e Evidence" not in foot  # nothing to copy or show


async def test_help_and_models_answer_in_the_transcript_unclipped_at_80x24():
    async def handler(conn: Conn) -> None:
        while await conn.read_request() is not None:
            await conn.respond(200, [("Content-Type", "application/json")], MODELS_BODY)

    with RawServer(handler) as server:
        target = Target(base_url=server.url + "/v1", api_key="sk-FAKE-focus-0000000000", model="m")
        app = make_app(target=target, sources={"base_url": "flag", "key": "flag"})
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.report is not None)
            await pilot.press("2", *"/help", "enter")
            await pilot.pause(0.3)
            note = app.main.query(".chat-note").last()
            assert note.region.height >= 4 and note.size.height == note.virtual_size.height
            shown = "".join(lines(app)).replace(" ", "")
            assert "Ctrl+Ycopysummary." in shown  # the end of the help is on screen
            await pilot.press(*"/models", "enter")
            await wait_for(pilot, lambda: len(app.main.query(".chat-note")) == 2)
            listed = plain(app.main.query(".chat-note").last().render())
            models = [m["id"] for m in json.loads(MODELS_BODY)["data"]]
            assert all(f"• {m}" in listed for m in models), listed


async def test_scenario_picker_filters_as_you_type():
    from tui.ui.screens.scenario import ScenarioScreen

    scenarios = {"healthy": "all good", "stream_cut": "stream ends", "slow_headers": "slow"}
    screen = ScenarioScreen(scenarios, "healthy", "en")
    app = make_app(demo=FakeDemo(), scenario="healthy")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        picked: list[str | None] = []
        app.push_screen(screen, picked.append)
        await pilot.pause()
        await pilot.press(*"stream")
        await pilot.pause()
        options = screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "stream_cut"
        ]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press("backspace", *"slow", "enter")
        await pilot.pause()
        assert picked == ["slow_headers"]


# ----- settings: selecting is not saving; unsaved edits ask ---------------------------------
async def test_clicking_a_profile_saves_nothing_and_use_switches_the_session(memory_keyring):
    from tui.core.setup.profiles import Profile, active_profile_name, add_profile, load_profile
    from tui.core.setup.target import resolve_target
    from tui.ui.screens.settings import SettingsScreen

    add_profile(Profile("work", "https://a.example.test/v1", "m1"), make_active=True)
    add_profile(Profile("other", "https://b.example.test/v1", "m2"))
    resolved = resolve_target()
    app = make_app(target=resolved.target, sources=resolved.sources)
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("p")
        await pilot.pause()
        olist = app.screen.query_one("#profile-list", OptionList)
        olist.focus()
        olist.highlighted = [olist.get_option_at_index(i).id for i in range(2)].index("other")
        await pilot.press("enter")  # what a click does
        await pilot.pause()
        assert active_profile_name() == "work"  # was: written as the default
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen))
        assert app.target.profile == "work"
        # Use: the session follows, and it is the default next time (the message says so)
        await pilot.press("p")
        await pilot.pause()
        olist = app.screen.query_one("#profile-list", OptionList)
        olist.highlighted = [olist.get_option_at_index(i).id for i in range(2)].index("other")
        await pilot.pause()
        await pilot.click("#use-profile")
        await pilot.pause()
        assert "Using 'other' now" in str(app.screen.query_one("#settings-message").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.target.profile == "other")
        assert app.target.base_url == "https://b.example.test/v1"
        assert active_profile_name() == "other"
        # An edited base URL is not thrown away by one Esc
        await pilot.press("p")
        await pilot.pause()
        box = app.screen.query_one("#f-base_url", Input)
        box.focus()
        await pilot.press("end", *"/x")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "Unsaved changes" in str(app.screen.query_one("#settings-message").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen))
        assert load_profile("other").base_url == "https://b.example.test/v1"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_the_inspector_keys_fit_the_footer_at_80x24(lang):
    from tui.ui.bindings import described
    from tui.ui.footer import SHORT_LABELS
    from tui.ui.labels import t
    from tui.ui.widgets.inspector import InspectorPane

    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("3")
        await pilot.pause()
        foot = footer(app)
        for binding in InspectorPane.BINDINGS:
            key, action = binding.key, binding.action
            shown_key = "/" if key == "slash" else key
            short = SHORT_LABELS.get(action)  # narrow: the short label (tui/ui/footer.py)
            text = t(short, lang) if short else described(binding, lang).description
            assert f"{shown_key} {text}" in foot, (lang, foot)
        assert f"q {t('b.quit', lang)}" in foot and f"? {t('b.help', lang)}" in foot, foot


async def test_moving_to_another_profile_with_unsaved_edits_asks_first(memory_keyring):
    from tui.core.setup.profiles import Profile, add_profile
    from tui.ui.screens.settings import SettingsScreen

    add_profile(Profile("work", "https://a.example.test/v1", "m1"), make_active=True)
    add_profile(Profile("other", "https://b.example.test/v1", "m2"))
    app = make_app()
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await wait_for(pilot, lambda: screen.query_one("#f-name", Input).value == "work")
        screen.query_one("#f-base_url", Input).focus()
        await pilot.press("end", *"/x")
        olist = screen.query_one("#profile-list", OptionList)
        ids = [olist.get_option_at_index(i).id for i in range(olist.option_count)]
        olist.highlighted = ids.index("other")
        await pilot.pause()
        assert screen.query_one("#f-base_url", Input).value == "https://a.example.test/v1/x"
        assert "Unsaved changes to 'work'" in str(screen.query_one("#settings-message").render())
        assert olist.highlighted == ids.index("work")
        olist.highlighted = ids.index("other")  # again: the edits go
        await pilot.pause()
        assert screen.query_one("#f-base_url", Input).value == "https://b.example.test/v1"
