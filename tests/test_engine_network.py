"""Engine network paths: a tiny forward proxy (ok / 407 / unreachable / NO_PROXY) and TLS (trustme).

Both servers run in-test on loopback; the gateway behind the proxy is the demo gateway.
"""

from __future__ import annotations

import asyncio
import contextlib

from tests.conftest import FAKE_KEY
from tui.core.engine import run_checks
from tui.core.exchange import ExchangeLog
from tui.core.model import Status, Target
from tui.core.target import resolve_target


def target_for(url: str, **kw) -> Target:
    kw.setdefault("timeout", 2.0)
    return Target(base_url=url, api_key=FAKE_KEY, model="gpt-4o-mini", trust_env=False, **kw)


# --- proxy paths (a tiny forward proxy over loopback) ---------------------------


class ForwardProxy:
    """Minimal HTTP forward proxy: one request per connection; optional 407."""

    def __init__(self, require_auth: bool = False) -> None:
        self.require_auth = require_auth
        self.seen: list[str] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self.server:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader, writer) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            line, *hdrs = head.decode("latin-1").split("\r\n")
            method, url, _ = line.split(" ", 2)
            self.seen.append(f"{method} {url}")
            if self.require_auth:
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                             b"Proxy-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")  # fmt: skip
                await writer.drain()
                return
            from urllib.parse import urlsplit

            u = urlsplit(url)
            length = 0
            keep = []
            for h in hdrs:
                if not h:
                    continue
                name = h.split(":", 1)[0].lower()
                if name == "content-length":
                    length = int(h.split(":", 1)[1])
                if name not in ("connection", "proxy-connection", "keep-alive"):
                    keep.append(h)
            body = await reader.readexactly(length) if length else b""
            up_r, up_w = await asyncio.open_connection(u.hostname, u.port)
            path = u.path + (f"?{u.query}" if u.query else "")
            up_w.write(f"{method} {path} HTTP/1.1\r\n".encode() + "\r\n".join(keep).encode()
                       + b"\r\nConnection: close\r\n\r\n" + body)  # fmt: skip
            await up_w.drain()
            while data := await up_r.read(65536):
                writer.write(data)
                await writer.drain()
            up_w.close()
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def forward_proxy(require_auth: bool = False):
    proxy = ForwardProxy(require_auth)
    url = await proxy.start()
    try:
        yield proxy, url
    finally:
        await proxy.close()


async def test_proxy_ok(demo_gateway):
    async with forward_proxy() as (proxy, url):
        report = await run_checks(target_for(demo_gateway.scenario_url("healthy"), proxy=url),
                                  ExchangeLog())  # fmt: skip
    res = report.by_id("proxy")
    assert res.code == "proxy.ok", res.detail
    assert res.evidence["direct_works"] and res.evidence["proxy_works"]
    assert report.verdict == "pass", [(c.code, c.detail) for c in report.checks]
    assert report.proxy_in_use == url
    assert any("/chat/completions" in s for s in proxy.seen), "the checks went through the proxy"


async def test_proxy_auth_required(demo_gateway):
    async with forward_proxy(require_auth=True) as (_proxy, url):
        report = await run_checks(target_for(demo_gateway.scenario_url("healthy"), proxy=url),
                                  ExchangeLog())  # fmt: skip
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


@contextlib.asynccontextmanager
async def tls_server(tmp_path):
    import ssl

    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    async def handle(reader, writer):
        try:
            await reader.readuntil(b"\r\n\r\n")
            body = b'{"error":{"message":"missing api key","type":"invalid_request_error"}}'
            writer.write(b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() +
                         b"\r\nConnection: close\r\n\r\n" + body)  # fmt: skip
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"https://localhost:{port}/v1", str(ca_file)
    finally:
        server.close()
        await server.wait_closed()


async def test_tls_untrusted_then_trusted(tmp_path):
    from tui.core.checks.base import Context
    from tui.core.checks.network import check_network
    from tui.core.http import GatewayClient

    async with tls_server(tmp_path) as (url, ca_file):
        for ca, expected in ((None, "network.tls_failed"), (ca_file, "network.ok")):
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
