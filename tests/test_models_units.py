"""Narrow units of the probe engine (back-off bounds, concurrency, cancel) over
httpx.MockTransport, and the remembered results file."""

from __future__ import annotations

import asyncio
import json
import os
import stat

import httpx
import pytest

from tui.core.diagnosis.model import Target
from tui.core.models import memory
from tui.core.models.probe import (
    MAX_BACKOFF,
    MAX_RETRIES,
    ProbeResult,
    probe_models,
    retry_after_seconds,
    sort_results,
)
from tui.core.models.render import csv_cell
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient

KEY = "sk-test-FAKE-units-0123456789abcdef"
OK = {"choices": [{"message": {"content": "h"}, "finish_reason": "length"}]}


def _client(handler) -> GatewayClient:
    target = Target(base_url="https://gw.test/v1", api_key=KEY, model="m", timeout=2)
    return GatewayClient(
        target, ExchangeLog(), client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )


def _rate_limited(retry_after: str | None):
    def handler(req: httpx.Request) -> httpx.Response:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = {
            "error": {"message": "Rate limit reached for requests", "code": "rate_limit_exceeded"}
        }
        return httpx.Response(429, json=body, headers=headers)

    return handler


async def test_retry_after_beyond_the_cap_is_reported_not_waited() -> None:
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)

    async with _client(_rate_limited("120")) as client:
        (r,) = await probe_models(client, ["m"], sleep=sleep)
    assert slept == [] and r.status == "warn" and r.code == "model.rate_limited"
    assert r.retry_after == 120.0


async def test_backoff_without_retry_after_doubles_and_stops() -> None:
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)

    async with _client(_rate_limited(None)) as client:
        (r,) = await probe_models(client, ["m"], sleep=sleep)
    assert slept == [1.0, 2.0, 4.0] and len(slept) == MAX_RETRIES
    assert r.status == "warn" and r.retries == MAX_RETRIES and max(slept) <= MAX_BACKOFF


async def test_quota_429_is_money_not_a_rate() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        body = {
            "error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}
        }
        return httpx.Response(429, json=body, headers={"Retry-After": "1"})

    async with _client(handler) as client:
        (r,) = await probe_models(client, ["m"])
    assert (r.status, r.code, r.retries) == ("fail", "balance.insufficient", 0)


async def test_at_most_concurrency_in_flight() -> None:
    now = peak = 0

    async def handler(req: httpx.Request) -> httpx.Response:
        nonlocal now, peak
        now += 1
        peak = max(peak, now)
        await asyncio.sleep(0.02)
        now -= 1
        return httpx.Response(200, json=OK)

    async with _client(handler) as client:
        got = await probe_models(client, [f"m{i}" for i in range(12)], concurrency=3)
    assert peak == 3 and all(r.status == "pass" for r in got)


async def test_a_2xx_error_object_and_a_listed_not_found() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        model = json.loads(req.content)["model"]
        if model == "a":
            return httpx.Response(200, json={"error": {"message": "无可用渠道"}})
        if model == "b":
            return httpx.Response(404, json={"error": {"message": "x", "code": "model_not_found"}})
        return httpx.Response(200, json={"id": "no choices"})

    async with _client(handler) as client:
        got = await probe_models(client, ["a", "b", "c"], listed={"b"})
    assert [r.code for r in got] == ["model.unavailable", "model.unavailable", "model.bad_response"]


def test_retry_after_forms() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert retry_after_seconds("nan") is None
    assert retry_after_seconds("-100") is None  # not 0: that retried at once, 4 times in 50 ms


def test_sorted_by_status_then_latency() -> None:
    rs = [ProbeResult("s", "skip"), ProbeResult("f", "fail", latency_ms=1),
          ProbeResult("p2", "pass", latency_ms=50), ProbeResult("p1", "pass", latency_ms=5),
          ProbeResult("w", "warn", latency_ms=1)]  # fmt: skip
    assert [r.model for r in sort_results(rs)] == ["p1", "p2", "w", "f", "s"]


