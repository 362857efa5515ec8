"""The proxy step's verdict follows the one root cause, through real proxies (issue 12 review).

A gateway that fails the same way on both routes is not the proxy's fault; a
proxy that says its own TLS check toward the gateway failed gets certificate
advice, not "the gateway is down"; a direct route that fails only on TLS does
not make the proxy "needed"; advice commands use the corrected proxy URL; and
``e`` on ``proxy.intercepts_tls`` shows the certificate the proxy presented.
The proxies are proxy.py and mitmdump (``tests/support/peers.py``), the
gateway the demo gateway (``slow_headers`` holds every status line 30 s).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import FAKE_KEY
from tests.support import peers
from tests.support.peers import Peer
from tests.support.servers import RawServer, reverse_proxy, tls_context
from tests.test_proxies_real import run_check, step

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Proxy (real)", "gateway holds its status line 30 s (`slow_headers`) behind a working "
     "proxy.py or mitmdump, `--timeout 2` (http and https)",
     "`proxy.ok` “the gateway gives no answer either … as on the direct route: the proxy is "
     "not the cause”; network reports `network.timeout` (was `proxy.refused` “the proxy does "
     "not forward” with “ask the proxy administrator to allow …”)"),
    ("Proxy (real)", "mitmdump without the gateway's CA (its own upstream check fails: 502 "
     "“Certificate verify failed”), mitmproxy's CA given with `--ca-bundle`",
     "`proxy.upstream_failed` “the proxy does not trust the gateway's certificate” quoting "
     "mitmproxy, with advice to add the gateway's CA to the proxy or fix the certificate (was "
     "“the gateway itself is down / check that it is running”)"),
    ("Proxy (real)", "mitmdump trusting the gateway, `--ca-bundle` holding only mitmproxy's "
     "CA (the direct route fails TLS)", "`proxy.ok` “the direct route fails on TLS (--ca-bundle "
     "…), which does not mean the proxy is needed” (was “the proxy is needed”)"),
    ("Proxy (real)", "`--proxy https://…` for proxy.py, and `HTTP_PROXY=127.0.0.1:PORT` (no "
     "scheme)", "the advice's curl uses the corrected `http://127.0.0.1:PORT`, en and zh (was "
     "`curl -x https://…` again, or the `http://<proxy-host>:<port>` placeholder)"),
    ("Console", "`e` on a failed `proxy.intercepts_tls` step (mitmdump re-signing HTTPS)",
     "the step detail shows the certificate the proxy presented (issuer mitmproxy, the "
     "interception product, the proxy) instead of the inspector's bare TLS error"),
]  # fmt: skip

proxy_py = peers.proxy_py
mitmdump_factory = peers.mitmdump_factory


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


@pytest.fixture
def tls_front(demo_gateway, tmp_path):
    """The demo gateway behind a TLS front whose CA is ``.ca_pem``."""
    files = tls_context("valid", tmp_path)
    srv = RawServer(reverse_proxy(demo_gateway.port), ssl_context=files.server).start()
    srv.ca_pem = files.ca_pem  # type: ignore[attr-defined]
    try:
        yield srv
    finally:
        srv.stop()


@pytest.mark.parametrize(
    ("peer", "https"), [("proxy.py", False), ("proxy.py", True), ("mitmdump", False)]
)
def test_slow_gateway_is_not_the_proxys_fault(
    peer, https, proxy_py, mitmdump_factory, demo_gateway, tls_front, capsys
):
    proxy = proxy_py.url if peer == "proxy.py" else mitmdump_factory().url
    if https:
        base = tls_front.url + "/scenario/slow_headers/v1"
        extra = ["--ca-bundle", str(tls_front.ca_pem)]
    else:
        base, extra = demo_gateway.scenario_url("slow_headers"), []
    args = ["--base-url", base, "--proxy", proxy, "--timeout", "2", *extra]
    code, data, _ = run_check(capsys, args)
    res = step(data, "proxy")
    assert code == 1 and res["code"] == "proxy.ok", res
    assert "no answer either" in res["detail"] and "not the cause" in res["detail"], res
    assert res["evidence"]["neither_route"] == "timeout"
    assert not any("allow" in s for s in res["remediation"])
    assert step(data, "network")["code"] == "network.timeout", step(data, "network")
    if not https:
        _, zh, _ = run_check(capsys, [*args, "--lang", "zh-CN"])
        assert "问题不在代理" in step(zh, "proxy")["detail"], step(zh, "proxy")


def test_proxy_does_not_trust_the_gateway_certificate(mitmdump_factory, tls_front, capsys):
    mitm: Peer = mitmdump_factory()  # no upstream CA: mitmproxy cannot verify the gateway
    args = ["--base-url", tls_front.url + "/v1", "--proxy", mitm.url, "--timeout", "4"]
    args += ["--ca-bundle", str(mitm.ca_pem)]
    code, data, _ = run_check(capsys, args)
    res = step(data, "proxy")
    assert code == 1 and res["code"] == "proxy.upstream_failed", res
    assert "does not trust the gateway's certificate" in res["detail"], res["detail"]
    assert "Certificate verify failed" in res["detail"]
    assert "does not answer" not in res["detail"]
    advice = " ".join(res["remediation"])
    assert "gateway's CA" in advice and "running" not in advice, advice
    assert f"curl -x {mitm.url} -I {tls_front.url}" in advice
    _, zh, _ = run_check(capsys, [*args, "--lang", "zh-CN"], fmt="--json")
    zres = step(zh, "proxy")
    assert "代理不信任网关的证书" in zres["detail"], zres["detail"]
    assert any("网关的 CA" in s for s in zres["remediation"]), zres["remediation"]


def test_direct_tls_failure_does_not_make_the_proxy_needed(mitmdump_factory, tls_front, capsys):
    mitm: Peer = mitmdump_factory(upstream_ca=tls_front.ca_pem)
    args = ["--base-url", tls_front.url + "/v1", "--proxy", mitm.url, "--timeout", "4"]
    args += ["--ca-bundle", str(mitm.ca_pem)]  # only the proxy's CA: direct TLS fails
    code, data, _ = run_check(capsys, args)
    res = step(data, "proxy")
    assert res["code"] == "proxy.ok", res
    assert "needed" not in res["detail"].replace("does not mean the proxy is needed", "")
    assert "the direct route fails on TLS (--ca-bundle" in res["detail"], res["detail"]
    _, zh, _ = run_check(capsys, [*args, "--lang", "zh-CN"])
    assert "直连在 TLS 证书校验上失败" in step(zh, "proxy")["detail"]
    assert "需要代理" not in step(zh, "proxy")["detail"]


def test_advice_uses_the_corrected_proxy_url(proxy_py, demo_gateway, capsys, monkeypatch):
    good = f"http://127.0.0.1:{proxy_py.port}"
    base = demo_gateway.scenario_url("healthy")
    origin = f"http://127.0.0.1:{demo_gateway.port}"
    wrong = ["--proxy", f"https://127.0.0.1:{proxy_py.port}"]
    for lang in ("en", "zh-CN"):
        args = ["--base-url", base, *wrong, "--timeout", "5", "--lang", lang]
        _, data, _ = run_check(capsys, args)
        res = step(data, "proxy")
        assert res["code"] == "proxy.bad_url"
        advice = json.dumps(res["remediation"], ensure_ascii=False)
        assert f"curl -x {good} -I {origin}" in advice and "https://127.0.0.1" not in advice
    monkeypatch.setenv("HTTP_PROXY", f"127.0.0.1:{proxy_py.port}")
    _, data, _ = run_check(capsys, ["--base-url", base, "--timeout", "5"])
    res = step(data, "proxy")
    assert res["code"] == "proxy.bad_url"
    assert any(f"curl -x {good} -I {origin}" in s for s in res["remediation"]), res
    assert "<proxy-host>" not in json.dumps(res["remediation"])


async def test_e_on_intercepts_tls_shows_the_proxys_certificate(mitmdump_factory, tls_front):
    from tests.support.console import screen_text, wait_for
    from tests.support.targets import target_for
    from tui.ui.app import GatewayDoctorApp
    from tui.ui.widgets.checklist import Checklist

    mitm: Peer = mitmdump_factory(upstream_ca=tls_front.ca_pem)
    target = target_for(
        tls_front.url + "/v1", timeout=4.0, proxy=mitm.url, ca_bundle=str(tls_front.ca_pem)
    )
    app = GatewayDoctorApp(target, sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"})
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=20)
        assert app.report.by_id("proxy").code == "proxy.intercepts_tls"
        app.main.query_one(Checklist).select_check("proxy")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        text = screen_text(app)
    assert "TLS handshake" in text, text
    assert "O=mitmproxy" in text and "interception product" in text, text
    assert f"through the proxy: {mitm.url}" in text or mitm.url in text, text
