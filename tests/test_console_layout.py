"""Issue 15, inspector and layout: the path column shows the distinguishing end of
the path at 160×45 and 120×40 with a usable filter, and a key (and a palette
command) maximises the focused pane and restores it (real demo gateway)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.support.console import wait_for
from tests.test_console_live import live_app
from tui.ui.widgets.inspector import InspectorPane
from tui.ui.widgets.inspector_list import ExchangeList


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]  # noqa: SLF001


@pytest.mark.parametrize("size", [(160, 45), (120, 40)])
async def test_inspector_path_keeps_its_distinguishing_end(demo_gateway, size):
    app = live_app(demo_gateway.scenario_url("quota_exhausted"))
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        await pilot.press("3")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Path" in text and "…/" in text  # the header, and an elided path on screen
        # two billing endpoints that differ only at the end are told apart
        table = app.screen.query_one("#inspector-list", ExchangeList)
        at = [str(c.key.value) for c in table.ordered_columns].index("path")
        width = table.ordered_columns[at].width
        paths = [str(table.get_row_at(i)[at]) for i in range(table.row_count)]
        assert any(p.endswith("/billing/subscription") for p in paths), paths
        assert any(p.endswith("/billing/usage") for p in paths), paths
        assert all(len(p) <= width for p in paths), (width, paths)
        box = app.screen.query_one("#inspector-filter", Input)
        assert box.size.width >= 12 and box.placeholder.strip() not in ("Filter:", "")
        assert box.placeholder in text  # the whole placeholder is visible
        box.focus()
        await pilot.press(*"usage")
        await pilot.pause(0.3)
        pane = app.screen.query_one(InspectorPane)
        shown = str(pane.query_one("#inspector-count").render())
        assert shown.startswith("1/"), shown


async def test_zoom_maximises_the_focused_pane_and_restores_it(demo_gateway):
    app = live_app(demo_gateway.scenario_url("healthy"))
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        await pilot.press("2")
        await pilot.pause()
        log = app.screen.query_one("#chat-log")
        before = log.size.height
        assert isinstance(app.focused, Input)  # typing in the chat box: F7 still works
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.maximized is not None and app.screen.maximized.id == "chat"
        assert log.size.height > before + 15, (before, log.size.height)
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.maximized is None and log.size.height == before
        app.main.show_pane("checks")  # the checklist has the focus: z, not typing
        await pilot.pause()
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is not None and app.screen.maximized.id == "checks"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None


async def test_zoom_is_a_palette_command_in_both_languages(demo_gateway):
    from tui.ui.commands import ConsoleCommands
    from tui.ui.labels import t

    app = live_app(demo_gateway.scenario_url("healthy"), autorun=False)
    async with app.run_test(size=(120, 40)) as pilot:
        provider = ConsoleCommands(app.screen)
        names = [name for name, _, _ in provider.commands()]
        assert t("cmd.zoom", "en") in names
        app.lang = "zh-CN"
        await pilot.pause()
        names = [name for name, _, _ in ConsoleCommands(app.screen).commands()]
        assert "最大化当前面板 / 恢复布局" in names
        zoom = next(
            cb for name, cb, _ in ConsoleCommands(app.screen).commands() if "最大化" in name
        )
        zoom()
        await pilot.pause()
        assert app.screen.maximized is not None


@pytest.mark.parametrize("width", [16, 20, 23, 29, 40])
def test_elided_paths_keep_their_end_and_fit(width):
    from tui.core.inspect.columns import elide_path

    sub = "/scenario/quota_exhausted/v1/dashboard/billing/subscription"
    use = "/scenario/quota_exhausted/v1/dashboard/billing/usage?start_date=2026-11-01"
    a, b = elide_path(sub, width), elide_path(use, width)
    assert len(a) <= width and len(b) <= width and a != b
    assert a.endswith("/subscription") and "/usage" in b and "…" in a


def test_columns_give_way_to_the_path_time_first():
    from tui.core.inspect.columns import fit_columns

    assert fit_columns(200)[0][0] == "time"  # maximised: everything
    wide, path = fit_columns(76)  # 160×45, the inspector beside the checklist
    assert "time" not in wide and {"step", "status", "size", "path"} <= set(wide) and path >= 24
    narrow, path = fit_columns(54)  # 120×40
    assert {"step", "status", "duration", "path"} <= set(narrow) and path >= 20
