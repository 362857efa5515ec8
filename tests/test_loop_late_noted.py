"""A step measured while our own loop was held says so (new-user review, issue 14).

The console starts its first checks while it builds its screen; a step's timings
then include the time the loop was busy (30-80 ms on the demo, up to ~300 ms seen
in tmux), and "gpt-4o-mini answers in 286 ms" was the console's delay, not the
gateway's. The engine notes how long the loop ran late while the step's requests
were on the wire (``loop_late_ms``) and the step detail shows it.
"""

from __future__ import annotations

import asyncio
import time

from rich.console import Console

from tests.support.console import fake_target
from tui.core.diagnosis.engine import LOOP_LATE_NOTED_MS, run_checks
from tui.core.diagnosis.model import CheckResult, Status, Target
from tui.core.net.exchange import ExchangeLog
from tui.ui.widgets.step_detail import describe

KEY = "sk-demo-gateway-doctor-0000000000000000"


def target(gw) -> Target:
    return Target(
        base_url=gw.scenario_url("healthy"),
        api_key=KEY,
        model="gpt-4o-mini",
        timeout=10,
        trust_env=False,
    )


async def test_a_step_measured_while_the_loop_was_held_says_how_long(gw) -> None:
    gw.latency = 0.4
    loop = asyncio.get_running_loop()
    loop.call_later(0.15, time.sleep, 0.25)  # the console building its screen, say
    report = await run_checks(target(gw), ExchangeLog(), env={})
    late = {c.id: c.evidence.get("loop_late_ms") for c in report.checks}
    assert report.checks[0].status is Status.PASS
    assert late["network"] is not None and late["network"] >= LOOP_LATE_NOTED_MS, late


def rendered(result: CheckResult, lang: str) -> str:
    console = Console(width=140, record=True, color_system=None)
    console.print(describe(result, lang, fake_target()))
    return console.export_text()


def test_the_step_detail_says_it_in_both_languages() -> None:
    res = CheckResult("model", Status.PASS, "model.ok", evidence={"loop_late_ms": 236})
    assert "include 236 ms while this program itself was busy" in rendered(res, "en")
    assert "含本程序自身繁忙的 236 ms" in rendered(res, "zh-CN")
    assert "busy" not in rendered(CheckResult("model", Status.PASS, "model.ok"), "en")