def test_csv_cell_defuses_formulas() -> None:
    for bad in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert csv_cell(bad).startswith("'")
    assert csv_cell("gpt-4o") == "gpt-4o" and csv_cell(None) == ""


def test_remembered_per_profile_masked_and_private(tmp_path) -> None:
    a = Target(base_url="http://gw/v1", api_key=KEY, profile="a")
    b = Target(base_url="http://gw/v1", api_key=KEY + "-other", profile="a")  # another key
    c = Target(base_url="http://gw/v1/", api_key=KEY, profile="b")  # same gateway and key
    assert memory.remember(a, [ProbeResult("m1", "pass", "model.ok", latency_ms=320.4),
                               ProbeResult("m2", "fail", "model.unavailable"),
                               ProbeResult("m3", "skip")], now=1000.0) is None  # fmt: skip
    got, warning = memory.remembered_for(a)
    assert warning is None and set(got) == {"m1", "m2"}
    assert got["m1"].latency_ms == 320.4 and got["m1"].age_s(now=1300.0) == 300.0
    assert memory.remembered_for(b)[0] == {}
    assert set(memory.remembered_for(c)[0]) == {"m1", "m2"}
    assert (
        memory.remembered_for(Target(base_url="http://gw2/v1", api_key=KEY, profile="a"))[0] == {}
    )
    path = tmp_path / "state" / memory.FILE_NAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    raw = path.read_text()
    assert KEY not in raw and "sk-…" in raw


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b'{"version": 99, "profiles": {}}', b"\xff\xfe" * 100]
)
def test_a_corrupt_file_is_ignored_with_a_warning(tmp_path, content) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700, exist_ok=True)
    (state / memory.FILE_NAME).write_bytes(content)
    t = Target(base_url="http://gw/v1", api_key=KEY, profile="a")
    got, warning = memory.remembered_for(t)
    assert got == {} and warning is not None and warning.id == "models.memory.corrupt"
    # the next probe replaces it, and says once that the old one was not usable
    assert memory.remember(t, [ProbeResult("m", "pass", "model.ok", latency_ms=1.0)]) is not None
    assert set(memory.remembered_for(t)[0]) == {"m"}


def test_bad_entries_are_skipped(tmp_path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700, exist_ok=True)
    scope = memory.profile_key(Target(base_url="u", profile="a"))
    data = {"version": 1, "profiles": {scope: {"models": {
        "ok": {"status": "pass", "code": "model.ok", "latency_ms": 3, "at": 5},
        "bad": {"status": "exploded", "at": 5}, "worse": [1, 2], "x": {"status": "pass"}}}}}  # fmt: skip
    (state / memory.FILE_NAME).write_text(json.dumps(data))
    got, warning = memory.remembered_for(Target(base_url="u", profile="a"))
    assert warning is None and list(got) == ["ok"]


async def test_a_reasoning_model_is_asked_again_with_max_completion_tokens() -> None:
    bodies: list[dict] = []

    def handler(req: httpx.Request) -> httpx.Response:
        body = json.loads(req.content)
        bodies.append(body)
        if "max_tokens" in body:
            said = ("Unsupported parameter: 'max_tokens' is not supported with this model. "
                    "Use 'max_completion_tokens' instead.")  # fmt: skip
            err = {"message": said, "type": "invalid_request_error", "param": "max_tokens",
                   "code": "unsupported_parameter"}  # fmt: skip
            return httpx.Response(400, json={"error": err})
        return httpx.Response(200, json=OK)

    async with _client(handler) as client:
        (r,) = await probe_models(client, ["o1"])
    assert (r.status, r.code, r.retries) == ("pass", "model.ok", 0)
    assert [("max_tokens" in b, b.get("max_completion_tokens")) for b in bodies] == [
        (True, None),
        (False, 1),
    ]


async def test_a_400_that_stays_is_reported_once() -> None:
    calls = 0

    def handler(req: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        said = "Use 'max_completion_tokens' instead. And also no."
        return httpx.Response(400, json={"error": {"message": said}})

    async with _client(handler) as client:
        (r,) = await probe_models(client, ["o1"])
    assert calls == 2 and r.status == "fail" and r.code == "model.bad_response"
