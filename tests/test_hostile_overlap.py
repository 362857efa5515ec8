"""Overlapped checks (issue 14): requests go out early, results are read in order.

The requests of network, auth, model, balance and stream are sent as soon as
config passes; each step still interprets them in dependency order, so a
failure is one root cause with the rest skipped ("waits for …"), and a request
a skipped step never used stays in the log marked not needed. A strict gateway
(one request per key at a time, the demo's ``one_at_a_time``) answers the
overlapping requests 429: each is retried once, alone, after the request that
got through, so it never reads as ``rate_limited``. Rows of ``HOSTILE_ROWS``
are asserted below (docs/hardening.md is generated from them).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.servers import JSON, MODELS_BODY, Conn, RawServer, canned
from tests.support.targets import target_for
from tui.core.diagnosis.checks.balance_again import NOTE
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status
from tui.core.i18n.catalogue import text
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.demo.server import DemoGateway

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Overlap", "the key may have one request in flight (LiteLLM max_parallel_requests 1): every "
     "overlapping request gets 429 'Crossed TPM / RPM / Max Parallel Request Limit'",
     "every check passes (balance.ok, model.ok, stream.ok): each 429 is retried once, alone, "
     "after the request that got through; the 429 stays in the log, noted as retried"),
    ("Overlap", "every completion answers 429 rate_limit_exceeded (Retry-After: 20) while the "
     "other requests succeed",
     "model.rate_limited from the one retry's answer (a real limit stays a limit); stream "
     "skipped 'waits for model (model.rate_limited)'"),
    ("Overlap", "every keyed request answers 429 at once (nothing succeeds)",
     "auth.rate_limited without any retry: no request got through, so it is not congestion"),
    ("Overlap", "the key is invalid (401 on every keyed request, all sent at once)",
     "auth.invalid_key and model, balance, stream skipped 'waits for auth (auth.invalid_key)'; "
     "their 401 exchanges stay in the log marked 'not needed: … waits for auth'"),
    ("Overlap", "the base URL answers 301 to another path of the same origin",
     "network.redirect (warn); the requests sent early to the old path are marked not needed "
     "and the checks ask the new path, as before"),
    ("Overlap", "the base URL has an endpoint pasted in (config fails)",
     "config.base_url_has_endpoint and not one request reaches the server"),
]  # fmt: skip

LATENCY_MS = 200


@pytest.fixture(scope="module")
def slow_gateway():
    gw = DemoGateway(port=0, latency_ms=LATENCY_MS, tokens_per_second=2000)
    gw.start_in_thread()
    try:
        yield gw
    finally:
        gw.stop()


def _t(ex: Exchange) -> float:
    return datetime.fromisoformat(ex.started_at.replace("Z", "+00:00")).timestamp()


def _codes(report) -> dict[str, str]:
    return {c.id: c.code for c in report.checks}


async def test_requests_go_out_together_and_are_read_in_order(slow_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(slow_gateway.scenario_url("healthy"), timeout=5), log)
    assert report.verdict == "pass", _codes(report)
    first = {}
    for ex in log.all():
        first.setdefault(ex.step, ex)
    start = _t(first["network"])
    for step in ("auth", "model", "balance", "stream"):
        # Sent with the network probe, not one latency (200 ms) or more after it.
        assert _t(first[step]) - start < LATENCY_MS / 2000, (step, first[step].started_at)
    # Each check used the request sent for it: nothing is marked not needed.
    assert [ex.note for ex in log.all() if ex.note and ex.note != NOTE] == []
    # Three steps in a row of 200 ms each, overlapped: well under the sequential 5 × 200 ms
    # (plus the balance read again after the completions, one more round trip at the end).
    again = max((ex.duration_ms for ex in log.all() if ex.note == NOTE), default=0.0)
    assert report.duration_ms - again < 4 * LATENCY_MS, (report.duration_ms, again)


async def test_one_request_at_a_time_is_not_rate_limited(slow_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(slow_gateway.scenario_url("one_at_a_time"),
                                         timeout=5), log)  # fmt: skip
    codes = _codes(report)
    assert report.verdict == "pass", codes
    assert codes["balance"] == "balance.ok" and codes["model"] == "model.ok", codes
    assert codes["stream"] == "stream.ok" and codes["auth"] == "auth.ok", codes
    refused = [ex for ex in log.all() if ex.status == 429]
    assert refused, "the overlapping requests met the limit"
    for ex in refused:
        assert "retried once, alone" in ex.note, (ex.step, ex.note)
        assert any(r.note.startswith(f"retry of {ex.id}") and r.status == 200 for r in log.all())
    for c in report.checks:
        assert not set(c.exchanges) & {ex.id for ex in refused}, (c.id, "cites a 429")


async def test_a_real_rate_limit_stays_one_after_one_retry(slow_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(slow_gateway.scenario_url("rate_limited"), timeout=5),
                              log)  # fmt: skip
    model, stream = report.by_id("model"), report.by_id("stream")
    assert model.code == "model.rate_limited" and "Retry-After: 20" in model.detail
    cited = log.get(model.exchanges[-1])
    assert cited is not None and cited.note.startswith("retry of ")
    assert stream.status is Status.SKIP and stream.detail == "waits for Model (model.rate_limited)"
    models = [ex for ex in log.all() if ex.step == "model"]
    assert len(models) == 2, "retried once, not more"


async def test_429_for_everything_is_not_retried():
    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            if req.header("authorization"):
                body = b'{"error": {"message": "Rate limit reached", "type": "requests"}}'
                await conn.respond(429, JSON, body)
            else:
                await conn.respond(200, JSON, MODELS_BODY)

    with RawServer(handle) as srv:
        log = ExchangeLog()
        report = await run_checks(target_for(srv.url + "/v1"), log)
    assert report.by_id("auth").code == "auth.rate_limited"
    keyed = [r for r in srv.requests if r.header("authorization")]
    assert len(keyed) == len({(r.method, r.target, r.body) for r in keyed}), "no retries"
    assert not any(ex.note.startswith("retry of") for ex in log.all())


async def test_skipped_steps_keep_their_exchanges_marked_not_needed(slow_gateway):
    log = ExchangeLog()
    report = await run_checks(target_for(slow_gateway.scenario_url("invalid_key"), timeout=5), log)
    assert report.by_id("auth").code == "auth.invalid_key"
    for cid in ("model", "balance", "stream"):
        res = report.by_id(cid)
        assert (
            res.status is Status.SKIP
            and res.detail == "waits for Authentication (auth.invalid_key)"
        )
        assert res.exchanges == []
        sent = [ex for ex in log.all() if ex.step == cid]
        assert sent, f"{cid}'s request went out early"
        for ex in sent:
            step = text(f"step.{cid}")
            said = f"not needed: {step} waits for Authentication (auth.invalid_key)"
            assert ex.note.startswith(said), ex.note
    assert not [ex for ex in log.all() if ex.step in ("network", "auth") and ex.note]


async def test_a_same_origin_redirect_asks_the_new_address(slow_gateway):
    log = ExchangeLog()
    base = slow_gateway.scenario_url("redirect")
    report = await run_checks(target_for(base, timeout=5), log)
    codes = _codes(report)
    assert codes["network"] == "network.redirect" and report.by_id("network").status is Status.WARN
    assert codes["auth"] == "auth.ok" and codes["stream"] == "stream.ok", codes
    early = [ex for ex in log.all() if ex.url.startswith(base) and ex.step != "network"]
    assert early and all(ex.note.startswith("not needed:") for ex in early)
    assert all("instead" in ex.note for ex in early), [ex.note for ex in early]
    used = {i for c in report.checks for i in c.exchanges}
    assert not used & {ex.id for ex in early}


async def test_nothing_is_sent_when_config_fails():
    with RawServer(canned()) as srv:
        log = ExchangeLog()
        report = await run_checks(target_for(srv.url + "/v1/chat/completions"), log)
    assert report.by_id("config").code == "config.base_url_has_endpoint"
    assert srv.requests == [] and len(log) == 0
