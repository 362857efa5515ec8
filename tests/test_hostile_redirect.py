"""A hostile gateway cannot get the key sent elsewhere by a redirect.

Each test runs a redirecting gateway on loopback (plain or TLS via trustme)
and a recording server at the address it points to: the recorder must never
see the key, whatever the redirect (another port, scheme or host name, or a
chain that leaves the origin on a later hop). The network step still reports
where the base URL leads, in English and Chinese.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import FAKE_KEY
from tests.support.leaks import leaks
from tests.support.servers import (
    JSON,
    MODELS_BODY,
    Conn,
    RawServer,
    Request,
    canned,
    tls_context,
)
from tests.support.targets import target_for
from tui.core.chat.session import ChatSession
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Report, Status
from tui.core.diagnosis.remediation import remedy
from tui.core.inspect.exports import to_curl
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.net.origin import origin_of, origin_text, same_origin

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "Redirect",
        "an https base URL answers 301 Location: http://127.0.0.1:OTHER/… (cleartext, "
        "another port)",
        "network fails as network.redirect naming both URLs and “update the base URL if you "
        "trust the new address” (both languages); auth, balance, model and stream are "
        "skipped; OTHER never receives the key",
    ),
    (
        "Redirect",
        "the base URL answers 307 to the same host on another port",
        "the same: another origin is not adopted; the key stays home",
    ),
    (
        "Redirect",
        "http://127.0.0.1:P answers 301 to http://localhost:P (the same server under "
        "another host name)",
        "another origin: the server never receives the key under the name localhost",
    ),
    (
        "Redirect",
        "an http base URL answers 301 to https (an upgrade, on another port)",
        "another origin too: the https URL is suggested as the base URL; the key is not "
        "sent there until the user changes it",
    ),
    (
        "Redirect",
        "a same-origin 308 hop, then a 302 to another origin",
        "every hop must stay on the origin: not adopted, network.redirect, no key sent",
    ),
    (
        "Redirect (chat)",
        "a chat request is answered with 301 to http://127.0.0.1:OTHER/…",
        "not followed: the reply fails as network.redirect naming both URLs and the advice; "
        "OTHER receives nothing",
    ),
    (
        "Key guard",
        "any request carrying the key (Authorization or a key header) aimed at another "
        "origin than the configured base URL",
        "not sent, no connection opened: recorded as key_withheld “not sent: the key goes "
        "only to <configured origin>”",
    ),
]

ADVICE_EN = "update the base URL if you trust the new address"
ADVICE_ZH = "如果信任新地址"
AUTHENTICATED = ("auth", "balance", "model", "stream")


def redirecting(status: int, to: str, *, only_host: str | None = None) -> object:
    """Answer every request with ``status`` to ``to`` + the same path.

    With ``only_host``, requests whose Host header is something else get the
    model list instead (one server under two names).
    """

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            if only_host is not None and req.header("host") != only_host:
                await conn.respond(200, JSON, MODELS_BODY)
            else:
                await conn.respond(status, [("Location", to + req.target)])

    return handle


def keyed(requests: list[Request], host: str | None = None) -> list[Request]:
    """Requests that carry the key (any header or the path), optionally under ``host``."""
    out = []
    for r in requests:
        if host is not None and r.header("host") != host:
            continue
        if leaks([r.target, *r.headers.values()], key=FAKE_KEY) or r.header("authorization"):
            out.append(r)
    return out


def assert_key_stayed_home(report: Report, log: ExchangeLog, base: str) -> None:
    for ex in log.all():
        if ex.step in AUTHENTICATED:
            assert same_origin(ex.url, base), (ex.step, ex.url)
    for cid in AUTHENTICATED:
        assert report.by_id(cid).status is Status.SKIP, report.by_id(cid).detail


def assert_reported(report: Report, first: str, to: str) -> None:
    net = report.by_id("network")
    assert net.status is Status.FAIL and net.code == "network.redirect", net.detail
    assert first in net.detail and to in net.detail and ADVICE_EN in net.detail, net.detail
    zh = detail_for(net, "zh-CN")
    assert first in zh and to in zh and ADVICE_ZH in zh, zh
    assert "trust" in " ".join(remedy("network.redirect").steps)
    assert "信任" in " ".join(remedy("network.redirect", "zh-CN").steps)


async def test_https_301_to_cleartext_other_port_keeps_the_key(tmp_path: Path) -> None:
    tls = tls_context("valid", tmp_path)
    with RawServer(canned()) as other:
        gw = RawServer(redirecting(301, other.url), ssl_context=tls.server)
        with gw:
            base = f"{gw.url}/v1"
            log = ExchangeLog()
            target = target_for(base, ca_bundle=str(tls.ca_pem))
            report = await run_checks(target, log, env={})
    assert keyed(other.requests) == []
    assert all(r.method == "GET" for r in other.requests)  # only the keyless probe
    assert_reported(report, f"{base}/models", f"{other.url}/v1/models")
    assert_key_stayed_home(report, log, base)
    assert report.by_id("network").evidence["suggested_base_url"] == f"{other.url}/v1"


async def test_307_to_another_port_keeps_the_key() -> None:
    with RawServer(canned()) as other, RawServer(redirecting(307, other.url)) as gw:
        base = f"{gw.url}/v1"
        log = ExchangeLog()
        report = await run_checks(target_for(base), log, env={})
    assert keyed(other.requests) == []
    assert_reported(report, f"{base}/models", f"{other.url}/v1/models")
    assert_key_stayed_home(report, log, base)


async def test_another_host_name_for_the_same_server_is_another_origin() -> None:
    gw = RawServer(redirecting(301, "", only_host=None))
    with gw:
        here = f"127.0.0.1:{gw.port}"
        gw.handler = redirecting(301, f"http://localhost:{gw.port}", only_host=here)
        base = f"{gw.url}/v1"
        log = ExchangeLog()
        report = await run_checks(target_for(base), log, env={})
    assert any(r.header("host") == f"localhost:{gw.port}" for r in gw.requests), "probe went"
    assert keyed(gw.requests, host=f"localhost:{gw.port}") == []
    assert_reported(report, f"{base}/models", f"http://localhost:{gw.port}/v1/models")
    assert_key_stayed_home(report, log, base)


async def test_http_to_https_upgrade_suggests_https_but_keeps_the_key(tmp_path: Path) -> None:
    tls = tls_context("valid", tmp_path)
    with RawServer(canned(), ssl_context=tls.server) as secure:
        with RawServer(redirecting(301, secure.url)) as gw:
            base = f"{gw.url}/v1"
            log = ExchangeLog()
            target = target_for(base, ca_bundle=str(tls.ca_pem))
            report = await run_checks(target, log, env={})
    assert keyed(secure.requests) == []
    assert_reported(report, f"{base}/models", f"{secure.url}/v1/models")
    assert report.by_id("network").evidence["suggested_base_url"] == f"{secure.url}/v1"
    assert_key_stayed_home(report, log, base)


async def test_a_chain_that_leaves_the_origin_on_a_later_hop() -> None:
    with RawServer(canned()) as other:

        async def handle(conn: Conn) -> None:
            while (req := await conn.read_request()) is not None:
                if req.target.startswith("/v1/"):
                    await conn.respond(308, [("Location", "/v2/" + req.target[4:])])
                else:
                    await conn.respond(302, [("Location", other.url + req.target)])

        with RawServer(handle) as gw:
            base = f"{gw.url}/v1"
            log = ExchangeLog()
            report = await run_checks(target_for(base), log, env={})
    assert keyed(other.requests) == [] and other.requests, "the probe followed, keyless"
    assert_reported(report, f"{base}/models", f"{other.url}/v2/models")
    assert "effective_base_url" not in report.by_id("network").evidence
    assert_key_stayed_home(report, log, base)


async def test_chat_does_not_follow_and_says_where_it_leads(tmp_path: Path) -> None:
    tls = tls_context("valid", tmp_path)
    with RawServer(canned()) as other:
        with RawServer(redirecting(301, other.url), ssl_context=tls.server) as gw:
            base = f"{gw.url}/v1"
            target = target_for(base, ca_bundle=str(tls.ca_pem))
            session = ChatSession(target, ExchangeLog())
            try:
                turn = await session.send("hello")
            finally:
                await session.aclose()
    assert other.requests == []
    err = turn.reply.error
    assert err is not None and err.code == "network.redirect"
    assert f"{base}/chat/completions" in err.message, err.message
    assert f"{other.url}/v1/chat/completions" in err.message and ADVICE_EN in err.message


@pytest.mark.parametrize("how", ["authorization", "x-api-key"])
async def test_client_withholds_the_key_from_another_origin(how: str) -> None:
    with RawServer(canned()) as home, RawServer(canned()) as other:
        target = target_for(f"{home.url}/v1")
        log = ExchangeLog()
        async with GatewayClient(target, log) as client:
            url = f"{other.url}/v1/models"
            if how == "authorization":
                ex = await client.request("GET", url, step="auth")
            else:
                ex = await client.request(
                    "GET", url, step="auth", auth=False, headers={"x-api-key": FAKE_KEY}
                )
            keyless = await client.request("GET", url, step="network", auth=False)
            at_home = await client.request("GET", f"{home.url}/v1/models", step="auth")
    assert ex.error_kind == "key_withheld" and ex.status is None
    assert ex.error == (
        f"not sent: the key goes only to {home.url} (the configured base URL), not to {other.url}"
    )
    assert log.all()[0] is ex and keyless.status == 200 and at_home.status == 200
    assert len(other.requests) == 1 and keyed(other.requests) == []
    assert len(keyed(home.requests)) == 1


async def test_same_origin_308_path_redirect_still_works_end_to_end(demo_gateway) -> None:
    """``/old/...`` answers 308 to ``/...`` on the same origin, which fronts the demo gateway."""
    demo_port = int(urlsplit(demo_gateway.base_url).port or 0)

    async def handle(conn: Conn) -> None:
        req = await conn.read_request()
        if req is None:
            return
        if req.target.startswith("/old/"):
            # This front closes after each answer, so it says so: without Connection: close
            # the client may reuse the socket for the redirect as it closes (a reset, once
            # in a few hundred runs on a loaded machine).
            location = req.target[len("/old") :]
            await conn.respond(308, [("Location", location), ("Connection", "close")])
            return
        await _forward(conn, req, demo_port)

    with RawServer(handle) as front:
        base = f"{front.url}/old/scenario/healthy/v1"
        log = ExchangeLog()
        report = await run_checks(target_for(base, timeout=5.0), log, env={})
    net = report.by_id("network")
    assert net.status is Status.WARN and net.code == "network.redirect", net.detail
    assert net.evidence["effective_base_url"] == f"{front.url}/scenario/healthy/v1"
    for cid in AUTHENTICATED:
        assert report.by_id(cid).status is Status.PASS, (cid, report.by_id(cid).detail)


async def _forward(conn: Conn, req: Request, port: int) -> None:
    """One request to the demo gateway, its answer piped back; then the connection closes."""
    up_r, up_w = await asyncio.open_connection("127.0.0.1", port)
    headers = {k: v for k, v in req.headers.items() if k != "connection"}
    headers["connection"] = "close"
    head = f"{req.method} {req.target} HTTP/1.1\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    up_w.write(head.encode("latin-1") + b"\r\n" + req.body)
    await up_w.drain()
    try:
        while data := await up_r.read(65536):
            await conn.write(data)
    finally:
        up_w.close()


def test_curl_export_never_follows_redirects() -> None:
    """``curl -L`` re-sends the Authorization header to any host a redirect names (old curls)."""
    ex = Exchange(
        id="ex-0001",
        step="auth",
        started_at="",
        method="GET",
        url="https://gw.example/v1/models",
        request_headers=[("authorization", "Bearer sk-…1234")],
        status=301,
        response_headers=[("location", "http://elsewhere.example/v1/models")],
    )
    tokens = to_curl(ex, multiline=False).split()
    assert tokens[0] == "curl" and not {"-L", "--location", "--location-trusted"} & set(tokens)


def test_origin_normalisation() -> None:
    assert origin_of("HTTPS://GW.Example:443/v1") == ("https", "gw.example", 443)
    assert same_origin("http://gw.example/v1", "http://gw.example:80/x")
    assert same_origin("https://Bücher.example/v1", "https://xn--bcher-kva.example/v2")
    assert not same_origin("https://gw.example/v1", "http://gw.example/v1")
    assert not same_origin("http://127.0.0.1:8080/v1", "http://localhost:8080/v1")
    assert not same_origin("https://gw.example/v1", "https://gw.example:8443/v1")
    assert not same_origin("https://gw.example/v1", "https://gw.example@evil.example/v1")
    assert not same_origin("http://[::1", "http://[::1")
    assert origin_text("https://gw.example:443/v1") == "https://gw.example"
    assert origin_text("http://[::1]:8080/v1") == "http://[::1]:8080"


SIGNED_ROWS = [
    (
        "Redirect",
        "the keyless probe gets 302 to a same-origin address holding a key-shaped token "
        "(`/v1/models?token=sk-signed-…`, a signed URL)",
        "the redirect is followed to the address the gateway gave (the server sees the token "
        "as sent), not to its masked text (`sk-…`); the token stays masked on screen",
    ),
]
HOSTILE_ROWS += SIGNED_ROWS


async def test_redirect_is_followed_to_the_real_address_not_its_masked_text() -> None:
    token = "sk-signed-0123456789abcdefXYZ"
    seen: list[str] = []

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            seen.append(req.target)
            if req.target == "/v1/models":
                await conn.respond(302, [("Location", f"/v2/models?token={token}")])
            else:
                await conn.respond(200, JSON, MODELS_BODY)

    with RawServer(handle) as srv:
        log = ExchangeLog()
        report = await run_checks(target_for(srv.url + "/v1", timeout=3.0), log, env={})
    assert f"/v2/models?token={token}" in seen, seen
    assert not any("%E2%80%A6" in t or "…" in t for t in seen), seen
    net = report.by_id("network")
    assert token not in net.detail and token not in str(net.evidence)
