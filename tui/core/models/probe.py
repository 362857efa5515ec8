"""The probe engine: one tiny completion per model, bounded, classified like the checklist.

Each model gets ``max_tokens: 1`` (the cheapest proof that key, group, channel and
model line up). Failures are classified by the checklist's own classifier, so the
codes are the same vocabulary (``model.unavailable``, ``model.not_permitted``,
``balance.insufficient`` …). A 429 that is a rate limit (not money) backs off per
``Retry-After`` (bounded, a few retries) instead of marking the model broken.
At most ``concurrency`` requests are in flight; cancelling the run keeps what was
measured and marks the rest skipped.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from tui.core.diagnosis.checks.base import PING_MESSAGES, info_of, is_timeout, short
from tui.core.diagnosis.checks.classify import ErrorInfo
from tui.core.models import DEFAULT_CONCURRENCY, MAX_CONCURRENCY
from tui.core.net.exchange import Exchange
from tui.core.net.http import GatewayClient, parse_json
from tui.core.net.sse import ParsedEvent
from tui.core.safe.masking import mask

__all__ = [
    "ProbeResult",
    "code_for",
    "probe_models",
    "retry_after_seconds",
    "sort_results",
    "with_skipped",
]

#: Longest Retry-After honoured; a gateway asking for more is reported, not waited for.
MAX_BACKOFF = 30.0
#: Retries of one model after a 429 rate limit.
MAX_RETRIES = 3
#: Wait when a 429 says nothing about when to retry (doubles per retry).
DEFAULT_BACKOFF = 1.0

STATUS_ORDER = {"pass": 0, "warn": 1, "fail": 2, "skip": 3}

#: Classifier kinds → the checklist's codes (model step; key problems are auth's).
_CODES = {
    "model_not_found": "model.not_found",
    "not_found": "model.not_found",
    "not_permitted": "model.not_permitted",
    "forbidden": "model.not_permitted",
    "invalid_key": "auth.invalid_key",
    "key_expired": "auth.key_expired",
    "key_disabled": "auth.key_disabled",
    "ip_not_allowed": "auth.ip_not_allowed",
    "unavailable": "model.unavailable",
    "rate_limited": "model.rate_limited",
    "quota": "balance.insufficient",
    "server_error": "model.server_error",
    "gateway_error": "model.gateway_error",
}


@dataclass(slots=True)
class ProbeResult:
    """What one model's probe found. ``said`` is the gateway's words, masked and short."""

    model: str
    status: str = "skip"
    code: str | None = None
    latency_ms: float | None = None
    ttft_ms: float | None = None
    request_id: str | None = None
    http_status: int | None = None
    said: str = ""
    retries: int = 0
    retry_after: float | None = None
    listed: bool | None = None
    exchange: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def code_for(info: ErrorInfo, listed: bool | None) -> str:
    """The code for a classified failure; a listed model is never "not found"
    (new-api answers "no channel in your group" with ``model_not_found``)."""
    code = _CODES.get(info.kind) or ("model.gateway_error" if info.html else "model.bad_response")
    if code == "model.not_found" and listed:
        return "model.unavailable"
    return code


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date; None when unreadable."""
    if not value:
        return None
    value = value.strip()[:64]
    try:
        secs = float(value)
        if secs < 0:  # no delay a gateway can ask for: the default back-off, not "at once"
            return None
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        secs = when.timestamp() - time.time()
    if secs != secs:  # NaN
        return None
    return max(0.0, secs)


def sort_results(results: Sequence[ProbeResult]) -> list[ProbeResult]:
    """Working first, then warnings, failures, not probed; fastest first within each."""
    return sorted(
        results,
        key=lambda r: (
            STATUS_ORDER.get(r.status, 9),
            r.latency_ms if r.latency_ms is not None else float("inf"),
            r.model,
        ),
    )


def request_id(ex: Exchange) -> str | None:
    """The gateway's request id (the value of its first ``*request-id`` header), short."""
    for name, value in ex.response_headers:
        low = name.lower()
        if low.endswith("request-id") or low in ("cf-ray", "x-trace-id", "trace-id"):
            return mask(short(value, 80)) or None
    return None


#: OpenAI's reasoning models refuse ``max_tokens`` and name the field they want instead.
_WANTS_COMPLETION_TOKENS = "max_completion_tokens"


def _body(model: str, stream: bool, limit_field: str = "max_tokens") -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "messages": PING_MESSAGES, limit_field: 1}
    if stream:
        body["stream"] = True
    return body


