"""What changed since the last passing run (issue 18), driven by the demo gateway:
two `check` runs against one loopback gateway whose behaviour changes in between."""

from __future__ import annotations

import contextlib
import io
import json

from tests.conftest import FAKE_KEY
from tui.cli import main
from tui.core.history import compare
from tui.core.history.record import build_record

OTHER_KEY = "sk-FAKE-test-9999-8888-7777-6666-5555"


def check(monkeypatch, *args: str, key: str = FAKE_KEY) -> tuple[int, dict]:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", key)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--json", *args])
    return code, json.loads(out.getvalue())


def kinds(data: dict) -> list[str]:
    since = data["since_last_pass"]
    assert since is not None, "no comparison with the last passing run"
    return [c["kind"] for c in since["changes"]]


def text_of(monkeypatch, *args: str, key: str = FAKE_KEY, lang: str = "en") -> str:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", key)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--lang", lang, *args])
    return out.getvalue()


def test_first_run_has_nothing_to_compare_with(gw, monkeypatch) -> None:
    code, data = check(monkeypatch, "--base-url", gw.base_url)
    assert code == 0 and data["since_last_pass"] is None


def test_key_changed(gw, monkeypatch) -> None:
    check(monkeypatch, "--base-url", gw.base_url)
    gw.scenario = "invalid_key"
    code, data = check(monkeypatch, "--base-url", gw.base_url, key=OTHER_KEY)
    assert code == 1
    assert kinds(data)[0] == "key"
    said = text_of(monkeypatch, "--base-url", gw.base_url, key=OTHER_KEY)
    assert "Since the last passing run on " in said and "the key changed (fingerprint #" in said
    assert FAKE_KEY not in said and OTHER_KEY not in said


def test_base_url_changed_for_the_same_profile(gw, monkeypatch, tmp_path) -> None:
    from tui.demo.server import DemoGateway

    main(["profile", "add", "work", "--base-url", gw.base_url, "--model", "gpt-4o-mini"])
    check(monkeypatch, "--profile", "work")
    other = DemoGateway(
        host="127.0.0.1", port=0, tokens_per_second=4000, scenario="model_not_found"
    )
    other.start_in_thread()
    try:
        main(["profile", "edit", "work", "--base-url", other.base_url])
        code, data = check(monkeypatch, "--profile", "work")
    finally:
        other.stop()
    assert code == 1
    # the new gateway does not list the configured model: said too, after the cause
    assert kinds(data) == ["base_url", "model_gone"]
    assert gw.base_url in data["since_last_pass"]["changes"][0]["text"]


def test_proxy_changed(gw, monkeypatch) -> None:
    from tests.support.servers import ForwardProxy

    check(monkeypatch, "--base-url", gw.base_url)
    with ForwardProxy() as proxy:
        gw.scenario = "stream_cut"
        code, data = check(monkeypatch, "--base-url", gw.base_url, "--proxy", proxy.url)
    assert code == 1
    assert kinds(data) == ["proxy"]


def test_model_disappeared_from_models(gw, monkeypatch) -> None:
    check(monkeypatch, "--base-url", gw.base_url)
    gw.scenario = "model_dropped"
    code, data = check(monkeypatch, "--base-url", gw.base_url)
    assert code == 0  # the configured model still works: the change is said all the same
    assert kinds(data) == ["model_gone"]
    assert "deepseek-chat" in data["since_last_pass"]["changes"][0]["text"]


def test_balance_dropped_to_near_zero(gw, monkeypatch) -> None:
    check(monkeypatch, "--base-url", gw.base_url)
    gw.scenario = "low_balance"
    code, data = check(monkeypatch, "--base-url", gw.base_url)
    assert kinds(data) == ["balance"]
    zh = text_of(monkeypatch, "--base-url", gw.base_url, lang="zh-CN")
    assert "与上一次通过的运行（" in zh and "余额降到接近零（87.66 → " in zh


def test_latency_rose(gw, monkeypatch) -> None:
    check(monkeypatch, "--base-url", gw.base_url)
    gw.latency = 0.4
    code, data = check(monkeypatch, "--base-url", gw.base_url)
    assert code == 0
    assert "ttfb" in kinds(data)
    said = {c["kind"]: c["text"] for c in data["since_last_pass"]["changes"]}
    assert "time to first byte rose ×" in said["ttfb"]


