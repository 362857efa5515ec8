"""Certificate facts: fetched by a bare handshake on loopback, parsed, classified.

Servers are real TLS sockets (trustme certificates, tests/support/tls_certs.py);
the fetch must never send a byte of HTTP (so never the key), must end in
bounded time, and must turn every failure into a sentence, never an exception.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from pathlib import Path

import pytest

from tests.support import tls_certs
from tests.support.servers import JSON, Conn, ForwardProxy, RawServer, canned, tls_context
from tests.support.targets import target_for
from tui.core.net import trust
from tui.core.net.http import build_verify
from tui.core.net.tls_facts import (
    INTERCEPTION_PRODUCTS,
    fetch_certificate,
    interception_product,
    kind_of,
    parse_certificate,
    verify_error_text,
)
from tui.core.net.tls_text import handshake_lines, problem_sentence

# --- interception products ----------------------------------------------------------

#: Issuer names as these products write them (O / OU / CN values).
PRODUCT_ISSUERS = {
    "Zscaler": ("Zscaler Inc.", "Zscaler Intermediate Root CA (zscalertwo.net)"),
    "Fortinet FortiGate": ("Fortinet", "FortiGate CA"),
    "Palo Alto Networks": ("Palo Alto Networks", "Forward-Trust-CA"),
    "Blue Coat / Symantec ProxySG": ("Blue Coat Systems", "ProxySG SSL Interception"),
    "Netskope": ("Netskope Inc", "caadmin.netskope.com"),
    "Cisco Umbrella": ("Cisco", "Cisco Umbrella Secondary SubCA"),
    "Sophos": ("Sophos", "Sophos SSL CA_C123"),
    "mitmproxy": ("mitmproxy", "mitmproxy"),
    "Charles Proxy": ("XK72 Ltd", "Charles Proxy CA (1 Dec 2026, host)"),
    "Fiddler": ("DO_NOT_TRUST", "DO_NOT_TRUST_FiddlerRoot"),
    "Kaspersky": ("AO Kaspersky Lab", "Kaspersky Anti-Virus Personal Root Certificate"),
    "ESET": ("ESET, spol. s r. o.", "ESET SSL Filter CA"),
    "Avast / AVG": ("Avast", "avast! Web/Mail Shield Root"),
    "Bitdefender": ("Bitdefender", "Bitdefender Personal CA.Net-Defender"),
}

#: Public CAs and ordinary names that must not be taken for interception.
PUBLIC_ISSUERS = (
    ("Let's Encrypt", "R11"),
    ("DigiCert Inc", "DigiCert Global G2 TLS RSA SHA256 2020 CA1"),
    ("Cloudflare, Inc.", "Cloudflare Inc ECC CA-3"),
    ("Google Trust Services", "WR2"),
    ("Sectigo Limited", "Sectigo RSA Domain Validation Secure Server CA"),
    ("Preset Reset Corp", "Asset CA"),  # "eset" inside words
    ("trustme v1.2.1", "Testing CA #abc"),
)


@pytest.mark.parametrize("product", sorted(PRODUCT_ISSUERS))
def test_interception_products_are_named_from_their_issuer(product):
    assert interception_product(*PRODUCT_ISSUERS[product]) == product


@pytest.mark.parametrize("names", PUBLIC_ISSUERS, ids=[n[0] for n in PUBLIC_ISSUERS])
def test_public_cas_are_not_interception(names):
    assert interception_product(*names) is None


def test_product_list_covers_the_issue():
    listed = " ".join(name for name, _ in INTERCEPTION_PRODUCTS)
    for name in ("Zscaler", "Fortinet", "Palo Alto", "Blue Coat", "Netskope", "Umbrella",
                 "Sophos", "mitmproxy", "Charles", "Fiddler", "Kaspersky", "ESET", "Avast",
                 "Bitdefender"):  # fmt: skip
        assert name in listed


# --- parsing and kinds ----------------------------------------------------------------


def _der(files_pem: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(files_pem.read_text())


def test_parse_self_signed_certificate(tmp_path):
    files = tls_certs.self_signed(tmp_path, common_name="gw.example.lan")
    facts = parse_certificate(_der(files.ca_pem))
    assert facts["subject"] == facts["issuer"] == "CN=gw.example.lan"
    assert facts["self_signed"] is True and facts["expired"] is False
    assert facts["names"] == ["localhost", "127.0.0.1"]
    assert len(facts["sha256"]) == 64 and facts["days_left"] >= 29


def test_parse_garbage_is_a_sentence_not_an_exception():
    assert "unreadable certificate" in parse_certificate(b"\x30\x03not a cert")["parse_error"]


@pytest.mark.parametrize(
    ("code", "message", "cert", "kind"),
    [
        (10, "certificate has expired", {}, "expired"),
        (None, "x", {"expired": True}, "expired"),
        (9, "certificate is not yet valid", {}, "not_yet_valid"),
        (62, "Hostname mismatch, certificate is not valid for 'a'.", {}, "hostname_mismatch"),
        (64, "IP address mismatch", {}, "hostname_mismatch"),
        (20, "unable to get local issuer certificate", {}, "unknown_issuer"),
        (19, "self-signed certificate in certificate chain", {}, "unknown_issuer"),
        (18, "self-signed certificate", {}, "self_signed"),
        (None, "self-signed certificate", {}, "self_signed"),
        (None, "something new", {"self_signed": True}, "self_signed"),
        (None, "something new", {}, "other"),
    ],
)
def test_kind_of(code, message, cert, kind):
    assert kind_of(code, message, cert) == kind


def test_platform_wording_falls_back_to_the_certificate_names():
    """macOS/Windows verifiers word errors their own way: the names decide."""
    cert = {"names": ["api.example.com", "*.example.net"]}
    assert kind_of(None, "not trusted (platform)", cert, "evil.example.org") == "hostname_mismatch"
    assert kind_of(None, "not trusted (platform)", cert, "a.example.net") == "other"
    assert kind_of(None, "not trusted (platform)", cert, "API.example.com.") == "other"
    assert kind_of(None, "not trusted (platform)", cert, "a.b.example.net") == "hostname_mismatch"


def test_verify_error_text_from_an_httpx_message():
    text = ("TLS failed: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
            "unable to get local issuer certificate (_ssl.c:1006)")  # fmt: skip
    assert verify_error_text(text) == (None, "unable to get local issuer certificate")
    assert verify_error_text("connection refused") is None


# --- fetching over real sockets ------------------------------------------------------


def _silent_tls(files) -> RawServer:  # noqa: ANN001
    """A TLS server that records whatever the client sends after the handshake."""

    async def handle(conn: Conn) -> None:
        await conn.read_request()

    return RawServer(handle, ssl_context=files.server)


async def test_fetch_reads_the_certificate_and_sends_no_http(tmp_path):
    files = tls_certs.intercepting(tmp_path)
    with _silent_tls(files) as srv:
        facts = await fetch_certificate("127.0.0.1", srv.port, 3.0)
        await asyncio.sleep(0.1)
        assert srv.requests == [], "the fetch must not send a request (nor a key)"
    assert facts["interception"] == "Zscaler"
    assert "O=Zscaler Inc." in facts["issuer"] and "127.0.0.1" in facts["names"]
    assert facts["tls_version"] in ("TLSv1.2", "TLSv1.3")


async def test_fetch_through_a_connect_proxy(tmp_path):
    files = tls_context("expired", tmp_path)
    with _silent_tls(files) as srv, ForwardProxy() as proxy:
        facts = await fetch_certificate("127.0.0.1", srv.port, 3.0, proxy=proxy.url)
    assert facts["expired"] is True, facts
    assert any(s.startswith("CONNECT") for s in proxy.seen)


async def test_fetch_from_plain_http_and_closed_port_are_sentences(tmp_path, unused_tcp_port):
    with RawServer(canned(200, JSON)) as plain:  # waits for a request line that never comes
        facts = await fetch_certificate("127.0.0.1", plain.port, 1.0)
    assert "no TLS handshake" in facts["fetch_error"]
    facts = await fetch_certificate("127.0.0.1", unused_tcp_port, 3.0)
    assert "could not read the certificate" in facts["fetch_error"]


async def test_fetch_from_a_server_that_never_handshakes_is_bounded():
    async def mute(conn: Conn) -> None:
        await asyncio.sleep(30)

    with RawServer(mute) as srv:
        started = time.monotonic()
        facts = await fetch_certificate("127.0.0.1", srv.port, 0.5)
    assert time.monotonic() - started < 2
    assert "within 0.5 s" in facts["fetch_error"]


async def test_fetch_proxy_refusing_connect(tmp_path):
    with ForwardProxy(credentials="alice:FAKEpass") as proxy:
        facts = await fetch_certificate("127.0.0.1", 443, 3.0, proxy=proxy.url)
    assert "refused CONNECT" in facts["fetch_error"] and "407" in facts["fetch_error"]


# --- trust source ------------------------------------------------------------------


def test_default_trust_is_the_system_store(tmp_path):
    verify = build_verify(target_for("https://127.0.0.1/v1"))
    assert isinstance(verify, ssl.SSLContext)
    if trust.truststore is not None:
        assert type(verify).__module__.startswith("truststore")
    assert "operating system" in trust.trust_source(target_for("https://x/v1"), {})
    pem = tmp_path / "corp.pem"
    pem.write_text("x")
    flag = target_for("https://x/v1", ca_bundle=str(pem))
    assert trust.trust_source(flag, {}) == f"CA bundle {pem} (from --ca-bundle)"
    env = {"SSL_CERT_FILE": str(pem)}
    assert trust.trust_source(flag, env) == f"CA bundle {pem} (from SSL_CERT_FILE)"
    off = target_for("https://x/v1", insecure=True)
    assert trust.trust_source(off, {}).startswith("none: verification disabled")


# --- sentences ----------------------------------------------------------------------


def test_sentences_per_kind_in_both_languages():
    cert = {"subject": "CN=gw", "issuer": "CN=Corp CA", "names": ["other.example"],
            "not_after": "2026-01-01 00:00 UTC", "not_before": "2025-01-01 00:00 UTC"}  # fmt: skip
    problem = {"host": "127.0.0.1", "port": 443, "message": "m"}
    expect = {
        "expired": ("expired on 2026-01-01", "过期"),
        "not_yet_valid": ("clock is probably wrong", "本机时钟"),
        "hostname_mismatch": ("it is for other.example, not 127.0.0.1", "而不是 127.0.0.1"),
        "unknown_issuer": ("issued by CN=Corp CA", "根证书"),
        "self_signed": ("self-signed", "自签名"),
    }
    for kind, (en, zh) in expect.items():
        p = {**problem, "kind": kind}
        assert en in problem_sentence(p, cert, "en"), kind
        assert zh in problem_sentence(p, cert, "zh-CN"), kind
    rows = dict(handshake_lines({"tls_problem": {**problem, "kind": "expired"},
                                 "certificate": cert}))  # fmt: skip
    assert rows["issuer"] == "CN=Corp CA" and rows["names (SAN)"] == "other.example"
