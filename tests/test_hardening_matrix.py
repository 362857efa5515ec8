"""Bad input matrix: each odd URL, key, body, TLS or proxy set-up gives a classified result.

Every row runs ``gateway-doctor check --json`` in-process against a real
loopback server (the demo gateway, or a misbehaving one from
``tests/support``) and asserts: the step, status and code; that the detail the
user reads contains ``sees``; no traceback; the run ends within a bound of
``--timeout``. The rows are also the table in ``docs/hardening.md``: a test
checks the file is current (regenerate with ``GATEWAY_DOCTOR_REGEN_DOCS=1``
or ``python -m tests.support.hardening_doc``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import FAKE_KEY
from tests.support.servers import (
    JSON,
    ForwardProxy,
    RawServer,
    canned,
    free_port,
    reverse_proxy,
    tls_context,
)
from tui.cli import main


@dataclass
class Env:
    """What a row's setup can use; servers it starts are stopped after the row."""

    gw: object
    gw6: object
    tmp: Path
    servers: list[RawServer] = field(default_factory=list)

    def start(self, server: RawServer) -> RawServer:
        self.servers.append(server.start())
        return server

    def demo(self, scenario: str = "healthy") -> str:
        return self.gw.scenario_url(scenario)  # type: ignore[attr-defined]


#: setup(env) -> (extra CLI args, environment variables); the key is FAKE_KEY unless env sets it
Setup = Callable[[Env], tuple[list[str], dict[str, str]]]


@dataclass(frozen=True)
class Case:
    id: str
    area: str
    tried: str
    step: str
    status: str
    code: str
    sees: str
    setup: Setup
    timeout: float = 2.0
    #: for control rows: the whole run's verdict
    verdict: str | None = None


def _url(url: str, **env: str) -> Setup:
    return lambda e: (["--base-url", url], dict(env))


def _scenario(name: str) -> Setup:
    return lambda e: (["--base-url", e.demo(name)], {})


def _key(key: str) -> Setup:
    return lambda e: (["--base-url", e.demo()], {"GATEWAY_DOCTOR_API_KEY": key})


def _raw(handler_factory: Callable[[], object]) -> Setup:
    def setup(e: Env) -> tuple[list[str], dict[str, str]]:
        srv = e.start(RawServer(handler_factory()))  # type: ignore[arg-type]
        return ["--base-url", srv.url + "/v1"], {}

    return setup


def _tls(kind: str, *, trust: bool = True, insecure: bool = False) -> Setup:
    def setup(e: Env) -> tuple[list[str], dict[str, str]]:
        files = tls_context(kind, e.tmp)
        srv = e.start(RawServer(reverse_proxy(e.gw.port), ssl_context=files.server))  # type: ignore[attr-defined]
        args = ["--base-url", srv.url + "/scenario/healthy/v1"]
        if trust:
            args += ["--ca-bundle", str(files.ca_pem)]
        if insecure:
            args.append("--insecure")
        return args, {}

    return setup


def _bad_ca(e: Env) -> tuple[list[str], dict[str, str]]:
    files = tls_context("valid", e.tmp)
    srv = e.start(RawServer(reverse_proxy(e.gw.port), ssl_context=files.server))  # type: ignore[attr-defined]
    bad = e.tmp / "not-a-cert.pem"
    bad.write_text("this is not a PEM certificate\n")
    return ["--base-url", srv.url + "/scenario/healthy/v1", "--ca-bundle", str(bad)], {}


def _proxy_flag(make: Callable[[Env], str]) -> Setup:
    return lambda e: (["--base-url", e.demo(), "--proxy", make(e)], {})


def _proxy_env(
    make: Callable[[Env], dict[str, str]], base: Callable[[Env], str] | None = None
) -> Setup:
    return lambda e: (["--base-url", base(e) if base else e.demo()], make(e))


def _proxy_407(e: Env) -> str:
    return e.start(ForwardProxy(credentials="alice:FAKEpass")).url


def _proxy_with_creds(e: Env) -> str:
    p = e.start(ForwardProxy(credentials="alice:FAKEpass"))
    return f"http://alice:FAKEpass@127.0.0.1:{p.port}"


def _dead_proxy(e: Env) -> str:
    return f"http://127.0.0.1:{free_port()}"


def _socks(e: Env) -> str:
    return f"socks5://127.0.0.1:{e.start(ForwardProxy()).port}"


def _intranet(e: Env) -> str:
    return f"http://gateway.test:{e.gw.port}/scenario/healthy/v1"  # type: ignore[attr-defined]


