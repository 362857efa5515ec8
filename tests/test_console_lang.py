"""The language is one reactive: the app's, bound into the main screen and each pane; it
and the theme are kept in the config file's [settings] for the next start."""

from __future__ import annotations

from textual.widgets import Input, TabbedContent

from tests.support.console import wait_for
from tests.test_console_focus import make_app
from tui.core.chat.transcript import t as chat_t
from tui.core.setup.config import load_config
from tui.ui.labels import t
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.inspector import InspectorPane
from tui.ui.widgets.inspector_labels import t as inspector_t


async def _late(pilot, app) -> None:
    await wait_for(pilot, lambda: app.report is not None and app.main.late_ready, timeout=15)


def _footer_words(app) -> str:
    return " ".join(a.binding.description for a in app.screen.active_bindings.values())


async def test_l_relabels_screen_panes_and_footer_through_the_bindings():
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await _late(pilot, app)
        chat, inspector = app.main.query_one(ChatPane), app.main.query_one(InspectorPane)
        await pilot.press("l")
        await pilot.pause()
        assert app.main.lang == chat.lang == inspector.lang == "zh-CN"
        tabs = app.main.query_one(TabbedContent)
        assert str(tabs.get_tab("chat").label) == f"2 {t('tab.chat', 'zh-CN')}"
        assert chat.query_one("#chat-input", Input).placeholder == chat_t("input", "zh-CN")
        box = inspector.query_one("#inspector-filter", Input)
        assert box.placeholder in {
            inspector_t(k, "zh-CN") for k in ("filter.placeholder", "filter.medium", "filter.short")
        }
        assert t("b.run", "zh-CN") in _footer_words(app)
        inspector.focus_main()
        await pilot.pause()
        assert inspector_t("b.curl", "zh-CN") in _footer_words(app)
        await pilot.press("l")
        await pilot.pause()
        assert chat.lang == inspector.lang == "en"
        assert inspector_t("b.curl", "en") in _footer_words(app)


async def test_language_and_theme_are_there_at_the_next_start():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "t")
        await pilot.pause()
        assert app.lang == "zh-CN" and app.theme == "textual-light"
    assert load_config()["settings"] == {"language": "zh-CN", "theme": "light"}

    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.lang == "zh-CN" and again.theme == "textual-light"
        assert again.main.lang == "zh-CN"


async def test_flags_win_and_are_not_saved():
    """--lang / --theme given for one run: used, and the saved choice stays as it was."""
    app = make_app(lang="zh-CN", theme="light")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.lang == "zh-CN" and app.theme == "textual-light"
    assert "language" not in load_config()["settings"]
    assert "theme" not in load_config()["settings"]


async def test_an_unwritable_config_never_stops_the_switch(tmp_path, monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_CONFIG", str(tmp_path))  # a directory: cannot be written
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "zh-CN" and app.is_running


def test_the_console_command_starts_in_the_saved_language_unless_told(monkeypatch):
    import argparse

    from tui.commands import console
    from tui.core.setup.config import remember_setting
    from tui.ui.app import GatewayDoctorApp

    started: list[str] = []
    monkeypatch.setattr(console, "needs_terminal", lambda *a, **k: None)
    monkeypatch.setattr(GatewayDoctorApp, "run", lambda self: started.append(self.lang))
    remember_setting("language", "zh-CN")
    console.run(argparse.Namespace(lang=None))
    console.run(argparse.Namespace(lang="en"))
    assert started == ["zh-CN", "en"]


def test_the_demo_command_starts_in_the_saved_language_unless_told(monkeypatch):
    """`make demo` is `gateway-doctor demo`: it must keep the language chosen with l too."""
    import argparse

    from tui.commands import demo
    from tui.core.setup.config import remember_setting
    from tui.ui.app import GatewayDoctorApp

    started: list[str] = []
    monkeypatch.setattr(demo, "needs_terminal", lambda *a, **k: None)
    monkeypatch.setattr(GatewayDoctorApp, "run", lambda self: started.append(self.lang))
    remember_setting("language", "zh-CN")
    for lang in (None, "en"):
        demo.run(argparse.Namespace(lang=lang, scenario="healthy", headless=False, theme=None))
    assert started == ["zh-CN", "en"]