def test_gateway_version_header_changed(gw, monkeypatch) -> None:
    check(monkeypatch, "--base-url", gw.base_url)
    gw.scenario = "gateway_upgraded"
    code, data = check(monkeypatch, "--base-url", gw.base_url)
    assert code == 0
    assert kinds(data) == ["server"]
    assert "gateway-doctor-demo → new-api/v0.9.1" in data["since_last_pass"]["changes"][0]["text"]


def test_a_failure_with_nothing_changed_says_so(gw, monkeypatch) -> None:
    check(monkeypatch, "--base-url", gw.base_url)
    gw.scenario = "no_channel"
    said = text_of(monkeypatch, "--base-url", gw.base_url)
    assert "nothing that the history records has changed" in said


def test_markdown_and_support_summary_say_it(gw, monkeypatch) -> None:
    check(monkeypatch, "--base-url", gw.base_url)
    gw.scenario = "low_balance"
    markdown = text_of(monkeypatch, "--base-url", gw.base_url, "--markdown")
    # once above the support summary, once inside it
    assert markdown.count("Since the last passing run on ") == 2
    _, data = check(monkeypatch, "--base-url", gw.base_url)
    assert "Since the last passing run on " in data["support_summary"]


def _rec(**over) -> dict:
    base = {
        "time": "2026-11-28T14:02:00Z", "scope": "url:x", "key_id": "#aaaa", "key": "sk-…1",
        "base_url": "https://gw/v1", "proxy": None, "addresses": ["192.0.2.1"],
        "tls": {"issuer": "CN=R11, O=Let's Encrypt", "not_after": "x"}, "server": "nginx",
        "models": {"hash": "1", "count": 2, "sample": ["a", "b"], "complete": True},
        "balance": {"remaining": 50.0, "unit": "USD"}, "ttfb_ms": 100.0, "ttft_ms": 300.0,
        "model": "a", "steps": [],
    }  # fmt: skip
    return {**base, **over}


def test_addresses_and_certificate_issuer() -> None:
    new = _rec(addresses=["203.0.113.9"], tls={"issuer": "CN=Corp Inspection CA"})
    assert compare(_rec(), new).kinds == ["addresses", "issuer"]
    assert compare(_rec(), _rec(addresses=["192.0.2.1", "192.0.2.2"])).kinds == []


def test_changes_come_in_order_of_likely_cause() -> None:
    new = _rec(
        server="nginx/2", ttft_ms=2000.0, ttfb_ms=900.0, balance={"remaining": 0.1, "unit": "USD"},
        models={"hash": "2", "count": 1, "sample": ["b"], "complete": True},
        tls={"issuer": "CN=Other"}, addresses=["198.51.100.1"], proxy="http://p:1",
        base_url="https://gw2/v1", key_id="#bbbb",
    )  # fmt: skip
    assert compare(_rec(), new).kinds == [
        "key", "base_url", "proxy", "addresses", "issuer", "model_gone", "balance", "ttfb",
        "ttft", "server",
    ]  # fmt: skip


def test_small_slowdowns_and_truncated_model_lists_are_not_changes() -> None:
    assert compare(_rec(), _rec(ttfb_ms=250.0, ttft_ms=420.0)).kinds == []
    partial = {"hash": "2", "count": 900, "sample": ["b"], "complete": False}
    assert compare(_rec(models={**partial, "sample": ["a", "b"]}), _rec(models=partial)).kinds == []


def test_every_change_is_worded_in_both_languages() -> None:
    from tui.core.i18n.catalogue import render

    new = _rec(
        server="nginx/2", ttft_ms=2000.0, ttfb_ms=900.0, balance={"remaining": 0.1, "unit": "USD"},
        models={"hash": "2", "count": 1, "sample": ["b"], "complete": True},
        tls={"issuer": "CN=Other"}, addresses=["198.51.100.1"], proxy="http://p:1",
        base_url="https://gw2/v1", key_id="#bbbb",
    )  # fmt: skip
    for change in compare(_rec(), new).changes:
        en, zh = render(change.message, "en"), render(change.message, "zh-CN")
        assert en and zh and en != zh and "{" not in en + zh


def test_records_of_real_runs_compare_the_same(gw, monkeypatch) -> None:
    """build_record on the JSON a run prints gives the record the run appended."""
    _, data = check(monkeypatch, "--base-url", gw.base_url)
    from tui.core.history import read_all

    appended = read_all().records[-1]
    rebuilt = build_record("check", None, data)
    for name in ("addresses", "server", "models", "balance", "verdict", "base_url", "model"):
        assert rebuilt[name] == appended[name], name
