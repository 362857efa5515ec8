"""The working models suggested for a failing model are shown whole (issue 17 review,
MEDIUM 3): a row of the expanded step ("What was seen"), the first step of "What to do"
and a row of the support summary, at 160x45 and 80x24; never appended to the gateway's
sentence where the checklist's column cuts them, never cut mid-name in the summary."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tests.conftest import FAKE_KEY
from tests.support.console import wait_for
from tests.support.targets import target_for
from tests.test_console_live import live_app
from tui.core.diagnosis.summary import support_summary
from tui.core.models.memory import remember
from tui.core.models.probe import ProbeResult
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.step_detail import StepDetail


def _lines_at(renderable, width: int) -> list[str]:
    console = Console(width=width, color_system=None, file=io.StringIO())
    with console.capture() as captured:
        console.print(renderable)
    return [line.rstrip() for line in captured.get().splitlines()]


WORKING = ["gpt-4.1-mini", "claude-3-5-sonnet", "deepseek-reasoner"]  # listed by no_channel


def _probed(url: str) -> None:
    assert target_for(url).api_key == FAKE_KEY  # the console's key: the same scope
    remember(
        target_for(url),
        [ProbeResult(m, "pass", "model.ok", latency_ms=100.0 + i) for i, m in enumerate(WORKING)],
    )


@pytest.mark.parametrize(("size", "lang"), [((160, 45), "en"), ((80, 24), "zh-CN")])
async def test_the_suggestion_is_shown_whole(demo_gateway, size, lang) -> None:
    url = demo_gateway.scenario_url("no_channel")
    _probed(url)
    app = live_app(url, lang=lang)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=20)
        await pilot.pause(0.2)
        model = app.report.by_id("model")
        assert model.code == "model.unavailable"
        app.main.query_one(Checklist).select_check("model")
        await pilot.pause(0.2)
        main = app.main.query_one(StepDetail).query_one("#detail-main")
        width = main.content_size.width
        lines = _lines_at(main.render()._renderable, width)  # as the pane wraps them
        words = "\n".join(lines)
        row = "Working models" if lang == "en" else "上次探测可用"
        step = (
            "Switch to a model that worked" if lang == "en" else "换用上次探测中这个密钥可用的模型"
        )
        assert row in words and step in words, words
        for name in WORKING:  # each name whole on a line, twice: the row and the step
            assert sum(line.count(name) for line in lines) == 2, (name, width, words)
        if size == (160, 45):  # all on screen, as the reviewer looked
            screen = "\n".join(s.text for s in app.screen._compositor.render_strips())  # noqa: SLF001
            assert all(name in screen for name in WORKING), screen
        names = ", ".join(WORKING)
        summary = support_summary(app.report, "model", lang)
        assert any(line.endswith(names) and row in line for line in summary.splitlines())
        for name in WORKING:  # never a name cut mid-way
            for cut in range(4, len(name)):
                assert name[:cut] + "…" not in summary