def _fill_ok(r: ProbeResult, ex: Exchange, stream: bool) -> None:
    """A 2xx: a completion with choices (or a stream with data) works."""
    if stream:
        data = [e for e in ex.sse_events if e.data and not e.comment]
        good = bool(data) or (ex.sse_stats is not None and ex.sse_stats.data_events > 0)
    else:
        body = parse_json(ex)
        choices = body.get("choices") if isinstance(body, dict) else None
        good = isinstance(choices, list) and bool(choices)
    if good:
        r.status, r.code = "pass", "model.ok"
    else:
        r.status, r.code = "fail", "model.bad_response"
        r.said = mask(short(ex.response_body[:300].decode("utf-8", "replace"), 160))


async def _one(
    client: GatewayClient,
    model: str,
    *,
    stream: bool,
    timeout: float,
    listed: bool | None,
    sleep: Callable[[float], Awaitable[None]],
) -> ProbeResult:
    r = ProbeResult(model, listed=listed)
    url = client.target.endpoint("chat/completions")
    limit_field = "max_tokens"
    attempt = 0
    while attempt <= MAX_RETRIES:
        first: list[float] = []

        def on_sse(pe: ParsedEvent, offset: float, first: list[float] = first) -> None:
            if not first and pe.data and pe.data.strip() != "[DONE]":
                first.append(offset)

        ex = await client.request(
            "POST",
            url,
            step="models",
            json=_body(model, stream, limit_field),
            stream=stream,
            on_sse=on_sse if stream else None,
            total_timeout=timeout,
        )
        r.exchange, r.retries = ex.id, attempt
        r.latency_ms = round(ex.duration_ms, 1)
        r.ttft_ms = round(first[0], 1) if first else None
        r.http_status = ex.status
        r.request_id = request_id(ex)
        if ex.error:
            r.status = "fail"
            r.code = "model.timeout" if is_timeout(ex) else "network.gateway_error"
            r.said = mask(short(ex.error, 160))
            return r
        info = info_of(ex)
        if info.kind == "ok":
            r.said = ""
            _fill_ok(r, ex, stream)
            return r
        r.code = code_for(info, listed)
        r.said = mask(short(info.message, 160))
        if (
            ex.status == 400
            and limit_field == "max_tokens"
            and _WANTS_COMPLETION_TOKENS in info.message
        ):
            limit_field = _WANTS_COMPLETION_TOKENS  # once, with the field the model wants
            continue
        if info.kind != "rate_limited":
            r.status = "fail"
            return r
        wait = retry_after_seconds(info.retry_after)
        r.retry_after = wait
        if wait is None:
            wait = DEFAULT_BACKOFF * (2**attempt)
        if wait > MAX_BACKOFF or attempt == MAX_RETRIES:
            break
        await sleep(wait)
        attempt += 1
    r.status = "warn"  # rate limited: not broken, just not now
    return r


async def probe_models(
    client: GatewayClient,
    models: Sequence[str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    stream: bool = False,
    timeout: float | None = None,
    listed: set[str] | None = None,
    on_result: Callable[[ProbeResult], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> list[ProbeResult]:
    """Probe each model; results in ``models`` order, each also passed to ``on_result``.

    Cancelled (Ctrl-C): the requests in flight stop, the results so far are kept and the
    rest are ``skip``; the returned list is then complete. ``listed`` is the ``/models``
    list when known (a listed model refused as "not found" is unavailable instead).
    """
    limit = asyncio.Semaphore(max(1, min(concurrency, MAX_CONCURRENCY)))
    per_request = timeout if timeout is not None else client.target.timeout * 2
    done: dict[int, ProbeResult] = {}

    async def run(i: int, model: str) -> None:
        async with limit:
            r = await _one(
                client,
                model,
                stream=stream,
                timeout=per_request,
                listed=None if listed is None else model in listed,
                sleep=sleep,
            )
        done[i] = r
        if on_result is not None:
            on_result(r)

    tasks = [asyncio.ensure_future(run(i, m)) for i, m in enumerate(models)]
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return [done[i] for i in range(len(models))]


def with_skipped(models: Sequence[str], got: Sequence[ProbeResult]) -> list[ProbeResult]:
    """``got`` (results of an interrupted run) plus a ``skip`` row for each model not
    probed, in ``models`` order."""
    by_model = {r.model: r for r in got}
    return [by_model.get(m) or ProbeResult(m) for m in models]
