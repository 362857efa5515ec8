"""Engine network paths: a forward proxy (ok / 407 / unreachable / NO_PROXY) and TLS (trustme).

Both servers (tests/support/servers.py) run on loopback; the gateway behind the proxy is the
demo gateway.
"""

from __future__ import annotations

from tests.conftest import FAKE_KEY
from tests.support.servers import JSON, ForwardProxy, RawServer, canned, tls_context
from tests.support.targets import target_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status
from tui.core.net.exchange import ExchangeLog
from tui.core.setup.target import resolve_target

# --- proxy paths (the test forward proxy over loopback) ---------------------------


async def test_proxy_ok(demo_gateway):
    with ForwardProxy() as proxy:
        url = proxy.url
        report = await run_checks(target_for(demo_gateway.scenario_url("healthy"), proxy=url),
                                  ExchangeLog())  # fmt: skip
    res = report.by_id("proxy")
    assert res.code == "proxy.ok", res.detail
    assert res.evidence["direct_works"] and res.evidence["proxy_works"]
    assert report.verdict == "pass", [(c.code, c.detail) for c in report.checks]
    assert report.proxy_in_use == url
    assert any("/chat/completions" in s for s in proxy.seen), "the checks went through the proxy"


async def test_proxy_auth_required(demo_gateway):
    with ForwardProxy(credentials="alice:FAKEpass") as proxy:  # the target sends none
        report = await run_checks(target_for(demo_gateway.scenario_url("healthy"),
                                              proxy=proxy.url), ExchangeLog())  # fmt: skip
    assert report.by_id("proxy").code == "proxy.auth_required"
    assert report.by_id("proxy").evidence["direct_works"] is True
    failed = [c.code for c in report.checks if c.status is Status.FAIL]
    assert failed == ["proxy.auth_required"], failed
    assert report.by_id("auth").status is Status.SKIP


async def test_proxy_unreachable(demo_gateway, unused_tcp_port):
    url = f"http://127.0.0.1:{unused_tcp_port}"
    report = await run_checks(target_for(demo_gateway.scenario_url("healthy"), proxy=url),
                              ExchangeLog())  # fmt: skip
    res = report.by_id("proxy")
    assert res.code == "proxy.unreachable"
    assert "direct route works" in res.detail
    assert [c.code for c in report.checks if c.status is Status.FAIL] == ["proxy.unreachable"]


async def test_proxy_bypassed_by_no_proxy(demo_gateway):
    env = {"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"}
    resolved = resolve_target(base_url=demo_gateway.scenario_url("healthy"), env=env,
                              stdin_key=FAKE_KEY)  # fmt: skip
    report = await run_checks(resolved.target, ExchangeLog(), env=env)
    res = report.by_id("proxy")
    assert res.code == "proxy.bypassed" and res.status is Status.PASS
    assert res.evidence["no_proxy_match"] == "127.0.0.1"
    assert report.verdict == "pass"


# --- TLS (trustme) ---------------------------------------------------------------


async def test_tls_untrusted_then_trusted(tmp_path):
    from tui.core.diagnosis.checks.base import Context
    from tui.core.diagnosis.checks.network import check_network
    from tui.core.net.http import GatewayClient

    tls = tls_context("valid", tmp_path)
    body = b'{"error":{"message":"missing api key","type":"invalid_request_error"}}'
    with RawServer(canned(401, JSON, body), ssl_context=tls.server) as server:
        url = f"https://localhost:{server.port}/v1"
        for ca, expected in ((None, "network.tls_failed"), (str(tls.ca_pem), "network.ok")):
            target = target_for(url, ca_bundle=ca)
            log = ExchangeLog()
            client = GatewayClient(target, log)
            try:
                res = await check_network(Context(target, log, client, {}, base_url=url))
            finally:
                await client.aclose()
            assert res.code == expected, res.detail
        assert "tls" in res.evidence and res.evidence["tls"]["days_left"] > 0
        assert "localhost" in res.evidence["tls"]["names"]
        assert "issuer" in res.evidence["tls"] and "connect_ms" in res.evidence


async def test_dns_failure_is_named():
    report = await run_checks(target_for("https://gateway-doctor-test.invalid/v1"), ExchangeLog())
    net = report.by_id("network")
    assert net.code == "network.dns_failed", net.detail
    assert "gateway-doctor-test.invalid" in net.detail
    assert [c.code for c in report.checks if c.status is Status.FAIL] == ["network.dns_failed"]
