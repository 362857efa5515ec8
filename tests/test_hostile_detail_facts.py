"""Details keep the facts that matter (issue 12 review, minor items).

A LiteLLM budget refusal ends with the deployment's figures, which a cut at
the end lost; ``network.tls_failed`` advice lists the steps for the kind of
certificate problem found, not all six; a certificate both for another host
and from an untrusted issuer says both; a TLS failure through a proxy shows
no time-to-first-byte, since the gateway never answered. Real sockets: the
demo gateway, trustme TLS fronts, proxy.py.
"""

from __future__ import annotations

import pytest

from tests.conftest import FAKE_KEY
from tests.support import peers
from tests.support.servers import RawServer, reverse_proxy, tls_context
from tests.test_proxies_real import run_check, step

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Gateway words", "LiteLLM 429 “crossed budget: Exceeded budget for deployment model_name: "
     "…, model_id: 7d1e0c5f: 20.4 >= 20.0” (demo `litellm_crossed_budget`)",
     "the balance and model details, en and zh, keep the figures “20.4 >= 20.0” (the cut is in "
     "the middle; was cut just before them, zh without an ellipsis)"),
    ("TLS", "certificate expired yesterday (CA given)",
     "`network.tls_failed` advice: read the detail, the clock/renewal step, the --insecure "
     "caution — not the company-CA, host-name and self-signed steps (en and zh; was all six)"),
    ("TLS", "certificate for other.example from a CA this computer does not know",
     "the detail says both: the issuer is not trusted, and it is for other.example, not "
     "127.0.0.1 (en and zh), with the steps for both kinds (was “unknown issuer” only)"),
    ("Proxy (real)", "proxy.py to a gateway whose certificate is not trusted (the TLS "
     "handshake in the tunnel fails)", "the proxy route's timings keep connect, the CONNECT "
     "and TLS but no ttfb/transfer (the gateway never answered; was the CONNECT's answer "
     "shown as TTFB)"),
]  # fmt: skip

proxy_py = peers.proxy_py


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


def test_budget_refusal_keeps_its_figures(demo_gateway, capsys):
    args = ["--base-url", demo_gateway.scenario_url("litellm_crossed_budget"), "--timeout", "5"]
    for lang in ("en", "zh-CN"):
        _, data, _ = run_check(capsys, [*args, "--lang", lang])
        for check_id in ("balance", "model"):
            res = step(data, check_id)
            assert "20.4 >= 20.0" in res["detail"], (lang, res["detail"])
            assert "…" in res["detail"], res["detail"]  # it was cut, in the middle


def _tls_failed(capsys, front: RawServer, *extra: str, lang: str = "en") -> dict:
    args = ["--base-url", front.url + "/v1", "--timeout", "5", "--lang", lang, *extra]
    code, data, _ = run_check(capsys, args)
    res = step(data, "network")
    assert code == 1 and res["code"] == "network.tls_failed", res
    return res


def test_tls_advice_is_for_the_kind_found(demo_gateway, tmp_path, capsys):
    files = tls_context("expired", tmp_path)
    with RawServer(reverse_proxy(demo_gateway.port), ssl_context=files.server) as front:
        en = _tls_failed(capsys, front, "--ca-bundle", str(files.ca_pem))
        zh = _tls_failed(capsys, front, "--ca-bundle", str(files.ca_pem), lang="zh-CN")
    assert len(en["remediation"]) == 3, en["remediation"]
    advice = " ".join(en["remediation"])
    assert "Expired or not yet valid" in advice and "--insecure" in advice
    assert "root CA" not in advice and "Self-signed" not in advice and "Wrong host" not in advice
    assert len(zh["remediation"]) == 3 and "已过期或尚未生效" in " ".join(zh["remediation"])


def test_untrusted_issuer_and_wrong_host_are_both_said(demo_gateway, tmp_path, capsys):
    files = tls_context("wrong_host", tmp_path)  # its CA is not given: unknown issuer too
    with RawServer(reverse_proxy(demo_gateway.port), ssl_context=files.server) as front:
        en = _tls_failed(capsys, front)
        zh = _tls_failed(capsys, front, lang="zh-CN")
    problem = en["evidence"]["tls_problem"]
    assert problem["kind"] == "unknown_issuer" and problem["also"] == ["hostname_mismatch"]
    assert "does not trust" in en["detail"], en["detail"]
    assert "it is for other.example, not 127.0.0.1" in en["detail"], en["detail"]
    assert "签发给 other.example，而不是 127.0.0.1" in zh["detail"], zh["detail"]
    advice = " ".join(en["remediation"])
    assert "Wrong host name" in advice and "root CA" in advice and "Self-signed" not in advice


def test_no_ttfb_when_the_gateway_never_answered(proxy_py, demo_gateway, tmp_path, capsys):
    files = tls_context("self_signed", tmp_path)
    with RawServer(reverse_proxy(demo_gateway.port), ssl_context=files.server) as front:
        args = ["--base-url", front.url + "/v1", "--proxy", proxy_py.url, "--timeout", "5"]
        _, data, _ = run_check(capsys, args)
    timings = step(data, "proxy")["evidence"]["proxy_timings"]
    assert "proxy_connect" in timings and "connect" in timings, timings
    assert "ttfb" not in timings and "transfer" not in timings, timings
