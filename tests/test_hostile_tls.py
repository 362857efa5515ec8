"""TLS the way a helpdesk meets it: broken certificates, interception, --insecure.

Every gateway here is a real TLS socket on loopback (trustme / cryptography
certificates from tests/support) in front of the demo gateway, so the steps
after network pass when the certificate is trusted. Each row of
``HOSTILE_ROWS`` is asserted by the test named in its comment.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FAKE_KEY
from tests.support import peers, tls_certs
from tests.support.console import screen_text, wait_for
from tests.support.servers import Conn, RawServer, TlsFiles, reverse_proxy, tls_context
from tests.support.targets import target_for
from tui.cli import main
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status
from tui.core.inspect.exports import to_curl
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.safe import masking

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "TLS",
        "certificate expired yesterday (CA trusted with --ca-bundle)",
        "network.tls_failed “it expired on DATE: the gateway's operator must renew it, or this "
        "computer's clock is wrong (it says NOW)”; subject, issuer, SANs and validity in the "
        "evidence; no HTTP request reaches the server",
    ),
    (
        "TLS",
        "certificate valid only from tomorrow",
        "network.tls_failed “valid only from DATE: this computer's clock is probably wrong”",
    ),
    (
        "TLS",
        "certificate for other.example served at 127.0.0.1",
        "network.tls_failed “it is for other.example, not 127.0.0.1: check the address in the "
        "base URL, or something in between answers for that host”",
    ),
    (
        "TLS",
        "certificate from a CA this computer does not know",
        "network.tls_failed naming the issuer: install the company's root CA in the system "
        "store, or --ca-bundle FILE / SSL_CERT_FILE",
    ),
    (
        "TLS",
        "a truly self-signed certificate (CN=my-gateway.lan)",
        "network.tls_failed “it is self-signed (CN=my-gateway.lan): for your own gateway pass "
        "this certificate with --ca-bundle FILE …”",
    ),
    (
        "TLS",
        "certificate re-signed by a CA named like an interception product (Zscaler, "
        "FortiGate, mitmproxy)",
        "network.tls_failed “issued by Zscaler (…), which re-signs HTTPS: install your "
        "company's root CA …”; evidence interception = the product",
    ),
    (
        "TLS",
        "`--insecure` against an expired certificate",
        "exit 0 but not “every check passed”: network.tls_unverified (warn) “TLS verification "
        "is off (--insecure) and it hides a problem: … expired …”; the text report, the JSON "
        "target (tls.verify false) and the support summary say verification is OFF",
    ),
    (
        "TLS",
        "`--insecure` against a certificate that would be trusted",
        "network.tls_unverified “the certificate would be trusted anyway: drop --insecure”",
    ),
    (
        "TLS",
        "http:// base URL redirecting to https:// on a host with an untrusted certificate",
        "network.tls_failed at the redirect target (“the redirect target https://…: the "
        "certificate … is not trusted”), not a redirect or auth.not_openai_compatible",
    ),
    (
        "TLS",
        "certificate with 300 SANs and a 5,000-character organisation name",
        "evidence keeps 20 names (names_total 300) and cuts each name to 300 characters",
    ),
    (
        "TLS",
        "company CA installed in the system store (OpenSSL's SSL_CERT_FILE), no flags",
        "every check passes through the OS store (truststore); config evidence says which "
        "trust source was used",
    ),
    (
        "TLS",
        "curl export of an exchange made with --ca-bundle / --insecure",
        "the command carries --cacert FILE / --insecure, and the exported curl runs as is",
    ),
    (
        "TLS",
        "`--insecure` through mitmdump (a real TLS-intercepting proxy)",
        "network.tls_unverified names what verification would have said through the tunnel: "
        "“issued by mitmproxy (…), which re-signs HTTPS”; was: nothing checked",
    ),
    (
        "TLS",
        "`--insecure` through proxy.py to a gateway whose certificate expired",
        "network.tls_unverified “… hides a problem: … expired on DATE …” (verified through "
        "the CONNECT tunnel, no HTTP request, no key)",
    ),
    (
        "Console",
        "`e` on a network step that failed in the TLS handshake (no HTTP request)",
        "the step detail shows the handshake evidence (server, problem, subject, issuer, "
        "interception product, SANs, validity) instead of “This step made no HTTP request”",
    ),
    (
        "Console",
        "`gateway-doctor --ca-bundle FILE --insecure` (the console's own advice)",
        "accepted (was “invalid choice”); a missing file is exit 2 with one line",
    ),
]


def _front(demo_gateway, files: TlsFiles) -> RawServer:  # noqa: ANN001
    """A TLS server in front of the demo gateway (plain HTTP behind it)."""
    return RawServer(reverse_proxy(demo_gateway.port), ssl_context=files.server)


def _url(srv: RawServer) -> str:
    return srv.url + "/scenario/healthy/v1"


KINDS = {
    # name: (certificate factory, trust its CA?, English excerpt, Chinese excerpt, kind)
    "expired": (lambda d: tls_context("expired", d), True, "it expired on", "过期", "expired"),
    "future": (
        tls_certs.not_yet_valid,
        True,
        "clock is probably wrong",
        "本机时钟",
        "not_yet_valid",
    ),
    "wrong_host": (
        lambda d: tls_context("wrong_host", d),
        True,
        "it is for other.example, not 127.0.0.1",
        "而不是 127.0.0.1",
        "hostname_mismatch",
    ),
    "unknown_ca": (
        lambda d: tls_context("self_signed", d),
        False,
        "which this computer does not trust",
        "根证书",
        "unknown_issuer",
    ),
    "self_signed": (
        tls_certs.self_signed,
        False,
        "self-signed (CN=my-gateway.lan)",
        "自签名",
        "self_signed",
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", sorted(KINDS))
async def test_each_kind_gets_its_own_fix(name, demo_gateway, tmp_path):
    make, trusted, en, zh, kind = KINDS[name]
    files = make(tmp_path)
    with _front(demo_gateway, files) as srv:
        ca = str(files.ca_pem) if trusted else None
        report = await run_checks(target_for(_url(srv), ca_bundle=ca), ExchangeLog())
        assert srv.requests == [], "no HTTP request (so no key) may reach an untrusted server"
    net = report.by_id("network")
    assert (net.status, net.code) == (Status.FAIL, "network.tls_failed"), net.detail
    assert en in net.detail and zh in detail_for(net, "zh-CN")
    assert net.evidence["tls_problem"]["kind"] == kind
    cert = net.evidence["certificate"]
    assert cert["subject"] and cert["issuer"] and cert["not_after"] and cert["names"]
    assert [c.code for c in report.checks if c.status is Status.FAIL] == ["network.tls_failed"]


@pytest.mark.parametrize(
    ("org", "unit", "product"),
    [
        ("Zscaler Inc.", "Zscaler Root CA", "Zscaler"),
        ("Fortinet", "FortiGate CA", "Fortinet FortiGate"),
        ("mitmproxy", "mitmproxy", "mitmproxy"),
    ],
)
async def test_interception_product_is_named(org, unit, product, demo_gateway, tmp_path):
    files = tls_certs.intercepting(tmp_path, org=org, unit=unit)
    with _front(demo_gateway, files) as srv:
        report = await run_checks(target_for(_url(srv)), ExchangeLog())
    net = report.by_id("network")
    assert net.code == "network.tls_failed"
    assert f"issued by {product} (" in net.detail and "re-signs HTTPS" in net.detail
    assert net.evidence["certificate"]["interception"] == product
    assert product in detail_for(net, "zh-CN") and "重新签发" in detail_for(net, "zh-CN")


def _check(capsys, monkeypatch, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    code = main(["check", "--timeout", "3", *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


def test_insecure_is_a_warning_that_names_the_hidden_problem(demo_gateway, tmp_path, capsys,
                                                             monkeypatch):  # fmt: skip
    files = tls_context("expired", tmp_path)
    with _front(demo_gateway, files) as srv:
        args = ["--base-url", _url(srv), "--ca-bundle", str(files.ca_pem), "--insecure"]
        code, out = _check(capsys, monkeypatch, "--json", *args)
        data = json.loads(out)
        text_code, text = _check(capsys, monkeypatch, *args)
    assert code == text_code == 0
    assert data["verdict"] == "warn", [(c["id"], c["code"]) for c in data["checks"]]
    net = next(c for c in data["checks"] if c["id"] == "network")
    assert (net["status"], net["code"]) == ("warn", "network.tls_unverified")
    assert "hides a problem" in net["detail"] and "expired on" in net["detail"]
    assert net["evidence"]["tls_problem"]["kind"] == "expired"
    assert data["target"]["tls"] == {"verify": False, "ca_bundle": str(files.ca_pem)}
    assert "verification OFF (--insecure)" in data["support_summary"]
    assert "network.tls_unverified" in data["support_summary"]
    assert "TLS: verification OFF" in text and "every check passed" not in text
    assert "Remove --insecure" in text


async def test_insecure_on_a_good_certificate_says_drop_it(demo_gateway, tmp_path):
    files = tls_context("valid", tmp_path)
    with _front(demo_gateway, files) as srv:
        target = target_for(_url(srv), ca_bundle=str(files.ca_pem), insecure=True)
        report = await run_checks(target, ExchangeLog())
    net = report.by_id("network")
    assert (net.status, net.code) == (Status.WARN, "network.tls_unverified")
    assert "would be trusted anyway: drop --insecure" in net.detail
    assert "即使打开校验" in detail_for(net, "zh-CN")
    assert report.verdict == "warn"


async def test_redirect_to_an_untrusted_https_host_is_a_tls_problem_there(demo_gateway, tmp_path):
    files = tls_context("self_signed", tmp_path)  # unknown CA
    with _front(demo_gateway, files) as tls_srv:
        location = _url(tls_srv) + "/models"

        async def redirect(conn: Conn) -> None:
            while await conn.read_request() is not None:
                await conn.respond(301, [("Location", location)], b"")

        with RawServer(redirect) as plain:
            report = await run_checks(target_for(plain.url + "/scenario/healthy/v1"),
                                      ExchangeLog())  # fmt: skip
        assert tls_srv.requests == []
    net = report.by_id("network")
    assert (net.status, net.code) == (Status.FAIL, "network.tls_failed"), net.detail
    assert net.detail.startswith(f"the redirect target {location}: the certificate of 127.0.0.1")
    assert net.evidence["tls_problem"]["url"] == location
    assert "Testing CA" in net.evidence["certificate"]["issuer"]
    assert "重定向目标" in detail_for(net, "zh-CN")
    assert report.by_id("auth").status is Status.SKIP


async def test_hostile_certificate_names_are_capped(demo_gateway, tmp_path):
    import trustme

    ca = trustme.CA(organization_name="Z" * 5000)
    leaf = ca.issue_cert("127.0.0.1", *[f"n{i}.example" for i in range(299)])
    files = tls_certs._files(ca, leaf, tmp_path, "huge")
    with _front(demo_gateway, files) as srv:
        report = await run_checks(target_for(_url(srv)), ExchangeLog())
    cert = report.by_id("network").evidence["certificate"]
    assert len(cert["names"]) == 20 and cert["names_total"] == 300
    assert len(cert["issuer"]) <= 300


async def test_system_store_is_trusted_without_flags(demo_gateway, tmp_path, monkeypatch):
    files = tls_context("valid", tmp_path)
    # OpenSSL's default store on Linux honours SSL_CERT_FILE: the "installed" company CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(files.ca_pem))
    with _front(demo_gateway, files) as srv:
        report = await run_checks(target_for(_url(srv)), ExchangeLog(), env={})
    assert report.verdict == "pass", [(c.code, c.detail) for c in report.checks]
    trust = report.by_id("config").evidence["tls_trust"]
    assert trust == "the operating system's certificate store (truststore)"


async def test_curl_export_carries_the_ca_and_runs(demo_gateway, tmp_path, monkeypatch):
    files = tls_context("valid", tmp_path)
    masking.register_secret(FAKE_KEY)
    with _front(demo_gateway, files) as srv:
        target = target_for(_url(srv), ca_bundle=str(files.ca_pem))
        async with GatewayClient(target, ExchangeLog()) as client:
            ex = await client.request("GET", target.endpoint("models"), step="auth")
        cmd = to_curl(ex)
        assert f"--cacert {shlex.quote(str(files.ca_pem))}" in cmd and FAKE_KEY not in cmd
        env = {"OPENAI_API_KEY": FAKE_KEY, "PATH": "/usr/bin:/bin"}
        run = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=20,
                             env=env, check=False)  # fmt: skip
        assert run.returncode == 0 and "200" in run.stdout.splitlines()[0], run.stderr
        off = target_for(_url(srv), insecure=True)
        async with GatewayClient(off, ExchangeLog()) as client:
            ex = await client.request("GET", off.endpoint("models"), step="auth")
    assert "--insecure" in to_curl(ex) and "--cacert" not in to_curl(ex)


async def test_e_on_a_tls_step_shows_the_handshake(tmp_path):
    from tui.ui.app import GatewayDoctorApp
    from tui.ui.widgets.checklist import Checklist

    files = tls_certs.intercepting(tmp_path)
    notes: list[str] = []
    masking.register_secret(FAKE_KEY)

    async def mute(conn: Conn) -> None:
        await conn.read_request()

    with RawServer(mute, ssl_context=files.server) as srv:
        target = target_for(srv.url + "/v1", timeout=3.0)
        app = GatewayDoctorApp(target, sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"})
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        async with app.run_test(size=(140, 45)) as pilot:
            await wait_for(pilot, lambda: app.report is not None, timeout=15)
            app.main.query_one(Checklist).select_check("network")
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            text = screen_text(app)
    assert not any("no HTTP request" in n for n in notes), notes
    assert "TLS handshake (no HTTP request was made; the key was not sent)" in text
    assert "interception product" in text and "Zscaler" in text and "unknown_issuer" in text


def test_console_accepts_ca_bundle_and_insecure(tmp_path, monkeypatch, capsys):
    import tui.commands.console as console
    import tui.ui.app

    seen = {}

    class FakeApp:
        return_code = 0

        def __init__(self, target, **kw) -> None:  # noqa: ANN001
            seen["target"] = target

        def run(self) -> None:
            pass

    monkeypatch.setattr(console, "needs_terminal", lambda *_a, **_k: None)
    monkeypatch.setattr(tui.ui.app, "GatewayDoctorApp", FakeApp)
    ca = tmp_path / "corp.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    assert main(["--ca-bundle", str(ca), "--insecure"]) == 0
    assert seen["target"].ca_bundle == str(ca) and seen["target"].insecure is True
    assert main(["--ca-bundle", str(tmp_path / "missing.pem")]) == 2
    err = capsys.readouterr().err
    assert "--ca-bundle: no such file" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


proxy_py = peers.proxy_py
mitmdump_factory = peers.mitmdump_factory


async def test_insecure_through_mitmdump_names_the_interception(demo_gateway, tmp_path,
                                                                mitmdump_factory):  # fmt: skip
    files = tls_context("valid", tmp_path)
    with _front(demo_gateway, files) as srv:
        mitm = mitmdump_factory(upstream_ca=files.ca_pem)
        target = target_for(_url(srv), proxy=mitm.url, insecure=True, timeout=5.0)
        report = await run_checks(target, ExchangeLog())
    net = report.by_id("network")
    assert (net.status, net.code) == (Status.WARN, "network.tls_unverified"), net.detail
    assert "hides a problem" in net.detail and "issued by mitmproxy (" in net.detail
    assert net.evidence["certificate"]["interception"] == "mitmproxy"
    assert net.evidence["tls_checked"] is True


async def test_insecure_through_proxy_py_names_the_expiry(demo_gateway, tmp_path, proxy_py):
    files = tls_context("expired", tmp_path)
    with _front(demo_gateway, files) as srv:
        target = target_for(_url(srv), proxy=proxy_py.url, insecure=True, timeout=5.0,
                            ca_bundle=str(files.ca_pem))  # fmt: skip
        report = await run_checks(target, ExchangeLog())
    net = report.by_id("network")
    assert (net.status, net.code) == (Status.WARN, "network.tls_unverified"), net.detail
    assert "hides a problem" in net.detail and "expired on" in net.detail
    assert net.evidence["tls_problem"]["kind"] == "expired"


def test_rows_are_covered() -> None:
    assert len(HOSTILE_ROWS) == 16
    assert all(len(r) == 3 and all(isinstance(x, str) and x for x in r) for r in HOSTILE_ROWS)
    assert Path(__file__).read_text().count("async def test_") >= 8
