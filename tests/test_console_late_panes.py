"""The first checks have the UI loop first (issue 14): the chat, inspector, trial and
history panes are built after the first report, after LATE_PANES_AFTER seconds of a
slower run, or at once when one is asked for.

Before, they were built right after the first frame, and a report that arrived during
that ~300 ms build waited for it: checks done 500 or 800+ ms, by chance.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time

import pytest
from textual import events
from textual._context import active_message_pump
from textual.widgets import Input, Static

from tests.support.console import FakeClipboard, ScriptedEngine, all_passed, fake_target, wait_for
from tui.core.diagnosis.model import Report
from tui.ui.app import GatewayDoctorApp
from tui.ui.screens import main as main_screen

#: (pane, whether the first report was there when it was built)
built: list[tuple[str, bool]] = []


def make_app(engine: ScriptedEngine, *, stub_chat: bool = True, **kw) -> GatewayDoctorApp:
    def chat(target, log, lang):
        built.append(("chat", app.report is not None))
        return Static("chat (stub)", id="chat-pane")

    app = GatewayDoctorApp(
        fake_target(),
        engine=engine,
        system_copy=FakeClipboard(),
        animate_spinner=False,
        chat_factory=chat if stub_chat else None,
        **kw,
    )
    return app


@contextlib.asynccontextmanager
async def mid_run(size=(160, 45), *, hold="auth", results=None, stub_chat=False, **kw):
    """A console whose first run is held in step ``hold``: its late panes not built yet."""
    engine = ScriptedEngine(results or all_passed(), hold=hold)
    app = make_app(engine, stub_chat=stub_chat, **kw)
    async with app.run_test(size=size) as pilot:
        await engine.held.wait()
        await pilot.pause()
        assert not app.main.late_ready
        yield app, pilot


async def test_panes_are_built_after_the_first_report_not_during_the_checks(monkeypatch):
    monkeypatch.setattr(main_screen, "LATE_PANES_AFTER", 30.0)  # a loaded machine: no timer
    built.clear()
    seen_during: list[bool] = []
    engine = ScriptedEngine(all_passed(), step_delay=0.05)  # 7 steps: ~0.35 s
    app = make_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        while app.report is None:
            seen_during.append(app.main.late_ready)
            await pilot.pause(0.02)
        await wait_for(pilot, lambda: app.main.late_ready)
    assert len(seen_during) >= 2 and not any(seen_during), "built while the checks ran"
    assert built == [("chat", True)]


async def test_the_report_is_painted_before_the_panes_are_built(monkeypatch):
    """The panes' build takes ~300-500 ms of the loop: a report that waited for it was on
    screen ~500 ms after it came (a 200 ms gateway: 1.5 s instead of 1.0 s). Here the
    report comes at once, as a child process's does, and nothing but asyncio.sleep
    polls (Pilot.pause forces a repaint and would hide the wait)."""
    monkeypatch.setattr(main_screen, "LATE_PANES_AFTER", 30.0)
    seen: list[str] = []

    async def at_once(target, log, on_event=None, **_kw):  # noqa: ANN001, ANN202
        await asyncio.sleep(0.3)  # after the first frame
        return Report(target, "2026-01-01T00:00:00Z", 123.0, list(all_passed().values()))

    app = make_app(at_once)
    display = app._display

    def painted(screen, renderable):  # noqa: ANN001, ANN202
        if renderable is not None and app.report is not None:
            seen.append("report painted")
        return display(screen, renderable)

    app._display = painted
    chat_factory = app._chat_factory

    def chat(*args):  # noqa: ANN002, ANN202
        seen.append("chat built")
        return chat_factory(*args)

    app._chat_factory = chat
    async with app.run_test(size=(160, 45)):
        end = time.monotonic() + 10
        while "chat built" not in seen and time.monotonic() < end:
            await asyncio.sleep(0.01)
    assert "chat built" in seen and "report painted" in seen, seen
    assert seen.index("report painted") < seen.index("chat built"), seen


async def test_a_slow_run_gets_its_panes_after_a_while(monkeypatch):
    monkeypatch.setattr(main_screen, "LATE_PANES_AFTER", 0.3)
    engine = ScriptedEngine(all_passed(), hold="stream")  # never reports
    app = make_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await engine.held.wait()
        await wait_for(pilot, lambda: app.main.late_ready)
        assert app.report is None
        assert app.main.query("#chat-pane") and app.main.query("#inspector-pane")


async def test_asking_for_the_chat_mid_run_builds_it_at_once_and_focuses_its_box():
    async with mid_run((100, 30)) as (app, pilot):
        started = time.monotonic()
        await pilot.press("2")
        await wait_for(pilot, lambda: app.main.late_ready)
        assert time.monotonic() - started < main_screen.LATE_PANES_AFTER
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        assert app.focused.id == "chat-input"
        await pilot.press("h", "i")
        assert app.focused.value == "hi"


async def test_a_palette_command_before_the_panes_exist_builds_them_and_runs():
    """History from the palette mid-run used to do nothing at all (review finding)."""
    from textual.widgets import TabbedContent

    from tui.ui import commands

    async with mid_run() as (app, pilot):
        commands._history(app, None)  # the palette's "History"
        await wait_for(pilot, lambda: app.main.query_one(TabbedContent).active == "history")
        assert app.main.late_ready and app.main.query("#history-pane")


async def test_evidence_mid_run_opens_the_inspector_on_the_proving_exchange(monkeypatch):
    """e on a finished step before the inspector existed landed on an empty inspector."""
    from tui.ui.host import InspectorPaneLike

    shown: list[str] = []

    class Inspector(Static):
        def show_exchange(self, exchange_id: str) -> None:
            shown.append(exchange_id)

        def focus_main(self) -> None:
            pass

    results = all_passed()
    results["auth"] = dataclasses.replace(results["auth"], exchanges=["ex-0002"])
    assert isinstance(Inspector(), InspectorPaneLike)
    stub = {"inspector_factory": lambda log, lang: Inspector("inspector", id="inspector-pane")}
    async with mid_run(hold="stream", results=results, **stub) as (app, pilot):
        app.main.query_one("#checklist").focus()
        app.main.query_one("#checklist").select_check("auth")
        await pilot.pause()
        assert not app.main.late_ready
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(shown))
        assert shown == ["ex-0002"]


@pytest.mark.parametrize("size", [(100, 30), (160, 45)])
async def test_keys_typed_right_after_2_go_into_the_chat_box_not_to_shortcuts(size):
    """2 then typing at once lost the letters, and 2 q quit (new-user review)."""
    async with mid_run(size) as (app, pilot):
        app.post_message(events.Key("2", "2"))
        await asyncio.sleep(0.05)  # typed, not pasted: 2 is handled before the next key
        for char in "qsthi":  # then a burst, while the pane is being built
            app.post_message(events.Key(char, char))
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.value)
        await pilot.pause(0.1)
        assert app.focused.id == "chat-input" and app.focused.value == "qsthi"
        assert app.is_running and len(app.screen_stack) == 1  # no quit, no scenario picker


@pytest.mark.parametrize(("lang", "words"), [("en", "first checks"), ("zh-CN", "首轮检查")])
async def test_a_pane_not_built_yet_says_when_it_opens(lang, words):
    """Wide, mid-run: the chat and inspector showed 'TabPane#chat' (new-user review)."""
    async with mid_run(lang=lang) as (app, pilot):
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "TabPane#" not in screen and screen.count(words) >= 2
        await pilot.press("2")
        await wait_for(pilot, lambda: app.main.late_ready)
        assert not app.main.query("TabPane.-waiting")


async def test_a_click_on_a_pane_not_built_yet_opens_it():
    async with mid_run() as (app, pilot):
        await pilot.click("#chat")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        assert app.focused.id == "chat-input"


async def test_panes_asked_for_as_the_console_quits_leave_no_crash():
    """The panes' build can start just as the console quits (a report or a key at the
    last moment): the tabs they go into are taken down under it. Before, that wrote a
    crash report ("Can't mount widget(s) before TabPane(id='chat') is mounted")."""
    for ticks in range(6):
        async with mid_run() as (app, pilot):
            # run as the screen runs it (a timer, call_later): in the screen's context
            token = active_message_pump.set(app.main)
            build = asyncio.ensure_future(app.main._mount_late())
            active_message_pump.reset(token)
            for _ in range(ticks):
                await asyncio.sleep(0)
            await app.main.query_one("#panes").remove()  # the console closing under it
            await build
        assert app.return_code in (0, None), ticks


async def test_quitting_while_the_panes_are_built_leaves_no_crash() -> None:
    """Quit at moments across the panes' build: a pane mounted as the console closed
    queried children already gone (NoMatches: a crash report, exit code 1). Timing
    decides where each quit lands, so several are tried."""
    for delay in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
        app = make_app(ScriptedEngine(all_passed()), stub_chat=False, autorun=False)
        async with app.run_test(size=(80, 30)) as pilot:
            await pilot.pause(delay)
        assert app.return_code in (0, None), delay


async def test_an_error_while_the_console_quits_is_not_a_crash() -> None:
    """Widgets built as the console closed find their children gone (Textual's own tabs
    raised "No Tab with id …"): after a quit was asked for, an error is not reported
    as a crash and the exit code asked for stays. Before the quit, it still is."""
    app = make_app(ScriptedEngine(all_passed()), autorun=False)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        app.exit(return_code=0)
        app._handle_exception(ValueError("No Tab with id '--content-tab-checks'"))
        assert app._exception is None
    assert app.return_code == 0

    running = make_app(ScriptedEngine(all_passed()), autorun=False)
    with pytest.raises(ValueError):
        async with running.run_test(size=(80, 30)) as pilot:
            await pilot.pause()
            running._handle_exception(ValueError("a real bug"))
    assert running.return_code == 1
