"""The checklist's model step names the models the last probe found working, closest to
the failing name first (issue 17), in both languages; nothing when there was no probe."""

from __future__ import annotations

from tests.support.targets import target_for
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.models.memory import remember
from tui.core.models.probe import ProbeResult
from tui.core.net.exchange import ExchangeLog


def _probed(url: str) -> None:
    remember(
        target_for(url),
        [
            ProbeResult("deepseek-chat", "pass", "model.ok", latency_ms=90.0),
            ProbeResult("gpt-4o", "pass", "model.ok", latency_ms=300.0),
            ProbeResult("gpt-4o-mini-2024-07-18", "pass", "model.ok", latency_ms=500.0),
            ProbeResult("gpt-4-32k", "fail", "model.unavailable", latency_ms=5.0),
        ],
    )


async def test_a_failing_model_gets_the_working_ones_closest_first(demo_gateway) -> None:
    url = demo_gateway.scenario_url("no_channel")
    before = await run_checks(target_for(url), ExchangeLog(), env={})
    model = before.by_id("model")
    assert model.code == "model.unavailable" and "working_closest" not in model.evidence
    _probed(url)
    report = await run_checks(target_for(url), ExchangeLog(), env={})
    model = report.by_id("model")
    assert model.code == "model.unavailable"
    assert model.evidence["working_closest"] == [
        "gpt-4o-mini-2024-07-18",
        "gpt-4o",
        "deepseek-chat",
    ]
    en = detail_for(model, "en")
    assert (
        "Models that worked in the last probe: gpt-4o-mini-2024-07-18, gpt-4o, deepseek-chat." in en
    )
    assert "上次探测中可用的模型：gpt-4o-mini-2024-07-18, gpt-4o, deepseek-chat。" in detail_for(
        model, "zh-CN"
    )


async def test_a_passing_model_gets_no_hint(demo_gateway) -> None:
    url = demo_gateway.scenario_url("healthy")
    _probed(url)
    report = await run_checks(target_for(url), ExchangeLog(), env={})
    assert report.by_id("model").code == "model.ok"
    assert "working_closest" not in report.by_id("model").evidence
