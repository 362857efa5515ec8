"""The engine: dependency graph, events, re-runs, target resolution.

Integration tests use the demo gateway over loopback; the proxy and TLS paths
are in ``test_engine_network.py``.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.conftest import FAKE_KEY
from tests.support.targets import target_for
from tui.core.diagnosis.engine import CheckFinished, CheckStarted, run_checks
from tui.core.diagnosis.model import CHECK_IDS, Status, Target
from tui.core.i18n.catalogue import render
from tui.core.net.exchange import ExchangeLog
from tui.core.safe import masking
from tui.core.setup.target import proxy_for_url, resolve_target


async def test_events_and_order(demo_gateway):
    events: list = []
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("invalid_key")), log,
                              on_event=events.append)  # fmt: skip
    assert [c.id for c in report.checks] == list(CHECK_IDS)
    started = [e.check_id for e in events if isinstance(e, CheckStarted)]
    finished = [e.result.id for e in events if isinstance(e, CheckFinished)]
    assert sorted(finished) == sorted(CHECK_IDS)
    assert set(started) == {"config", "network", "proxy", "auth"}  # dependents never start
    assert started[0] == "config"
    for cid in started:
        assert events.index(CheckStarted(cid)) < next(
            i for i, e in enumerate(events) if isinstance(e, CheckFinished) and e.result.id == cid
        )
    assert finished.index("network") < finished.index("auth")
    assert finished.index("proxy") < finished.index("auth")
    # Every exchange a result names is in the log, and every request was recorded.
    ids = {ex.id for ex in log.all()}
    for c in report.checks:
        assert set(c.exchanges) <= ids
    auth = report.by_id("auth")
    assert auth.http_status == 401 and auth.request_ids and "Incorrect API key" in auth.error_text


async def test_healthy_facts(demo_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("healthy")), log)
    assert report.verdict == "pass", [(c.code, c.detail) for c in report.checks]
    model, stream = report.by_id("model"), report.by_id("stream")
    assert model.charged is True and model.evidence["usage"]["total_tokens"] > 0
    assert stream.evidence["done"] and stream.evidence["finish_reason"]
    assert stream.evidence["first_token_ms"] is not None
    assert report.by_id("balance").evidence["unit"] == "USD"
    assert all(ex.status is not None for ex in log.all())


async def test_quota_is_one_root_cause(demo_gateway):
    report = await run_checks(target_for(demo_gateway.scenario_url("quota_exhausted")),
                              ExchangeLog())  # fmt: skip
    bal, model = report.by_id("balance"), report.by_id("model")
    assert bal.code == "balance.insufficient" and bal.http_status == 429
    assert bal.charged is False and "quota" in bal.error_text
    assert model.status is Status.SKIP and "Balance step" in model.detail
    assert report.by_id("auth").status is Status.PASS


async def test_rerun_only_one_step(demo_gateway):
    log = ExchangeLog()
    target = target_for(demo_gateway.scenario_url("healthy"))
    first = await run_checks(target, log)
    before = len(log)
    events: list = []
    again = await run_checks(target, log, on_event=events.append, only={"stream"}, previous=first)
    assert [e.check_id for e in events if isinstance(e, CheckStarted)] == ["stream"]
    assert again.by_id("auth") is first.by_id("auth")
    assert again.by_id("stream") is not first.by_id("stream")
    assert again.by_id("stream").status is Status.PASS
    new = log.all()[before:]
    assert new and all(ex.step == "stream" for ex in new)


async def test_rerun_keeps_failed_dependency(demo_gateway):
    target = target_for(demo_gateway.scenario_url("invalid_key"))
    first = await run_checks(target, ExchangeLog())
    again = await run_checks(target, ExchangeLog(), only=["model"], previous=first)
    assert again.by_id("model").status is Status.SKIP
    assert "auth.invalid_key" in again.by_id("model").detail


async def test_rerun_without_previous_runs_dependencies(demo_gateway):
    events: list = []
    await run_checks(target_for(demo_gateway.scenario_url("healthy")), ExchangeLog(),
                     on_event=events.append, only={"auth"})  # fmt: skip
    started = {e.check_id for e in events if isinstance(e, CheckStarted)}
    assert started == {"config", "network", "proxy", "auth"}


async def test_on_event_errors_do_not_stop_the_run(demo_gateway):
    def boom(event):
        raise RuntimeError("ui bug")

    report = await run_checks(target_for(demo_gateway.scenario_url("healthy")), ExchangeLog(),
                              on_event=boom)  # fmt: skip
    assert report.verdict == "pass"


async def test_whole_run_is_capped(demo_gateway, monkeypatch):
    import tui.core.diagnosis.engine as engine

    monkeypatch.setattr(engine, "overall_cap", lambda target: 0.5)
    t0 = time.perf_counter()
    report = await run_checks(target_for(demo_gateway.scenario_url("slow_headers"), timeout=10),
                              ExchangeLog())  # fmt: skip
    assert time.perf_counter() - t0 < 2
    assert report.by_id("network").code == "network.timeout"
    assert report.by_id("stream").status in (Status.SKIP, Status.FAIL)


async def test_cancellation_propagates(demo_gateway):
    task = asyncio.create_task(
        run_checks(target_for(demo_gateway.scenario_url("slow_headers"), timeout=10), ExchangeLog())
    )
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_key_never_in_exchanges(demo_gateway):
    masking.register_secret(FAKE_KEY)
    log = ExchangeLog()
    await run_checks(target_for(demo_gateway.scenario_url("invalid_key")), log)
    for ex in log.all():
        blob = repr(ex.request_headers) + ex.url + ex.text() + repr(ex.response_headers)
        assert FAKE_KEY not in blob


# --- config ------------------------------------------------------------------

CONFIG_CASES = [
    ("", FAKE_KEY, "gpt-4o-mini", "fail", "config.missing_base_url"),
    ("api.example.com/v1", FAKE_KEY, "m", "fail", "config.invalid_base_url"),
    ("htp:/x", FAKE_KEY, "m", "fail", "config.invalid_base_url"),
    ("https://", FAKE_KEY, "m", "fail", "config.invalid_base_url"),
    ("https://api.example.com/v1/chat/completions", FAKE_KEY, "m", "fail",
     "config.base_url_has_endpoint"),
    ("https://api.example.com/v1/models/", FAKE_KEY, "m", "fail", "config.base_url_has_endpoint"),
    ("http://api.example.com/v1", FAKE_KEY, "m", "warn", "config.insecure_http"),
    ("http://192.168.1.10:3000/v1", FAKE_KEY, "m", "pass", "config.ok"),
    ("https://api.example.com/v1", "", "m", "fail", "config.missing_key"),
    ("https://api.example.com/v1", "sk-FAKE abc-0000000000", "m", "fail", "config.key_whitespace"),
    ("https://api.example.com/v1", FAKE_KEY + "\n", "m", "warn", "config.key_whitespace"),
    ("https://api.example.com/v1", "Bearer " + FAKE_KEY, "m", "fail", "config.key_whitespace"),
    ("https://api.example.com/v1", "sk-密钥密钥密钥密钥", "m", "fail", "config.key_format"),
    ("https://api.example.com/v1", "abc", "m", "warn", "config.key_format"),
    ("https://api.example.com/v1", FAKE_KEY, " ", "fail", "config.missing_model"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "key", "model", "status", "code"), CONFIG_CASES)
async def test_config(url, key, model, status, code):
    from tui.core.diagnosis.checks.base import Context
    from tui.core.diagnosis.checks.config import check_config
    from tui.core.net.http import GatewayClient

    target = Target(base_url=url, api_key=key, model=model)
    log = ExchangeLog()
    client = GatewayClient(target, log)
    try:
        res = await check_config(Context(target, log, client, {}, base_url=url))
    finally:
        await client.aclose()
    assert (res.status.value, res.code) == (status, code), res.detail
    assert res.detail
    assert len(log) == 0, "config makes no request"


# --- target resolution ---------------------------------------------------------


def test_resolve_precedence(tmp_path):
    env = {"OPENAI_BASE_URL": "https://env.example/v1", "OPENAI_API_KEY": "sk-FAKE-env-0000000001",
           "GATEWAY_DOCTOR_API_KEY": "sk-FAKE-gd-00000000002"}  # fmt: skip
    r = resolve_target(env=env)
    assert r.target.base_url == "https://env.example/v1"
    assert r.sources["base_url"] == "env:OPENAI_BASE_URL"
    assert r.target.api_key == "sk-FAKE-gd-00000000002"
    assert r.sources["key"] == "env:GATEWAY_DOCTOR_API_KEY"
    assert "sk-FAKE-gd-00000000002" in masking.registered_secrets()
    r = resolve_target(base_url="https://flag.example/v1", model="qwen-plus", timeout=3,
                       stdin_key="sk-FAKE-stdin-000000003\n", env=env)  # fmt: skip
    assert r.sources == {**r.sources, "base_url": "flag", "key": "stdin", "model": "flag"}
    assert r.target.api_key == "sk-FAKE-stdin-000000003" and r.target.timeout == 3
    r = resolve_target(env={})
    assert (
        r.target.base_url == "https://api.alltkn.com/api/v1" and r.sources["base_url"] == "preset"
    )
    assert r.sources["key"] == "none" and r.target.model == "gpt-4o-mini"
    assert r.target.trust_env is False


def test_resolve_profile(demo_gateway):
    from tui.core.setup.profiles import Profile, save_profile

    save_profile(Profile(name="work", base_url=demo_gateway.scenario_url("healthy"),
                         model="qwen-plus", client_label="Chatbox"))  # fmt: skip
    r = resolve_target(profile="work", env={"OPENAI_API_KEY": FAKE_KEY})
    assert r.target.base_url == demo_gateway.scenario_url("healthy")
    assert r.sources["base_url"] == "profile:work" and r.sources["model"] == "profile:work"
    assert r.target.profile == "work" and r.target.client_label == "Chatbox"
    r = resolve_target(profile="nope", env={})
    assert r.target.profile is None and r.problems


def test_resolve_proxy_and_ca(tmp_path):
    env = {"HTTPS_PROXY": "http://proxy.corp:3128", "no_proxy": "localhost,.internal"}
    r = resolve_target(base_url="https://api.example.com/v1", env=env)
    assert r.target.proxy == "http://proxy.corp:3128" and r.sources["proxy"] == "env:HTTPS_PROXY"
    r = resolve_target(base_url="https://gw.internal/v1", env=env)
    assert r.target.proxy is None and "NO_PROXY" in r.sources["proxy"]
    r = resolve_target(base_url="https://api.example.com/v1", proxy="http://p:1", env=env)
    assert r.target.proxy == "http://p:1" and r.sources["proxy"] == "flag"
    r = resolve_target(ca_bundle=str(tmp_path / "missing.pem"), env={})
    assert r.target.ca_bundle is None and "CA bundle" in render(r.problems[0])
    pem = tmp_path / "ca.pem"
    pem.write_text("x")
    r = resolve_target(env={"SSL_CERT_FILE": str(pem)})
    assert r.target.ca_bundle == str(pem) and r.sources["ca_bundle"] == "env:SSL_CERT_FILE"


# NO_PROXY pattern matching: see tests/test_hardening_matrix.py::test_no_proxy_patterns.


def test_proxy_for_url_lower_case_wins():
    env = {"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2", "ALL_PROXY": "x"}
    assert proxy_for_url("https://a.b/v1", env).proxy == "http://lower:1"
    assert proxy_for_url("http://a.b/v1", env).proxy == "x"
    assert proxy_for_url("htp:/x", env).proxy is None