def _intranet_proxy(no_proxy: str) -> Callable[[Env], dict[str, str]]:
    def make(e: Env) -> dict[str, str]:
        p = e.start(ForwardProxy(hosts={"gateway.test": "127.0.0.1"}))
        env = {"HTTP_PROXY": p.url}
        if no_proxy:
            env["NO_PROXY"] = no_proxy
        return env

    return make


BINARY = b'{"object":"list","data":[{"id":"gpt-4o-mini\xff\xfe\xc3\x28"}]}'

CASES: list[Case] = [
    # --- URLs -----------------------------------------------------------------------
    Case("ipv6_literal", "URL", "IPv6 literal base URL `http://[::1]:PORT/v1` (demo on ::1)",
         "network", "pass", "network.ok", "reachable: HTTP 401",
         lambda e: (["--base-url", e.gw6.base_url], {}), verdict="pass"),  # type: ignore[attr-defined]
    Case("ipv6_refused", "URL", "IPv6 literal where nothing listens",
         "network", "fail", "network.connect_refused", "refused",
         lambda e: (["--base-url", f"http://[::1]:{free_port()}/v1"], {})),
    Case("idn_host", "URL", "IDN host name `https://bücher.invalid/v1`",
         "network", "fail", "network.dns_failed", "DNS lookup of bücher.invalid failed",
         _url("https://bücher.invalid/v1")),
    Case("idn_host_cjk", "URL", "IDN host name `https://例え.テスト/v1`",
         "network", "fail", "network.dns_failed", "DNS lookup of 例え.テスト failed",
         _url("https://例え.テスト/v1")),
    Case("url_spaces", "URL", "spaces inside the base URL",
         "config", "fail", "config.invalid_base_url", "contains spaces",
         _url("https://api.example.com/v1 /chat")),
    Case("missing_scheme", "URL", "no scheme: `api.alltkn.com/api/v1`",
         "config", "fail", "config.invalid_base_url", "must start with https://",
         _url("api.alltkn.com/api/v1")),
    Case("host_port_no_scheme", "URL", "no scheme with a port: `127.0.0.1:3000/v1`",
         "config", "fail", "config.invalid_base_url", "must start with https://",
         _url("127.0.0.1:3000/v1")),
    Case("port_out_of_range", "URL", "port out of range: `http://127.0.0.1:99999/v1`",
         "config", "fail", "config.invalid_base_url", "cannot be parsed",
         _url("http://127.0.0.1:99999/v1")),
    Case("scheme_only", "URL", "only a scheme: `https://`",
         "config", "fail", "config.invalid_base_url", "no host name", _url("https://")),
    # --- keys -----------------------------------------------------------------------
    Case("key_unicode", "Key", "key with non-ASCII characters (`sk-FAKE-ключ-密钥-…`)",
         "config", "fail", "config.key_format", "non-ASCII character",
         _key("sk-FAKE-ключ-密钥-0000000000")),
    Case("key_emoji", "Key", "key with an emoji",
         "config", "fail", "config.key_format", "non-ASCII character",
         _key("sk-FAKE-\U0001f600-0000000000000000")),
    Case("key_control", "Key", "key with a control character (BEL, ESC)",
         "config", "fail", "config.key_format", "control character",
         _key("sk-FAKE-\x07\x1b-000000000000000")),
    Case("key_newline_inside", "Key", "key with a line break inside",
         "config", "fail", "config.key_whitespace", "line breaks",
         _key("sk-FAKE-abc\ndef-0000000000")),
    Case("key_trailing_newline", "Key", "key with a trailing newline (copied from a file)",
         "config", "warn", "config.key_whitespace", "leading/trailing",
         _key(FAKE_KEY + "\n")),
    # --- bodies and transports --------------------------------------------------------
    Case("huge_body", "Body", "a 50 MB `/models` response (a model list plus padding)",
         "auth", "pass", "auth.ok", "larger than 8 MB", _scenario("huge_body")),
    Case("binary_body", "Body", "binary bytes labelled `application/json`",
         "auth", "fail", "auth.not_openai_compatible", "not an OpenAI model list",
         _scenario("binary_body")),
    Case("invalid_utf8_json", "Body", "JSON model list with invalid UTF-8 bytes",
         "auth", "fail", "auth.not_openai_compatible", "not an OpenAI model list",
         _raw(lambda: canned(200, JSON, BINARY))),
    Case("no_content_type", "Body", "responses and SSE without `Content-Type`",
         "stream", "pass", "stream.ok", "", _scenario("no_content_type")),
    Case("gzip_sse", "Body", "SSE stream sent with `Content-Encoding: gzip`",
         "stream", "pass", "stream.ok", "", _scenario("gzip_sse")),
    Case("one_byte_per_second", "Body", "a server sending one byte a second (`--timeout 1`)",
         "network", "fail", "network.timeout", "within 1 s", _scenario("one_byte_per_second"),
         timeout=1.0),
    Case("reset_mid_body", "Body", "TCP reset in the middle of the body",
         "auth", "fail", "auth.gateway_error", "connection broke", _scenario("reset_mid_body")),
    Case("redirect_loop", "Body", "every request 302 to itself",
         "network", "fail", "network.redirect", "redirect loop", _scenario("redirect_loop")),
    Case("empty_reply", "Body", "server closes the connection without answering",
         "network", "fail", "network.gateway_error", "disconnected",
         _raw(lambda: _close_at_once)),
    # --- TLS ----------------------------------------------------------------------------
    Case("tls_valid", "TLS", "trusted certificate via `--ca-bundle` (control row)",
         "network", "pass", "network.ok", "reachable: HTTP 401", _tls("valid"), verdict="pass"),
    Case("tls_self_signed", "TLS", "certificate from an unknown CA (self-signed)",
         "network", "fail", "network.tls_failed", "unable to get local issuer certificate",
         _tls("self_signed", trust=False)),
    Case("tls_self_signed_insecure", "TLS", "the same with `--insecure`",
         "network", "warn", "network.tls_unverified", "hides a problem",
         _tls("self_signed", trust=False, insecure=True)),
    Case("tls_expired", "TLS", "expired certificate (trusted CA)",
         "network", "fail", "network.tls_failed", "certificate has expired", _tls("expired")),
    Case("tls_wrong_host", "TLS", "certificate for another host name (trusted CA)",
         "network", "fail", "network.tls_failed", "mismatch", _tls("wrong_host")),
    Case("tls_bad_ca_bundle", "TLS", "`--ca-bundle` pointing at a file that is not PEM",
         "network", "fail", "network.tls_failed", "cannot be loaded", _bad_ca),
    # --- proxies ---------------------------------------------------------------------
    Case("proxy_407", "Proxy", "proxy answering 407 (no credentials given)",
         "proxy", "fail", "proxy.auth_required", "407", _proxy_flag(_proxy_407)),
    Case("proxy_credentials", "Proxy", "the same proxy with `user:pass@` in the URL",
         "proxy", "pass", "proxy.ok", "the gateway answers", _proxy_flag(_proxy_with_creds)),
    Case("proxy_unreachable", "Proxy", "proxy where nothing listens",
         "proxy", "fail", "proxy.unreachable", "cannot connect to the proxy",
         _proxy_flag(_dead_proxy)),
    Case("proxy_unreachable_env", "Proxy", "lower-case `http_proxy` pointing nowhere",
         "proxy", "fail", "proxy.unreachable", "direct route works",
         _proxy_env(lambda e: {"http_proxy": _dead_proxy(e)})),
    Case("proxy_socks_no_extra", "Proxy", "`socks5://` proxy without `httpx[socks]` installed",
         "proxy", "fail", "proxy.refused", "pip install 'httpx[socks]'", _proxy_flag(_socks)),
    Case("no_proxy_exact", "NO_PROXY", "dead `HTTP_PROXY`, `NO_PROXY=127.0.0.1`",
         "proxy", "pass", "proxy.bypassed", "NO_PROXY entry '127.0.0.1'",
         _proxy_env(lambda e: {"HTTP_PROXY": _dead_proxy(e), "NO_PROXY": "127.0.0.1"})),
    Case("no_proxy_cidr", "NO_PROXY", "dead `HTTP_PROXY`, `NO_PROXY=localhost,127.0.0.0/8`",
         "proxy", "pass", "proxy.bypassed", "127.0.0.0/8",
         _proxy_env(lambda e: {"HTTP_PROXY": _dead_proxy(e), "NO_PROXY": "localhost,127.0.0.0/8"})),
    Case("no_proxy_star", "NO_PROXY", "dead `HTTP_PROXY`, `NO_PROXY=*`",
         "proxy", "pass", "proxy.bypassed", "NO_PROXY entry '*'",
         _proxy_env(lambda e: {"HTTP_PROXY": _dead_proxy(e), "NO_PROXY": "*"})),
    Case("no_proxy_other_port", "NO_PROXY", "dead `HTTP_PROXY`, `NO_PROXY=127.0.0.1:1` (other port)",
         "proxy", "fail", "proxy.unreachable", "cannot connect to the proxy",
         _proxy_env(lambda e: {"HTTP_PROXY": _dead_proxy(e), "NO_PROXY": "127.0.0.1:1"})),
    Case("proxy_required", "NO_PROXY", "`NO_PROXY=.test` sends an intranet gateway direct; only the proxy resolves it",
         "proxy", "fail", "proxy.required", "through the proxy it answers",
         _proxy_env(_intranet_proxy(".test"), base=_intranet)),
    Case("proxy_only_route", "NO_PROXY", "the same gateway without `NO_PROXY`",
         "proxy", "pass", "proxy.ok", "direct route fails",
         _proxy_env(_intranet_proxy(""), base=_intranet)),
]  # fmt: skip


