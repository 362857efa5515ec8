"""GatewayClient records and masks every exchange and never raises for failures.

Narrow unit cases use httpx.MockTransport; the loopback behaviour is covered by
the engine and demo-gateway integration tests.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient, classify_transport_error, parse_json
from tui.core.safe.masking import register_secret

KEY = "sk-FAKE-http-unit-0000000000001234"


def _client(handler, log: ExchangeLog, **target_kw) -> GatewayClient:
    target = Target(base_url="https://gw.test/v1", api_key=KEY, model="m", timeout=2, **target_kw)
    register_secret(KEY)
    return GatewayClient(
        target, log, client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )


async def test_records_masked_exchange_with_request_id() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"Bearer {KEY}"
        return httpx.Response(200, json={"data": [], "echo": KEY}, headers={"x-request-id": "r1"})

    log = ExchangeLog()
    async with _client(handler, log) as client:
        ex = await client.request("GET", "https://gw.test/v1/models", step="auth")
    assert ex.status == 200 and ex.id == "ex-0001" and log.all() == [ex]
    assert KEY not in str(ex.request_headers) and KEY.encode() not in ex.response_body
    assert ex.request_ids() == ["x-request-id: r1"]
    assert parse_json(ex)["data"] == []
    assert ex.timings["total"] >= 0


async def test_transport_error_is_recorded_not_raised() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    log = ExchangeLog()
    async with _client(handler, log) as client:
        ex = await client.request("GET", "https://gw.test/v1/models", step="network")
    assert ex.status is None and ex.error_kind == "connect_refused"


async def test_total_timeout_bounds_a_slow_answer() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200)

    log = ExchangeLog()
    async with _client(handler, log) as client:
        ex = await client.request(
            "GET", "https://gw.test/v1/models", step="auth", total_timeout=0.2
        )
    assert ex.error_kind == "total_timeout" and ex.duration_ms < 2000


async def test_sse_events_recorded_with_offsets_and_callback() -> None:
    body = b'data: {"choices":[{"delta":{"content":"hi"}}]}\n\n: PING\n\ndata: [DONE]\n\n'

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    seen = []
    log = ExchangeLog()
    async with _client(handler, log) as client:
        ex = await client.request(
            "POST",
            "https://gw.test/v1/chat/completions",
            step="stream",
            json={"stream": True},
            stream=True,
            on_sse=lambda ev, off: seen.append(ev.data),
        )
    assert [e.data for e in ex.sse_events] == [seen[0], "PING", "[DONE]"]
    assert ex.sse_events[1].comment and all(e.offset_ms >= 0 for e in ex.sse_events)


async def test_cancellation_is_recorded_then_raised() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200)

    log = ExchangeLog()
    async with _client(handler, log) as client:
        task = asyncio.create_task(client.request("GET", "https://gw.test/v1/x", step="chat"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert log.all()[0].error_kind == "cancelled"


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "dns"),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "tls"),
        (httpx.ConnectTimeout("timed out"), "connect_timeout"),
        (httpx.ReadTimeout("timed out"), "read_timeout"),
        (httpx.ProxyError("407 Proxy Authentication Required"), "proxy_auth"),
        (httpx.RemoteProtocolError("peer closed connection"), "protocol"),
        (httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'htp://'"), "bad_url"),
    ],
)
def test_classify_transport_error(exc: Exception, kind: str) -> None:
    assert classify_transport_error(exc)[0] == kind
