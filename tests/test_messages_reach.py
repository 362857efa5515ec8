"""The checks that reach the gateway speak through the catalogue (60-checks-reach.toml).

Every result of the config, network and proxy steps carries a message; its Chinese
line has no English prose of ours (only codes, hosts, URLs, product names, HTTP
words, units and the facts it names: the gateway's or the OS's own words), and
states the same numbers as the English line. Transport failures (no HTTP answer)
are messages too: recorded as facts on the exchange, rendered in either language.
"""

from __future__ import annotations

import asyncio
import re
import socket
from typing import Any

import pytest

from tests.conftest import FAKE_KEY
from tests.support.servers import Conn, RawServer, reverse_proxy, tls_context
from tests.support.targets import target_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import CheckResult
from tui.core.i18n.catalogue import Msg, render
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.net.tls_text import handshake_lines, problem_msg
from tui.core.net.transport_error import error_msg, error_quote

STEPS = ("config", "network", "proxy")
#: English that may stand in a Chinese sentence: protocol and product words, units, flags.
ALLOWED = {
    "HTTP", "HTTPS", "TLS", "TCP", "DNS", "URL", "CA", "SAN", "SOCKS", "API", "PEM",
    "CONNECT", "POST", "GET", "NO_PROXY", "SSL_CERT_FILE", "GATEWAY_DOCTOR_API_KEY",
    "OPENAI_API_KEY", "ASCII", "Server", "Via", "Bearer", "ms", "KB", "MB", "truststore",
    "Python", "cryptography", "SHA", "token",
}  # fmt: skip


def facts_of(value: Any) -> list[str]:
    """The text facts a message names (nested messages' facts too), longest first."""
    found: list[str] = []
    if isinstance(value, Msg):
        for v in value.params.values():
            found += facts_of(v)
    elif isinstance(value, list | tuple):
        for v in value:
            found += facts_of(v)
    elif value is not None and not isinstance(value, bool):
        found.append(str(value))
    return sorted(found, key=len, reverse=True)


def ours(message: Msg, lang: str) -> str:
    """The sentence in ``lang`` without the facts it names, flags, URLs and commands."""
    said = render(message, lang)
    for fact in facts_of(message):
        if fact:
            said = said.replace(fact, " ")
    said = re.sub(r"`[^`]*`|https?://\S*|socks5://\S*|--[a-z-]+|[a-z0-9_]+\.[a-z0-9_.]+", " ", said)
    return re.sub(r"<[^>]*>", " ", said)


def english_words(message: Msg) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z_]+", ours(message, "zh-CN"))
    return [w for w in words if w not in ALLOWED]


def numbers(message: Msg, lang: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:\.\d+)?", render(message, lang)))


def assert_spoken(r: CheckResult) -> None:
    """A result of ours: a message, Chinese without our English, the same figures."""
    assert r.message is not None, (r.code, r.detail)
    assert not english_words(r.message), (r.code, render(r.message, "zh-CN"))
    assert numbers(r.message, "en") == numbers(r.message, "zh-CN"), (
        r.code,
        render(r.message, "en"),
        render(r.message, "zh-CN"),
    )
    assert render(r.message, "en") == r.detail or r.detail == render(r.message, "zh-CN")


async def _run(url: str, **kw: Any) -> dict[str, CheckResult]:
    report = await run_checks(target_for(url, **kw), ExchangeLog(), only=STEPS)
    return {r.id: r for r in report.checks if r.id in STEPS}


SCENARIOS = ["healthy", "redirect", "redirect_loop", "nginx_502", "cloudflare_524", "slow_headers"]


@pytest.mark.parametrize("name", SCENARIOS)
async def test_demo_scenarios_results_are_messages(demo_gateway, name: str) -> None:
    results = await _run(demo_gateway.scenario_url(name), timeout=1.0)
    assert set(results) == set(STEPS)
    for r in results.values():
        assert_spoken(r)
    if name == "healthy":
        net = results["network"]
        assert net.code == "network.ok"
        # The same time figure in both languages (the whole answer's, not the first byte's).
        ms = re.search(r"in (\d+) ms", net.detail)
        assert ms and f"用时 {ms.group(1)} ms" in render(net.message, "zh-CN")
        cfg = results["config"]
        assert f"密钥 {cfg.message.params['key']}" in render(cfg.message, "zh-CN")
        assert "sk-…" in cfg.message.params["key"] and FAKE_KEY not in render(cfg.message)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("url", "kw", "code"),
    [
        ("", {}, "config.missing_base_url"),
        ("127.0.0.1:9/v1", {}, "config.invalid_base_url"),
        ("ftp://127.0.0.1/v1", {}, "config.invalid_base_url"),
        ("http://127.0.0.1:9/v1/chat/completions", {}, "config.base_url_has_endpoint"),
        ("http://gateway.example/v1", {}, "config.insecure_http"),
        ("http://127.0.0.1:9/v1", {"api_key": "sk-x"}, "config.key_format"),
        ("http://127.0.0.1:9/v1", {"api_key": "sk-FAKE\u00e9-0000-1111"}, "config.key_format"),
        ("http://127.0.0.1:9/v1", {"api_key": " sk-FAKE-0000-1111\n"}, "config.key_whitespace"),
        ("http://127.0.0.1:9/v1", {"api_key": ""}, "config.missing_key"),
        ("http://127.0.0.1:9/v1", {"model": ""}, "config.missing_model"),
    ],
)
async def test_config_problems_are_messages(url: str, kw: dict, code: str) -> None:
    from tui.core.diagnosis.checks.base import Context
    from tui.core.diagnosis.checks.config import check_config

    target = target_for(url)
    if "api_key" in kw:
        target.api_key = kw["api_key"]
    if "model" in kw:
        target.model = kw["model"]
    log = ExchangeLog()
    async with GatewayClient(target, log) as client:
        r = await check_config(Context(target=target, log=log, client=client, env={}))
    assert r.code == code, (r.code, r.detail)
    assert_spoken(r)


