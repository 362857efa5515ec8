"""The history pane (key 5) after the issue 18 review (B9, B12): a runs list chosen with
↑/↓ and opened with Enter (the diff against the last passing run), keys scoped to the
pane (Tab stays in it, R never re-runs a step there), palette entries, gaps in the
sparklines, no duplicate header, the restore question without a dangling word."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.support.console import ScriptedEngine, fake_target, wait_for
from tests.test_console_chinese import visible_text
from tests.test_console_focus import make_app
from tests.test_history_console import clock, results, two_runs  # noqa: F401 - fixtures

_ = clock


def footer_keys(app) -> dict[str, str]:
    return {
        key: binding.description
        for key, (_node, binding, enabled, _tip) in app.screen.active_bindings.items()
        if enabled
    }


async def test_runs_are_a_list_enter_opens_the_diff_and_keys_stay_in_the_pane(clock) -> None:  # noqa: F811
    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await two_runs(pilot, engine)
        await pilot.press("5")
        view = app.main.query_one("#history-pane")
        await wait_for(pilot, lambda: len(view.records) == 2)
        runs = app.main.query_one("#history-runs")
        assert app.focused is runs and runs.option_count == 2
        for _ in range(3):  # Tab stays in the pane: w and R remain the pane's
            await pilot.press("tab")
            assert app.focused is runs
            keys = footer_keys(app)
            assert keys.get("w") == "Watch" and keys.get("R") == "Restore last good", keys
        calls = len(engine.calls)
        await pilot.press("R")  # not a profile: said, and no step re-run
        await pilot.pause(0.3)
        assert len(engine.calls) == calls
        # newest first: ↓ goes to the passing run, ↑ back to the failing one; Enter: diff
        await pilot.press("down", "up", "enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RunDiff")
        said = visible_text(app)
        assert "against the last passing run before it" in said
        assert "the verdict changed: passed → failed" in said
        assert "gone from /models: deepseek-chat" in said
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        await pilot.press("down", "enter")  # the first run: nothing passed before it
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RunDiff")
        assert "There is no passing run before this one" in visible_text(app)


async def test_r_restores_from_the_pane_even_after_tab(clock) -> None:  # noqa: F811
    from tui.core.setup.profiles import Profile, add_profile, edit_profile

    target = fake_target()
    add_profile(Profile("demo", base_url=target.base_url, model="gpt-4o-mini"))
    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine, target=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
        await wait_for(pilot, lambda: app.main.query_one("#history-pane").records)
        edit_profile("demo", model="broken-model")
        await pilot.press("5", "tab", "R")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ConfirmRestore")
        said = visible_text(app)
        assert "Return profile demo to its last passing run" in said
        assert "? The" not in said and "The key stays" not in said
        assert "model: broken-model → gpt-4o-mini" in said


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_palette_has_history_restore_and_watch(lang) -> None:
    from tui.core.i18n.catalogue import text
    from tui.ui.commands import ConsoleCommands

    app = make_app(engine=ScriptedEngine(results(bad=False)), lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main.late_ready)
        names = [n for n, _cb, _h in ConsoleCommands.commands(SimpleNamespace(app=app))]
        for part in ("history", "restore", "watch"):
            assert text(f"history.view.palette_{part}", lang) in names
        watch = next(
            cb for n, cb, _h in ConsoleCommands.commands(SimpleNamespace(app=app))
            if n == text("history.view.palette_watch", lang)
        )  # fmt: skip
        watch()
        await pilot.pause(0.1)
        view = app.main.query_one("#history-pane")
        assert app.main.query_one("TabbedContent").active == "history" and view.watching
        view.action_toggle_watch()


def test_sparklines_leave_gaps_and_scale_per_step() -> None:
    from tui.ui.widgets.history_view import spark

    assert spark([None, 0.0, 0.0]).plain == " ▁▁"  # skipped: a gap; all zero: low, not full
    assert spark([10.0, None, 20.0]).plain == "▅ █"
    assert spark([1.0, 1.0]).plain == "██"  # its own scale: the slowest run is full
    # a step that takes a few hundredths of a millisecond (the configuration check) stays low
    assert spark([0.03, 0.02, 0.03]).plain == "▁▁▁"


def test_the_pane_does_not_say_the_header_twice() -> None:
    from tui.core.history import Comparison, since_message
    from tui.ui.widgets.history_view import HistoryView

    view = HistoryView("en")
    comparison = Comparison({"time": "2026-11-28T14:02:09Z"}, [])
    view.records = [{"time": "x"}]
    view.comparison = comparison
    view.since = since_message(comparison, "fail")
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(view._changes("en"))
    out = console.export_text()
    assert out.count("Since the last passing run on 2026-11-28 14:02") == 1, out


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_snapshot_run_diff(snap_compare, pinned_clock, clock, lang) -> None:  # noqa: F811
    engine = ScriptedEngine(results(bad=False))

    async def run_before(pilot) -> None:
        await two_runs(pilot, engine)
        await pilot.press("5")
        view = pilot.app.main.query_one("#history-pane")
        await wait_for(pilot, lambda: len(view.records) == 2)
        await pilot.press("tab", "enter")  # Tab stays on the runs; Enter: the newest's diff
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "RunDiff")
        await pilot.pause(0.2)

    assert snap_compare(
        make_app(engine=engine, lang=lang), terminal_size=(120, 36), run_before=run_before
    )
