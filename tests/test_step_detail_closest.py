"""The step detail says what the checklist's detail says: for a model the gateway does
not have, the closest listed names (the remedy points at them). Before, a detail that
quoted the gateway's error gave way to the bare error, and the names were lost."""

from __future__ import annotations

import asyncio

from rich.console import Console

from tests.conftest import FAKE_KEY
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status, Target
from tui.core.net.exchange import ExchangeLog
from tui.core.safe import masking
from tui.ui.widgets.step_detail import describe


def test_the_closest_listed_models_are_in_the_step_detail(demo_gateway):
    masking.register_secret(FAKE_KEY)
    url = demo_gateway.scenario_url("model_not_found")
    target = Target(base_url=url, api_key=FAKE_KEY, model="gpt-4o-mini", timeout=10)
    report = asyncio.run(run_checks(target, ExchangeLog()))
    model = report.by_id("model")
    assert model is not None and model.status is Status.FAIL and model.error_text
    console = Console(width=300, record=True, color_system=None)
    for lang in ("en", "zh-CN"):
        console.print(describe(model, lang, target))
    shown = console.export_text()
    assert shown.count("gpt-4o-mini-2024-07-18") == 2, shown
    assert shown.count(model.error_text[:40]) == 2  # the gateway's words once per language
