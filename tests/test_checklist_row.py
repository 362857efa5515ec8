"""Issue 14, first frame: a checklist row is one widget that draws its own line.

Each :class:`CheckRow` used to hold four Labels (mark, title, result, duration), and
every restyle of a row restyled them too. The row now renders its columns itself; the
columns are fixed cell widths, so a Chinese title (two cells a character) and an
English one put the result at the same place.
"""

from __future__ import annotations

from rich.cells import cell_len

from tests.support.host import HostApp
from tui.core.diagnosis.model import CHECK_IDS, CheckResult, Status
from tui.ui.widgets.checklist import Checklist


class ChecklistApp(HostApp):
    """The checklist alone; the spinner frozen as in the snapshots."""

    animate_spinner = False


def _app(lang: str) -> ChecklistApp:
    return ChecklistApp(lambda app: Checklist(lang, id="checklist"), lang=lang)


def _line(app: HostApp, row_y: int) -> str:
    return app.screen._compositor.render_strips()[row_y].text  # noqa: SLF001


async def test_the_checklist_has_no_widget_inside_a_row() -> None:
    app = _app("en")
    async with app.run_test(size=(100, 12)) as pilot:
        checklist = app.query_one(Checklist)
        checklist.set_running("network")
        checklist.set_result(CheckResult(id="config", status=Status.PASS, code="config.ok"))
        await pilot.pause()
        nodes = list(checklist.walk_children(with_self=True))
        assert len(nodes) == len(checklist.rows) + 1 == len(CHECK_IDS) + 1, nodes
        assert all(not row.children for row in checklist.rows.values())


async def test_chinese_and_english_titles_put_the_result_at_the_same_cell() -> None:
    app = _app("zh-CN")
    async with app.run_test(size=(100, 12)) as pilot:
        checklist = app.query_one(Checklist)
        english = checklist.rows["auth"]  # "Authentication" next to 鉴权, 流式输出 …
        english.lang = "en"
        english.refresh_text()
        checklist.set_result(
            CheckResult(id="stream", status=Status.FAIL, code="stream.none", detail="HTTP 502")
        )
        await pilot.pause()
        offsets: dict[str, int] = {}
        for cid, row in checklist.rows.items():
            shown = row.shown_text()
            line = _line(app, row.region.y)
            assert shown.title in line and shown.result in line, (line, shown)
            offsets[cid] = cell_len(line[: line.index(shown.result)])
        assert english.shown_text().title == "Authentication"
        assert checklist.rows["stream"].shown_text().title == "流式输出"
        assert len(set(offsets.values())) == 1, offsets


async def test_a_long_result_is_cut_and_the_duration_stays_at_the_right_edge() -> None:
    app = _app("zh-CN")
    async with app.run_test(size=(60, 12)) as pilot:
        checklist = app.query_one(Checklist)
        words = "网关应答 HTTP 401：该令牌的额度已经用尽，请联系网关管理员充值后再重试"
        checklist.set_result(
            CheckResult(id="auth", status=Status.FAIL, code="auth.x", detail=words, duration_ms=42)
        )
        await pilot.pause()
        row = checklist.rows["auth"]
        assert row.shown_text().result == words and row.shown_text().duration == "42 ms"
        line = _line(app, row.region.y)
        assert "…" in line and words not in line
        # the row is 60 cells with one cell of padding each side: "42 ms" ends at cell 59
        assert cell_len(line.rstrip()) == 59 and line.rstrip().endswith("42 ms"), line


async def test_the_row_under_the_cursor_takes_the_cursors_colours_while_focused() -> None:
    """The failed step is selected for the user: its status colours on the cursor's blue
    were 1.0-1.5:1. Focused, the cursor row draws in the cursor's colours; blurred (a
    faint cursor) it keeps them."""
    app = _app("en")
    async with app.run_test(size=(100, 12)) as pilot:
        checklist = app.query_one(Checklist)
        failed = CheckResult(id="config", status=Status.FAIL, code="config.bad", error_text="no")
        checklist.set_result(failed)
        checklist.select_check("config")
        row = checklist.rows["config"]

        def coloured() -> bool:
            return any(span.style for span in row.render().spans if "bold" != span.style)

        checklist.focus()
        await pilot.pause()
        assert row.highlighted and checklist.has_focus
        assert not coloured()
        app.set_focus(None)
        await pilot.pause()
        assert coloured()