async def test_network_failures_are_messages() -> None:
    port = _closed_port()
    results = await _run(f"http://127.0.0.1:{port}/v1")
    assert results["network"].code == "network.connect_refused"
    for r in results.values():
        assert_spoken(r)
    # Through a proxy that is not there: the proxy step says so, network waits for it.
    results = await _run(f"http://127.0.0.1:{port}/v1", proxy=f"http://127.0.0.1:{port}")
    assert results["proxy"].code == "proxy.unreachable"
    assert results["network"].code == "network.skipped"
    assert "等待代理步骤" in render(results["network"].message, "zh-CN")
    for r in results.values():
        assert_spoken(r)
    results = await _run(f"http://127.0.0.1:{port}/v1", proxy=f"127.0.0.1:{port}")
    assert results["proxy"].code == "proxy.bad_url"
    assert_spoken(results["proxy"])


async def test_proxy_auth_and_working_routes_are_messages(demo_gateway) -> None:
    from tests.support.servers import ForwardProxy

    with ForwardProxy(credentials="user:pass") as proxy:
        base = demo_gateway.scenario_url("healthy")
        host = f"127.0.0.1:{proxy.port}"
        for given, code in ((f"http://{host}", "proxy.auth_required"),
                            (f"http://user:wrong@{host}", "proxy.auth_rejected"),
                            (f"http://user:pass@{host}", "proxy.ok")):  # fmt: skip
            results = await _run(base, proxy=given)
            assert results["proxy"].code == code, results["proxy"].detail
            for r in results.values():
                assert_spoken(r)
            assert "pass@" not in results["proxy"].detail


async def test_tls_failure_and_insecure_are_messages(demo_gateway, tmp_path) -> None:
    files = tls_context("expired", tmp_path)
    with RawServer(reverse_proxy(demo_gateway.port), ssl_context=files.server) as front:
        url = f"https://127.0.0.1:{front.port}/v1"
        results = await _run(url, ca_bundle=str(files.ca_pem))
        net = results["network"]
        assert net.code == "network.tls_failed"
        assert "过期" in render(net.message, "zh-CN")
        for r in results.values():
            assert_spoken(r)
        results = await _run(url, insecure=True)
        assert results["network"].code == "network.tls_unverified"
        for r in results.values():
            assert_spoken(r)
    rows = dict(handshake_lines(net.evidence, "zh-CN"))
    assert "签发者" in rows and "有效期" in rows


def test_certificate_problems_say_the_same_in_both_languages() -> None:
    cert = {"subject": "CN=gw", "issuer": "CN=Corp CA", "names": ["other.example"],
            "not_after": "2024-01-01 00:00 UTC", "not_before": "2023-01-01 00:00 UTC"}  # fmt: skip
    for kind in ("expired", "not_yet_valid", "hostname_mismatch", "unknown_issuer",
                 "self_signed", "other"):  # fmt: skip
        problem = {"kind": kind, "message": "certificate verify failed", "host": "gw.example",
                   "port": 443, "also": ["hostname_mismatch"]}  # fmt: skip
        m = problem_msg(problem, cert)
        assert not english_words(m), (kind, render(m, "zh-CN"))
        assert [n for n in numbers(m, "en") if len(n) < 4] == [
            n for n in numbers(m, "zh-CN") if len(n) < 4
        ] or kind in ("expired", "not_yet_valid")
    with_product = problem_msg(
        {"kind": "unknown_issuer", "message": "x", "host": "gw", "port": 443},
        {**cert, "interception": "Zscaler"},
    )
    assert "Zscaler" in render(with_product, "zh-CN") and not english_words(with_product)


async def test_transport_errors_are_messages_with_the_os_words_quoted() -> None:
    port = _closed_port()
    target = target_for(f"http://127.0.0.1:{port}/v1")
    log = ExchangeLog()

    async def silent(conn: Conn) -> None:
        await conn.read_request()
        await asyncio.sleep(5)

    async with GatewayClient(target, log) as client:
        refused = await client.request("GET", f"http://127.0.0.1:{port}/v1/models", step="network")
        withheld = await client.request("GET", "http://127.0.0.1:1/v1/models", step="auth")
        with RawServer(silent) as srv:
            slow = await client.request(
                "GET", f"{srv.url}/v1/models", step="network", auth=False, total_timeout=0.4
            )
    assert refused.error_kind == "connect_refused"
    assert refused.error is not None and refused.error.startswith("connection refused (")
    zh = render(error_msg(refused), "zh-CN")
    assert zh.startswith("连接被拒绝（") and error_quote(refused) in zh
    assert withheld.error_kind == "key_withheld" and withheld.status is None
    assert render(error_msg(withheld), "zh-CN").startswith("没有发送：密钥只发往")
    assert slow.error_kind == "total_timeout" and error_quote(slow) is None
    assert render(error_msg(slow), "zh-CN") == "0.4 秒内没有收到完整应答（总时间上限）"
    for ex in (refused, withheld, slow):
        m = error_msg(ex)
        assert not english_words(m), render(m, "zh-CN")
        assert numbers(m, "en") == numbers(m, "zh-CN")
        assert ex.error == render(m, "en")  # the English line stays for scripts and exports
        assert ex.error_message == m.to_json()  # plain data on the exchange