async def _close_at_once(conn) -> None:  # type: ignore[no-untyped-def]
    await conn.read_request()
    conn.writer.close()


@pytest.fixture(scope="module")
def gw6():
    from tui.demo.server import DemoGateway

    gw = DemoGateway(host="::1", port=0, tokens_per_second=2000)
    gw.start_in_thread()
    try:
        yield gw
    finally:
        gw.stop()


def run_check(capsys, args: list[str]) -> tuple[int, dict, str, float]:
    t0 = time.perf_counter()
    code = main(["check", "--json", *args])
    elapsed = time.perf_counter() - t0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, json.loads(captured.out), captured.err, elapsed


def observe(case: Case, env: Env, capsys, monkeypatch) -> tuple[int, dict, dict, float]:
    """Run one row; returns (exit code, the row's check, the whole report, seconds)."""
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    try:
        args, variables = case.setup(env)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        code, data, _err, elapsed = run_check(capsys, [*args, "--timeout", f"{case.timeout:g}"])
    finally:
        for srv in env.servers:
            srv.stop()
    check = next(c for c in data["checks"] if c["id"] == case.step)
    return code, check, data, elapsed


def test_ids_unique():
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, demo_gateway, gw6, tmp_path, capsys, monkeypatch):
    env = Env(demo_gateway, gw6, tmp_path)
    code, check, data, elapsed = observe(case, env, capsys, monkeypatch)
    assert (check["status"], check["code"]) == (case.status, case.code), check
    assert case.sees.lower() in check["detail"].lower(), check["detail"]
    # Bounded: the run ends within a small multiple of --timeout, whatever the server does.
    assert elapsed < case.timeout * 3 + 2, elapsed
    assert code == (1 if data["verdict"] == "fail" else 0)
    if case.verdict:
        assert data["verdict"] == case.verdict, data["checks"]
    failed = [c["id"] for c in data["checks"] if c["status"] == "fail"]
    assert len(failed) <= 1, f"one root cause, not a cascade: {failed}"
    if check["status"] == "fail":
        assert check["remediation"], "a failure always says what to do"


