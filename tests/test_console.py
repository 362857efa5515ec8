"""Console interactions with a scripted engine (fast, deterministic).

The real engine against the real demo gateway is exercised in
``test_console_live.py``; here the engine is scripted so each test can stop
the run where it wants and check exactly what the console does.
"""

from __future__ import annotations

import pytest
from textual.widgets import TabPane

from tests.conftest import CANARY_KEY
from tests.support.console import (
    FakeClipboard,
    ScriptedEngine,
    all_passed,
    auth_failed,
    fake_target,
    screen_text,
    wait_for,
)
from tui.core.diagnosis.model import Status, Target
from tui.ui import labels
from tui.ui.app import GatewayDoctorApp
from tui.ui.clipboard import copy_text, outcome_message
from tui.ui.commands import ConsoleCommands
from tui.ui.screens.help import HelpScreen
from tui.ui.widgets.checklist import Checklist, format_duration


def make_app(results=None, **kw) -> GatewayDoctorApp:
    kw.setdefault("engine", ScriptedEngine(results or all_passed()))
    kw.setdefault("system_copy", FakeClipboard())
    kw.setdefault("animate_spinner", False)
    return GatewayDoctorApp(kw.pop("target", fake_target()), **kw)


async def test_rows_update_live_as_each_check_reports():
    engine = ScriptedEngine(all_passed(), hold="auth")
    app = make_app(engine=engine)
    async with app.run_test(size=(140, 40)) as pilot:
        rows = app.main.query_one(Checklist).rows
        await wait_for(pilot, lambda: rows["auth"].status is Status.RUNNING)
        assert rows["config"].status is Status.PASS  # finished before the run ended
        assert rows["network"].status is Status.PASS
        assert rows["balance"].status is Status.PENDING
        assert app.report is None
        assert "⠋" in screen_text(app)  # spinner frame on the running row
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_failed_step_is_selected_and_expanded_with_remediation_and_summary():
    app = make_app(auth_failed())
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.pause()
        assert app.main.query_one(Checklist).selected_id == "auth"
        text = screen_text(app)
        assert "auth.invalid_key" in text
        assert "401" in text
        assert "Incorrect API key provided: sk-…abcd." in text
        assert "What to do" in text and "Why it happens" in text
        assert "1. " in text  # numbered remediation steps
        assert "Support summary" in app.main.query_one("#detail-summary").border_title
        assert "sk-FAKE-test-0000-1111-2222-3333-4444" not in text


async def test_copy_uses_system_clipboard_and_always_saves_a_file(tmp_path):
    clip = FakeClipboard()
    app = make_app(auth_failed(), system_copy=clip, target=fake_target(CANARY_KEY))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("c")
        await pilot.pause()
        assert len(clip.texts) == 1
        assert "auth.invalid_key" in clip.texts[0]
        assert CANARY_KEY not in clip.texts[0]
        outcome = app.last_copy
        assert outcome.method == "system"
        assert outcome.path is not None and outcome.path.parent == tmp_path / "state"
        assert outcome.path.read_text(encoding="utf-8") == clip.texts[0]
        assert oct(outcome.path.stat().st_mode & 0o777) == "0o600"
        notes = [n.message for n in app._notifications]
        assert any("copied to the clipboard" in m and str(outcome.path) in m for m in notes)


async def test_copy_falls_back_to_osc52_and_says_so():
    app = make_app(auth_failed(), system_copy=FakeClipboard(fail=True))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("c")
        await pilot.pause()
        assert app.last_copy.method == "osc52"
        assert "auth.invalid_key" in app.clipboard  # what copy_to_clipboard was given
        notes = [n.message for n in app._notifications]
        assert any("OSC 52" in m and str(app.last_copy.path) in m for m in notes)


def test_copy_reports_save_failure_without_raising(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(blocker / "sub"))
    outcome = copy_text("summary", osc52=None, system=FakeClipboard(fail=True))
    assert outcome.method == "none" and outcome.path is None and outcome.save_error
    message, severity = outcome_message(outcome, "en")
    assert severity == "error" and "Could not save" in message


async def test_rerun_selected_step_only_passes_previous_report():
    engine = ScriptedEngine(auth_failed())
    app = make_app(engine=engine)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        first = app.report
        await pilot.press("R")
        await wait_for(pilot, lambda: len(engine.calls) == 2 and app.report is not first)
        assert engine.calls[1]["only"] == {"auth"}
        assert engine.calls[1]["previous"] is first
        await pilot.press("r")
        await wait_for(pilot, lambda: len(engine.calls) == 3)
        assert engine.calls[2]["only"] is None


