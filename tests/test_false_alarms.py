"""A healthy gateway is never failed (issue 20): healthy-but-unusual demo scenarios, many runs.

Each scenario is a working gateway a naive check would fail: a short reply in
one fast burst, the whole reply in one SSE event, keep-alive comments before
the first token, an HTTP/1.0 close-delimited stream, no balance endpoints, a
sub-millisecond gateway, a slow but steady one. Each runs the whole checklist
(in-process engine, demo gateway on loopback) many times, a few at once so that
scheduling jitter is part of the test, and no run may fail or warn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.support.targets import target_for
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Report, Status
from tui.core.net.exchange import ExchangeLog
from tui.demo.server import DemoGateway

#: scenario -> runs. The slow ones (keep-alives for 0.8 s, 5 tokens at 200 ms) run fewer times.
RUNS = {
    "healthy": 10,
    "ping_comments": 10,
    "short_burst": 15,
    "single_event": 15,
    "keepalive_first": 10,
    "http10_stream": 15,
    "no_balance": 15,
    "very_fast": 15,
    "slow_steady": 10,
}
#: Runs at once: load and scheduling jitter are part of what the verdicts must survive
#: (our own loop running late is measured: tui/core/net/looplag.py).
AT_ONCE = 5
TOO_SHORT = "too short to judge buffering"


@pytest.fixture(scope="module")
def gateways() -> Iterator[dict[str, DemoGateway]]:
    """One demo gateway per scenario, the scenario as its default (so the balance
    endpoints at the server root are those of the scenario too)."""
    gws = {s: DemoGateway(scenario=s, tokens_per_second=2000).start_in_thread() for s in RUNS}
    yield gws
    for gw in gws.values():
        gw.stop()


async def many(url: str, runs: int) -> list[Report]:
    """``runs`` whole checklists against ``url``, AT_ONCE at a time."""
    sem = asyncio.Semaphore(AT_ONCE)

    async def one() -> Report:
        async with sem:
            return await run_checks(target_for(url, timeout=5.0), ExchangeLog(), env={})

    return await asyncio.gather(*(one() for _ in range(runs)))


def problems(report: Report) -> list[str]:
    return [
        f"{c.code} ({c.status.value}): {c.detail}"
        for c in report.checks
        if c.status in (Status.FAIL, Status.WARN)
    ]


@pytest.mark.parametrize("scenario", list(RUNS))
async def test_healthy_scenario_never_fails_nor_warns(gateways, scenario):
    reports = await many(gateways[scenario].base_url, RUNS[scenario])
    bad = [p for r in reports for p in problems(r)]
    assert not bad, f"{len(bad)} false alarms in {len(reports)} runs: {bad[:3]}"
    for r in reports:
        stream = r.by_id("stream")
        assert stream.code == "stream.ok", stream.detail
        assert stream.evidence["buffering"]["verdict"] != "buffered"
        if scenario == "no_balance":
            assert r.by_id("balance").code == "balance.unknown"
        if scenario in ("short_burst", "single_event"):
            assert TOO_SHORT in stream.detail
            assert "回复太短，无法判断是否被缓冲" in detail_for(stream, "zh-CN")


async def test_keepalives_before_the_burst_show_a_live_path(gateways):
    """The reply comes in one burst after 0.8 s, long enough to be judged, but the
    keep-alive comments came through during the wait: a buffering proxy holds those too."""
    (report,) = await many(gateways["keepalive_first"].base_url, 1)
    ev = report.by_id("stream").evidence
    assert ev["comments_ignored"] == 4 and ev["content_chunks"] >= 20
    assert ev["first_token_ms"] >= ev["buffering"]["wait_needed_ms"]
    assert ev["buffering"]["verdict"] == "live"


async def test_http10_stream_is_close_delimited(gateways):
    log = ExchangeLog()
    url = gateways["http10_stream"].base_url
    report = await run_checks(target_for(url), log, env={})
    assert report.by_id("stream").code == "stream.ok"
    (ex,) = [e for e in log.all() if e.step == "stream"]
    assert ex.http_version == "HTTP/1.0"
    assert ex.header("content-length") is None and ex.header("transfer-encoding") is None


async def test_very_fast_gateway_is_too_fast_to_judge(gateways):
    (report,) = await many(gateways["very_fast"].base_url, 1)
    stream = report.by_id("stream")
    assert stream.evidence["buffering"]["verdict"] in ("too_fast", "live")
    if stream.evidence["buffering"]["verdict"] == "too_fast":
        assert "too fast to judge buffering" in stream.detail
        assert "回复来得太快" in detail_for(stream, "zh-CN")


async def test_buffered_stream_is_still_buffered(demo_gateway):
    """The true positive stays: the whole reply held for a second, nothing before it."""
    reports = await many(demo_gateway.scenario_url("buffered_stream"), 3)
    for r in reports:
        stream = r.by_id("stream")
        assert (stream.status, stream.code) == (Status.FAIL, "stream.buffered"), stream.detail
        assert "nothing at all arrived" in stream.detail
        assert "缓冲" in detail_for(stream, "zh-CN")