def test_proxy_route_really_used(demo_gateway, capsys, monkeypatch):
    """With no NO_PROXY match the requests go through the proxy (not around it)."""
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "example.com,.internal")
        code, data, _err, _t = run_check(
            capsys, ["--base-url", demo_gateway.scenario_url("healthy")]
        )
    assert code == 0 and data["checks"][2]["code"] == "proxy.ok"
    assert any("/chat/completions" in line for line in proxy.seen), proxy.seen


@pytest.mark.parametrize(
    ("host", "port", "no_proxy", "match"),
    [
        ("api.example.com", 443, "example.com", "example.com"),
        ("api.example.com", 443, ".example.com", ".example.com"),
        ("api.example.com", 443, "*.example.com", "*.example.com"),
        ("example.com", 443, ".example.com", ".example.com"),
        ("notexample.com", 443, "example.com", None),
        ("API.EXAMPLE.COM", 443, "example.com", "example.com"),
        ("10.1.2.3", 80, "10.0.0.0/8", "10.0.0.0/8"),
        ("10.1.2.3", 80, "192.168.0.0/16", None),
        ("::1", 80, "::1", "::1"),
        ("[::1]", 80, "[::1]", "[::1]"),
        ("api.example.com", 8443, "api.example.com:8443", "api.example.com:8443"),
        ("api.example.com", 443, "api.example.com:8443", None),
        ("anything", 1, " * ", "*"),
        ("api.example.com", 443, "foo;example.com", "example.com"),
        ("api.example.com", 443, ",,", None),
        ("api.example.com", 443, "bad/cidr/entry", None),
    ],
)
def test_no_proxy_patterns(host, port, no_proxy, match):
    from tui.core.setup.target import no_proxy_match

    assert no_proxy_match(host, port, no_proxy) == match


def test_docs_table_is_current():
    import os

    from tests.support.hardening_doc import DOC_PATH, render, write

    if os.environ.get("GATEWAY_DOCTOR_REGEN_DOCS"):
        write()
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/hardening.md is stale: run `GATEWAY_DOCTOR_REGEN_DOCS=1 pytest "
        "tests/test_hardening_matrix.py -k docs` or `python -m tests.support.hardening_doc`"
    )