async def test_language_switch_is_live_including_footer():
    app = make_app(auth_failed())
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "zh-CN"
        text = screen_text(app)
        assert (
            "鉴权" in text
            and "处理办法" in text
            and "支持摘要" in app.main.query_one("#detail-summary").border_title
        )
        descriptions = {a.binding.description for a in app.main.active_bindings.values()}
        assert "全查" in descriptions and "复制" in descriptions
        await pilot.press("l")
        await pilot.pause()
        assert "Authentication" in screen_text(app) or "Auth" in screen_text(app)


async def test_help_screen_opens_with_question_mark_and_f1():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_narrow_layout_uses_tabs_and_wide_shows_all_panes():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        main = app.main
        assert not main.has_class("-wide")
        shown = {p.id for p in main.query(TabPane) if p.display}
        assert shown == {"checks"}
        main.show_pane("chat")
        await pilot.pause()
        assert {p.id for p in main.query(TabPane) if p.display} == {"chat"}
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert main.has_class("-wide")
        assert {p.id for p in main.query(TabPane) if p.display} == {"checks", "chat", "inspector"}
        # the checklist keeps its results across the resize
        assert main.query_one(Checklist).rows["stream"].status is Status.PASS


async def test_nothing_configured_says_what_is_missing_and_offers_demo():
    engine = ScriptedEngine(all_passed())
    app = make_app(
        engine=engine,
        target=Target(base_url="https://api.alltkn.com/api/v1"),
        sources={"base_url": "preset"},
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Missing: base URL, API key" in text
        assert "OPENAI_API_KEY" in text and "press d" in text
        assert engine.calls == []
        await pilot.press("r")
        await pilot.pause()
        assert engine.calls == []  # nothing to run against; the notice stays
        keys = {a.binding.key for a in app.main.active_bindings.values() if a.enabled}
        assert "d" in keys


async def test_command_palette_lists_console_commands():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        provider = ConsoleCommands(app.screen)
        names = [hit.text for hit in [h async for h in provider.discover()]]
        assert "Run all checks" in names
        assert "Copy support summary" in names
        assert any(n.startswith("Re-run step:") for n in names)
        assert "Switch language to 中文" in names
        hits = [h async for h in provider.search("language")]
        assert hits
        # A command whose name starts with the words typed comes first (new-user review:
        # "restore" ran "Maximise the focused pane / restore the layout").
        hits = sorted([h async for h in provider.search("restore")], key=lambda h: -h.score)
        assert str(hits[0].text).startswith("Restore last good")


def test_every_label_has_both_languages():
    missing = [k for k in labels.keys() if not labels.has_both(k)]
    assert missing == []


def test_duration_format_is_short():
    assert format_duration(12.3) == "12 ms"
    assert format_duration(1234) == "1.2 s"


def test_console_without_a_terminal_explains_instead_of_failing(monkeypatch, capsys):
    from tui.cli import main

    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    code = main([])
    assert code == 2
    assert "gateway-doctor check" in capsys.readouterr().err


def test_demo_unknown_scenario_is_a_clear_message(capsys):
    from tui.cli import main

    assert main(["demo", "--scenario", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown scenario 'nope'" in err and "invalid_key" in err


def test_bad_timeout_flag_is_a_usage_error(capsys):
    from tui.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--timeout", "abc"])
    assert exc.value.code == 2
    assert "expected seconds" in capsys.readouterr().err


def test_styles_exist_and_no_big_default_css():
    import tui.ui.widgets.checklist as checklist
    from tui.ui.paths import stylesheets

    sheets = stylesheets()
    assert sheets and sheets[0].name == "app.tcss" and all(p.is_file() for p in sheets)
    # The first frame reads app.tcss alone; the others come with what they style.
    assert GatewayDoctorApp.CSS_PATH == [str(sheets[0])]
    assert "DEFAULT_CSS" not in open(checklist.__file__, encoding="utf-8").read()


@pytest.mark.parametrize("ask", ["2", "question_mark"])
async def test_the_other_stylesheets_come_with_the_panes_and_dialogs_they_style(ask, monkeypatch):
    """Issue 14: chat.tcss, inspector.tcss and settings.tcss are not read before the first
    frame (~10 ms of it); they are read before a late pane (2: the chat) or any other
    screen (?: the help) shows."""
    from tui.ui.paths import late_stylesheets
    from tui.ui.screens import main as main_screen

    monkeypatch.setattr(main_screen, "LATE_PANES_AFTER", 30.0)
    late = {str(p) for p in late_stylesheets()}
    assert len(late) == 3
    app = make_app(engine=ScriptedEngine(all_passed(), hold="auth"))

    def read() -> set[str]:
        return {str(path) for path, _ in app.stylesheet.source}

    async with app.run_test(size=(160, 45)) as pilot:
        await app.engine.held.wait()
        await pilot.pause()
        assert not late & read()  # the first frame: app.tcss alone
        await pilot.press(ask)
        for _ in range(100):
            if late <= read():
                break
            await pilot.pause(0.02)
        assert late <= read()
        if ask == "2":
            await wait_for(pilot, lambda: app.main.late_ready)
            assert any("ChatPane" in str(rule.selector_set) for rule in app.stylesheet.rules)
            assert app.query_one("#chat-pane").region.height > 0


async def test_the_main_screen_is_the_default_screen():
    """No blank screen under the main one: help and settings close back onto it."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        assert app.screen_stack == [app.main] and app.screen is app.main
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen_stack[0] is app.main
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen_stack == [app.main]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_pane_keys_focus_each_panes_main_control(size):
    """2 lands in the message box (not the model box), 3 in the exchange list; Esc leaves."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("2")
        await pilot.pause()
        assert app.focused is app.main.query_one("#chat-input")
        await pilot.press("3")  # typed into the message box, not into the model name
        assert app.main.query_one("#chat-model").value == "gpt-4o-mini"
        assert app.main.query_one("#chat-input").value == "3"
        await pilot.press("escape")  # nothing to stop: leave the text box
        await pilot.press("3")
        await pilot.pause()
        assert app.main.query_one("#panes").active == "inspector"
        assert app.focused is app.main.query_one("#inspector-list")
        await pilot.press("1")
        await pilot.pause()
        assert app.main.query_one("#panes").active == "checks"
        assert app.focused is app.main.query_one(Checklist)


async def test_footer_and_palette_follow_the_language():
    """Textual's own palette label, search prompt and system commands switch too."""
    from textual.command import CommandPalette, Input

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("l")
        await pilot.pause()
        footer = "\n".join(s.text for s in app.screen._compositor.render_strips()[-1:])
        assert "命令" in footer and "palette" not in footer
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "退出" in titles and "主题" in titles and "Quit" not in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "搜索命令…"


async def test_page_down_scrolls_the_remediation_while_the_list_keeps_focus():
    """80×24: what to do is below the fold; PgDn reaches it without leaving the list."""
    app = make_app(auth_failed())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.pause()
        detail = app.main.query_one("#detail")
        assert detail.scroll_y == 0 and detail.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert detail.scroll_y > 0
        assert app.focused is app.main.query_one(Checklist)
        await pilot.press("pageup")
        await pilot.pause()
        assert detail.scroll_y == 0


async def test_first_run_opens_the_wizard_and_cancel_leaves_the_notice():
    from tui.ui.screens.wizard import FirstRunWizard

    engine = ScriptedEngine(all_passed())
    app = make_app(
        engine=engine,
        target=Target(base_url="https://api.alltkn.com/api/v1"),
        sources={"base_url": "preset"},
        first_run=True,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunWizard)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FirstRunWizard)
        assert "Missing: base URL, API key" in screen_text(app) and engine.calls == []


async def test_p_opens_profiles_and_settings():
    from tui.ui.screens.settings import SettingsScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


def test_console_command_asks_for_the_wizard_only_without_profiles(monkeypatch):
    """`gateway-doctor` with no profile at all starts with the first-run wizard."""
    from tui.commands import console
    from tui.core.setup.profiles import Profile, add_profile

    seen = {}

    class FakeApp:
        def __init__(self, target, **kw):
            seen.update(kw)
            self.return_code = 0

        def run(self):
            pass

    monkeypatch.setattr(console, "needs_terminal", lambda *_a, **_k: None)
    monkeypatch.setattr("tui.ui.app.GatewayDoctorApp", FakeApp)
    import argparse

    args = argparse.Namespace()
    assert console.run(args) == 0 and seen["first_run"] is True
    add_profile(Profile("work", "https://api.alltkn.com/api/v1", "gpt-4o-mini"))
    assert console.run(args) == 0 and seen["first_run"] is False


async def test_every_toast_is_masked_and_plain_text():
    """Widgets' notify() goes through the app: a key or stray [/] in a message is harmless."""
    from tests.conftest import CANARY_KEY
    from tui.core.safe.masking import register_secret

    register_secret(CANARY_KEY)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        app.main.notify(f"saved to /tmp/[/]odd/{CANARY_KEY}.txt")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("[/]odd" in m for m in messages)
        assert all(CANARY_KEY not in m for m in messages)
