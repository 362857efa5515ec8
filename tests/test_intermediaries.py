"""Intermediaries told apart by their own error pages and headers, each with its own advice.

Unit rows use the products' real pages (nginx's CRLF page, Cloudflare's 524,
Envoy's and HAProxy's texts, Caddy's empty 502, Kong's JSON). The real-peer
tests start nginx on loopback (when it is installed: ``apt-get install
nginx-light``; otherwise they skip and the demo scenarios ``nginx_502`` /
``nginx_504`` / ``nginx_buffered`` in tests/test_hostile_gateway_words.py
cover the same path): nginx in front of a dead upstream (its real 502), of a
silent one (its real 504) and of the demo gateway with gzip on for event
streams (a buffered stream, named).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import Conn, RawServer
from tests.support.targets import target_for
from tui.core.diagnosis.checks.classify import classify
from tui.core.diagnosis.checks.intermediaries import identify, via
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.diagnosis.remediation import remedy, remedy_for
from tui.core.net.exchange import ExchangeLog

NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
CF_524 = (
    b"<!DOCTYPE html><html><head><title>api.example.com | 524: A timeout occurred</title></head>"
    b'<body><div id="cf-wrapper"><span class="cf-error-code">524</span>'
    b"<p>Cloudflare Ray ID: <strong>8c1f2a3b4d5e6f70</strong></p></div></body></html>"
)
HAPROXY_504 = (
    b"<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n"
    b"</body></html>\n"
)
KONG_502 = b'{\n  "message":"An invalid response was received from the upstream server"\n}'
MITM_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
    b"<p>HttpSyntaxException(&#x27;Connect call failed&#x27;)</p></body></html>"
)

#: (status, headers, body, id, wrote the error itself)
PAGES = [
    (502, {"Server": "nginx/1.24.0", "Content-Type": "text/html"}, NGINX_502, "nginx", True),
    (524, {"Server": "cloudflare", "CF-RAY": "8c1f-LAX"}, CF_524, "cloudflare", True),
    (524, {"Server": "cloudflare"}, b"", "cloudflare", True),
    (502, {"Server": "Caddy"}, b"", "caddy", True),
    (503, {"server": "envoy"}, b"no healthy upstream", "envoy", True),
    (504, {"server": "istio-envoy"}, b"upstream request timeout", "envoy", True),
    (504, {"Content-Type": "text/html"}, HAPROXY_504, "haproxy", True),
    (502, {"Server": "awselb/2.0", "Content-Type": "text/html"}, b"<html></html>", "aws", True),
    (502, {"Content-Type": "application/json", "Server": "kong/3.4.2"}, KONG_502, "kong", True),
    (502, {"Content-Type": "text/plain; charset=utf-8"}, b"Bad Gateway", "traefik", True),
    (502, {"Server": "mitmproxy 11.0.2", "Content-Type": "text/html"}, MITM_502, "mitmproxy", True),
    (503, {"Server": "Varnish"}, b"<title>503 Backend fetch failed</title>Guru Meditation", "varnish",
     True),
    # The gateway's own JSON error through nginx: nginx is on the path, but did not write it.
    (503, {"Server": "nginx"}, b'{"error": {"message": "no channel"}}', "nginx", False),
    (200, {"Server": "openresty"}, b'{"object": "list"}', "nginx", False),
]  # fmt: skip


@pytest.mark.parametrize(("status", "headers", "body", "pid", "wrote"), PAGES)
def test_each_product_is_recognised(status, headers, body, pid, wrote):
    seen = identify(status, headers, body)
    assert seen is not None and (seen.id, seen.authored) == (pid, wrote), seen


def test_an_unknown_server_is_nobody_in_particular():
    assert identify(502, {"Server": "gunicorn"}, b'{"error": "boom"}') is None
    assert via({"Server": "uvicorn"}) is None


def test_the_gateways_own_503_through_nginx_stays_the_gateways():
    body = b'{"error": {"message": "No available channel for model x under group default"}}'
    info = classify(503, body, "application/json", {"Server": "nginx/1.24.0"})
    assert info.kind == "unavailable" and info.advice is None


def test_nginx_pages_get_nginx_advice_not_cloudflares():
    info = classify(504, NGINX_502.replace(b"502 Bad Gateway", b"504 Gateway Time-out"),
                    "text/html", {"Server": "nginx/1.24.0"})  # fmt: skip
    assert (info.kind, info.advice) == ("gateway_error", "nginx.504")
    r = CheckResult(
        "model", Status.FAIL, "model.gateway_error", "model", "", evidence=info.evidence()
    )
    en, zh = remedy_for(r, "en"), remedy_for(r, "zh-CN")
    assert "proxy_read_timeout" in en.why and "proxy_read_timeout" in " ".join(en.steps)
    assert "100" not in en.why and "Cloudflare" not in " ".join(en.steps)
    assert "proxy_read_timeout" in zh.why and "内应答" in zh.why
    generic = remedy("model.gateway_error", "en")
    assert "Cloudflare 524" in generic.why  # what users got before


def test_advice_falls_back_to_the_product_but_never_for_buffering():
    def rem(advice: str) -> list[str]:
        r = CheckResult("x", Status.FAIL, "stream.buffered", "x", "", evidence={"advice": advice})
        return remedy_for(r, "en").steps

    assert rem("cloudflare.524")[0].startswith("Turn on streaming")
    assert any("error.log" in s for s in rem("nginx.599"))  # nginx's generic advice
    assert rem("envoy.buffered") == remedy("stream.buffered", "en").steps  # no guessing


# --- real nginx on loopback ---------------------------------------------------------------
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
)
needs_nginx = pytest.mark.skipif(
    NGINX is None,
    reason="nginx is not installed (apt-get install nginx-light); the demo scenarios "
    "nginx_502, nginx_504 and nginx_buffered cover the same checks",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _silent(conn: Conn) -> None:
    await conn.read_request()
    await asyncio.sleep(20)  # never answers (the server stops it)


@pytest.fixture
def nginx(tmp_path: Path, demo_slow) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """nginx on a free loopback port: /dead/ (nothing listens), /slow/ (never answers,
    proxy_read_timeout 1s), /demo/ (the demo gateway behind the usual misconfiguration: gzip
    on for text/event-stream, and the gateway's ``X-Accel-Buffering: no`` ignored)."""
    dead = _free_port()
    with RawServer(_silent, max_seconds=60) as silent:
        port = _free_port()
        temp = " ".join(
            f"{k}_temp_path {tmp_path}/{k};"
            for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = tmp_path / "nginx.conf"
        conf.write_text(
            f"daemon off; master_process off; worker_processes 1; pid {tmp_path}/nginx.pid;\n"
            f"error_log {tmp_path}/error.log warn;\nevents {{ worker_connections 64; }}\n"
            f"http {{ access_log off; {temp}\n  server {{ listen 127.0.0.1:{port};\n"
            f"    location /dead/ {{ proxy_pass http://127.0.0.1:{dead}/; }}\n"
            f"    location /slow/ {{ proxy_pass {silent.url}/; proxy_read_timeout 1s; }}\n"
            f"    location /demo/ {{ proxy_pass {demo_slow.root_url}/; proxy_http_version 1.1;"
            " proxy_ignore_headers X-Accel-Buffering;"
            " gzip on; gzip_types text/event-stream; gzip_min_length 0; }\n"
            "  }\n}\n"
        )
        proc = subprocess.Popen(
            [str(NGINX), "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                if proc.poll() is not None:
                    err = proc.stderr.read().decode()[:300]  # type: ignore[union-attr]
                    if "nginx.conf" in err:
                        pytest.fail(f"our nginx.conf is wrong: {err}")
                    pytest.skip(f"nginx could not start: {err}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.skip("nginx did not listen within 10 s")
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@pytest.fixture
def demo_slow() -> Iterator[object]:
    """A demo gateway streaming at 50 tokens/s, so a buffered stream is recognisable."""
    from tui.demo.server import DemoGateway

    gw = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=50).start_in_thread()
    try:
        yield gw
    finally:
        gw.stop()


@needs_nginx
async def test_real_nginx_502_in_front_of_a_dead_upstream(nginx):
    report = await run_checks(target_for(nginx + "/dead/v1", timeout=3), ExchangeLog(), env={})
    net = report.by_id("network")
    assert (net.status, net.code) == (Status.FAIL, "network.gateway_error"), net.detail
    assert net.evidence["intermediary"]["id"] == "nginx" and net.evidence["advice"] == "nginx.502"
    assert "written by nginx" in net.detail and "Cloudflare" not in net.detail
    assert "proxy_pass" in " ".join(remedy_for(net, "en").steps)


@needs_nginx
async def test_real_nginx_504_in_front_of_a_silent_upstream(nginx):
    report = await run_checks(target_for(nginx + "/slow/v1", timeout=4), ExchangeLog(), env={})
    net = report.by_id("network")
    assert net.code == "network.gateway_error" and net.evidence["advice"] == "nginx.504", net.detail
    assert "proxy_read_timeout" in remedy_for(net, "en").why


@needs_nginx
async def test_real_nginx_buffering_a_stream_is_named(nginx):
    report = await run_checks(target_for(nginx + "/demo/v1", timeout=4), ExchangeLog(), env={})
    st = report.by_id("stream")
    assert st.code == "stream.buffered", st.detail
    assert "it came through nginx" in st.detail and st.evidence["advice"] == "nginx.buffered"
    assert "proxy_buffering off" in " ".join(remedy_for(st, "en").steps)
