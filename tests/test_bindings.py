"""Bindings as data: an id on each, descriptions in the console's language, the user's
[keymap] from the config file, and the help page's keys built from the active bindings."""

from __future__ import annotations

import pytest

from tests.support.console import wait_for
from tests.test_console_focus import make_app
from tui.core.setup.config import save_config
from tui.ui.app import GatewayDoctorApp
from tui.ui.bindings import described, known_ids, user_keymap, valid_key
from tui.ui.labels import t
from tui.ui.screens.confirm_probe import ConfirmProbe
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.key_prompt import KeyPrompt
from tui.ui.screens.main import MainScreen
from tui.ui.screens.scenario import ScenarioScreen
from tui.ui.screens.settings import SettingsScreen
from tui.ui.screens.wizard import FirstRunWizard
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.inspector import InspectorPane
from tui.ui.widgets.inspector_list import ExchangeList

#: Every class of the console that declares bindings: each made with bind(), with an id.
CLASSES = (
    GatewayDoctorApp, MainScreen, ChatPane, InspectorPane, HelpScreen, Checklist, ExchangeList,
    KeyPrompt, ScenarioScreen, SettingsScreen, FirstRunWizard, ConfirmProbe,
)  # fmt: skip


def test_every_binding_has_a_unique_id_and_words_in_both_languages():
    ids = [b.id for cls in CLASSES for b in cls.BINDINGS]
    assert all(ids) and len(ids) == len(set(ids)), ids
    for cls in CLASSES:
        for binding in cls.BINDINGS:
            en, zh = described(binding, "en"), described(binding, "zh-CN")
            assert en.description and zh.description and en.description != zh.description


def test_the_pane_group_label_follows_the_language():
    pane_key = next(b for b in MainScreen.BINDINGS if b.id == "pane.chat")
    assert described(pane_key, "zh-CN").group.description == t("b.panes", "zh-CN")


@pytest.mark.parametrize(
    ("key", "ok"),
    [("f5", True), ("ctrl+r", True), ("question_mark", True), ("R", True), ("space", True)]
    + [
        ("F5", False),
        ("ctrl+", False),
        ("no_such_key", False),
        ("hyperctrl+r", False),
        ("", False),
    ],
)
def test_key_names(key, ok):
    assert valid_key(key) is ok


def test_a_bad_keymap_entry_is_named_and_left_out():
    known = frozenset({"run", "chat.save"})
    table = {"run": "f5, ctrl+r", "chat.save": 3, "nope": "x", "spare": "y"}
    keymap, problems = user_keymap(table, known)
    assert keymap == {"run": "f5,ctrl+r"}
    assert len(problems) == 3 and any("“nope”" in p for p in problems), problems
    keymap, problems = user_keymap({"run": "no_such_key"}, known, "zh-CN")
    assert keymap == {} and "“no_such_key”" in problems[0] and "按键" in problems[0]
    assert user_keymap(["run"], known) == ({}, [t("keymap.not_a_table", found="list")])
    assert user_keymap(None, known) == ({}, [])


async def test_the_config_keymap_rebinds_keys_and_warns_about_bad_lines():
    save_config(
        {
            "settings": {},
            "profiles": {},
            "keymap": {"run": "f5", "inspector.curl": "x", "oops": "1"},
        }
    )
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready, timeout=15)
        assert "f5" in app.screen.active_bindings and "r" not in app.screen.active_bindings
        calls = len(app.engine.calls)
        await pilot.press("f5")
        await wait_for(pilot, lambda: len(app.engine.calls) > calls)
        warnings = [n.message for n in app._notifications]
        assert any("“oops”" in w for w in warnings), warnings
        app.main.show_pane("inspector")
        await pilot.pause()
        assert app.screen.active_bindings["x"].binding.id == "inspector.curl"
    assert {"run", "chat.save", "inspector.curl", "help.close"} <= known_ids()


async def test_a_broken_keymap_table_never_stops_the_console():
    save_config({"settings": {}, "profiles": {}, "keymap": "f5"})
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        assert app.is_running
        assert any("[keymap]" in n.message for n in app._notifications)


# ----- the help page: the keys where the cursor is -------------------------------------------
async def _help_from(pilot, pane: str) -> list[tuple[str, str]]:
    app = pilot.app
    await wait_for(pilot, lambda: app.report is not None and app.main.late_ready, timeout=15)
    app.main.show_pane(pane)
    await pilot.pause()
    await pilot.press("f1")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    return app.screen.keys


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_help_lists_the_keys_of_the_focused_pane(lang):
    from tui.core.i18n.catalogue import text

    what = {k: text(f"help.key.{k}", lang) for k in ("copy", "inspector.curl", "chat.copy")}
    app = make_app(lang=lang)
    async with app.run_test(size=(160, 45)) as pilot:
        rows = dict(await _help_from(pilot, "inspector"))
        for key in ("h", "j", "J", "f", "S", "/"):
            assert key in rows, rows
        assert rows["c"] == what["inspector.curl"]  # c copies curl here, not the summary
        assert rows["z / F7"] and rows["? / F1"] and rows["1–5"]
        await pilot.press("escape")
        rows = dict(await _help_from(pilot, "checks"))
        assert rows["c"] == what["copy"] and "h" not in rows
        await pilot.press("escape")
        rows = dict(await _help_from(pilot, "chat"))
        for key in ("^t", "^s", "^l", "^y", "F2 / F3 / F4 / F5 / F6"):
            assert key in rows, rows
        assert rows["^y"] == what["chat.copy"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("pane", ["checks", "inspector", "chat"])
def test_snapshot_help_from_each_pane(snap_compare, pane, lang):
    async def open_help(pilot) -> None:
        await _help_from(pilot, pane)
        await pilot.pause()

    app = make_app(lang=lang)
    assert snap_compare(app, terminal_size=(100, 40), run_before=open_help)


def test_key_names_as_the_help_page_writes_them_are_understood():
    from tui.ui.bindings import normal_key

    assert normal_key("F6") == "f6" and normal_key("^p") == "ctrl+p"
    assert normal_key("pgup") == "pageup" and normal_key("esc") == "escape"
    assert normal_key("Ctrl+R") == "ctrl+R" and normal_key("R") == "R"
    keymap, problems = user_keymap({"step": "F6", "help": "pgup, ^h"}, known_ids())
    assert keymap == {"step": "f6", "help": "pageup,ctrl+h"} and not problems


def test_the_readme_lists_every_binding_id():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("Binding ids:") :]
    missing = [i for i in known_ids() if f"`{i}`" not in table]
    assert not missing, missing


async def test_an_unreadable_config_file_is_said_even_where_no_target_is_read_from_it():
    """The demo resolves nothing from the file: the console still says why its keymap and
    saved language are not applied (it said nothing)."""
    from tui.core.setup.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[keymap\nrun = "f5"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready, timeout=15)
        warnings = [str(n.message) for n in app._notifications]
        assert any("not valid TOML" in w and "line 1" in w for w in warnings), warnings
