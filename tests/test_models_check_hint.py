"""The checklist's model step names the models the last probe found working, closest to
the failing name first (issue 17), in both languages; nothing when there was no probe."""

from __future__ import annotations

from dataclasses import replace

from tests.support.targets import target_for
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.remediation import remedy_for
from tui.core.models.memory import remember
from tui.core.models.probe import ProbeResult
from tui.core.net.exchange import ExchangeLog

ENV_KEY = "sk-test-FAKE-env-key-0123456789"


def _probed(url: str) -> None:
    remember(
        target_for(url),
        [
            ProbeResult("deepseek-chat", "pass", "model.ok", latency_ms=90.0),
            ProbeResult("gpt-4o", "pass", "model.ok", latency_ms=300.0),
            ProbeResult("gpt-4.1-mini", "pass", "model.ok", latency_ms=500.0),
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
        "gpt-4.1-mini",
        "gpt-4o",
        "deepseek-chat",
    ]
    # its own fact: the gateway's sentence is the detail, the names are a remediation step
    assert "deepseek" not in detail_for(model, "en")
    names = "gpt-4.1-mini, gpt-4o, deepseek-chat"
    en, zh = remedy_for(model, "en").steps[0], remedy_for(model, "zh-CN").steps[0]
    assert f"Switch to a model that worked in the last probe with this key: {names} (" in en
    assert f"换用上次探测中这个密钥可用的模型：{names}（" in zh


async def test_a_passing_model_gets_no_hint(demo_gateway) -> None:
    url = demo_gateway.scenario_url("healthy")
    _probed(url)
    report = await run_checks(target_for(url), ExchangeLog(), env={})
    assert report.by_id("model").code == "model.ok"
    assert "working_closest" not in report.by_id("model").evidence


async def test_a_probe_elsewhere_is_not_suggested_for_the_profile(demo_gateway) -> None:
    """``models --probe --base-url <other gateway>`` (or a key from the environment) with
    the active profile ``work``: those results belong to that gateway and key, not to
    ``work`` (issue 17 review, HIGH 2)."""
    work = demo_gateway.scenario_url("no_channel")
    other = demo_gateway.scenario_url("healthy")
    remember(
        replace(target_for(other, profile="work"), api_key=ENV_KEY),
        [ProbeResult("gpt-4o", "pass", "model.ok", latency_ms=300.0)],
    )
    remember(  # work's own base URL, another key (the environment's)
        replace(target_for(work, profile="work"), api_key=ENV_KEY),
        [ProbeResult("deepseek-chat", "pass", "model.ok", latency_ms=90.0)],
    )
    report = await run_checks(target_for(work, profile="work"), ExchangeLog(), env={})
    model = report.by_id("model")
    assert model.code == "model.unavailable" and "working_closest" not in model.evidence
    # the same gateway and key, under another profile name or none: the results apply
    _probed(work)
    for profile in ("work", None):
        report = await run_checks(target_for(work, profile=profile), ExchangeLog(), env={})
        assert report.by_id("model").evidence["working_closest"][0] == "gpt-4.1-mini"
