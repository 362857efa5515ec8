"""Presets and the /models fetch the wizard uses (against the demo gateway)."""

from __future__ import annotations

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.core.net.models_list import fetch_models
from tui.core.setup.presets import PRESETS, get_preset, match_preset
from tui.core.setup.profiles import Profile, validate_profile


def test_presets_are_usable():
    ids = [p.id for p in PRESETS]
    assert ids[0] == "alltkn" and ids[-1] == "custom"
    assert get_preset("ALLTKN").base_url == "https://api.alltkn.com/api/v1"
    assert get_preset("litellm").base_url == "http://127.0.0.1:4000/v1"
    for p in PRESETS[:-1]:
        assert validate_profile(Profile(p.id, p.base_url)) == [], p.id
        assert p.default_model and p.describe("zh-CN") != p.describe("en")
    assert get_preset("nope") is None


def test_match_preset_by_host():
    assert match_preset("https://api.deepseek.com").id == "deepseek"
    assert match_preset("https://gw.example.test/v1") is None
    assert match_preset("") is None


async def test_fetch_models_from_demo(demo_gateway):
    log = ExchangeLog()
    target = Target(base_url=demo_gateway.scenario_url("healthy"), api_key=FAKE_KEY, timeout=5)
    result = await fetch_models(target, log)
    assert result.error is None and result.status == 200
    assert "gpt-4o-mini" in result.models and result.models == sorted(result.models)
    assert len(log) == 1


async def test_fetch_models_errors_are_sentences_and_masked(demo_gateway):
    target = Target(
        base_url=demo_gateway.scenario_url("invalid_key"), api_key=CANARY_KEY, timeout=5
    )
    result = await fetch_models(target)
    assert result.status == 401 and result.models == []
    assert "HTTP 401" in result.error and CANARY_KEY not in result.error
    closed = Target(base_url="http://127.0.0.1:9/v1", api_key=FAKE_KEY, timeout=2)
    result = await fetch_models(closed)
    assert result.error and result.status is None
    assert (await fetch_models(Target(base_url=""))).error
