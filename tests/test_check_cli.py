"""`gateway-doctor check` against the demo gateway: every scenario, the JSON shape, exit codes.

Runs in-process through ``tui.cli.main`` (fast), plus a few real subprocess runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui.cli import main
from tui.core.diagnosis.checks.stream import STREAM_MAX_TOKENS
from tui.core.diagnosis.codes import is_code

#: scenario -> (extra args, {check id: (status, code)}, exit code)
SCENARIO_TABLE: dict[str, tuple[list[str], dict[str, tuple[str, str]], int]] = {
    "healthy": ([], {c: ("pass", f"{c}.ok") for c in ("config", "network", "auth", "balance",
                                                       "model", "stream")}, 0),
    "invalid_key": ([], {"auth": ("fail", "auth.invalid_key")}, 1),
    "key_disabled": ([], {"auth": ("fail", "auth.key_disabled")}, 1),
    "key_expired": ([], {"auth": ("fail", "auth.key_expired")}, 1),
    "ip_not_allowed": ([], {"auth": ("fail", "auth.ip_not_allowed")}, 1),
    "quota_exhausted": (
        [], {"auth": ("pass", "auth.ok"), "balance": ("fail", "balance.insufficient")}, 1),
    "token_quota_exhausted": (
        [], {"auth": ("pass", "auth.ok"), "balance": ("fail", "balance.insufficient")}, 1),
    "token_quota_exhausted_zh": (
        [], {"auth": ("pass", "auth.ok"), "balance": ("fail", "balance.insufficient")}, 1),
    "payment_required": ([], {"balance": ("fail", "balance.insufficient")}, 1),
    "low_balance": ([], {"balance": ("warn", "balance.low")}, 0),
    "model_not_found": ([], {"model": ("fail", "model.not_found")}, 1),
    "no_channel": ([], {"model": ("fail", "model.unavailable")}, 1),
    "no_channel_zh": ([], {"model": ("fail", "model.unavailable")}, 1),
    "rate_limited": ([], {"model": ("fail", "model.rate_limited")}, 1),
    "server_error": ([], {"model": ("fail", "model.server_error")}, 1),
    "cloudflare_524": ([], {"model": ("fail", "model.gateway_error")}, 1),
    "slow_headers": (["--timeout", "1"], {"network": ("fail", "network.timeout")}, 1),
    "stream_cut": ([], {"stream": ("fail", "stream.interrupted")}, 1),
    "malformed_sse": ([], {"stream": ("fail", "stream.malformed")}, 1),
    "garbled": ([], {"stream": ("fail", "stream.garbled")}, 1),
    "buffered_stream": (["--timeout", "2"], {"stream": ("fail", "stream.buffered")}, 1),
    "stream_error_event": ([], {"stream": ("fail", "stream.error_event")}, 1),
    "stream_stall": (["--timeout", "1"], {"stream": ("fail", "stream.stalled")}, 1),
    "not_streamed": ([], {"stream": ("fail", "stream.not_streamed")}, 1),
    "redirect": ([], {"network": ("warn", "network.redirect"), "stream": ("pass", "stream.ok")}, 0),
    "no_models_endpoint": (
        [], {"auth": ("pass", "auth.ok"), "model": ("warn", "model.not_listed")}, 0),
    "html_frontend": ([], {"auth": ("fail", "auth.not_openai_compatible")}, 1),
    "ping_comments": ([], {"stream": ("pass", "stream.ok")}, 0),
    # healthy but unusual (tests/test_false_alarms.py runs them many times)
    **{s: ([], {"stream": ("pass", "stream.ok")}, 0) for s in (
        "short_burst", "single_event", "keepalive_first", "http10_stream", "no_balance",
        "very_fast", "slow_steady")},
    # one request per key at a time: the overlapping requests' 429s are retried once
    "one_at_a_time": ([], {"balance": ("pass", "balance.ok"), "model": ("pass", "model.ok"),
                           "stream": ("pass", "stream.ok")}, 0),
    # the model matrix's gateways (issue 17): the configured model works
    **{s: ([], {"model": ("pass", "model.ok"), "stream": ("pass", "stream.ok")}, 0) for s in (
        "model_mix", "many_models")},
    # issue 18: healthy, but a model gone from /models / a new Server header (history diff)
    **{s: ([], {"model": ("pass", "model.ok"), "stream": ("pass", "stream.ok")}, 0) for s in (
        "model_dropped", "gateway_upgraded")},
    # the roll-out trial's faults (issue 16): the checklist passes, `trial` finds them
    **{s: ([], {"model": ("pass", "model.ok"), "stream": ("pass", "stream.ok")}, 0) for s in (
        "trial_empty_reply", "trial_stream_broken", "trial_reply_cut", "trial_body_limit",
        "trial_context_limit", "trial_silent_truncation", "trial_cjk_mangled",
        "trial_code_escaped", "trial_history_dropped", "trial_concurrency_2", "trial_slot_busy",
        "trial_billed_abort")},
    # hardening scenarios
    "binary_body": ([], {"auth": ("fail", "auth.not_openai_compatible")}, 1),
    "one_byte_per_second": (["--timeout", "1"], {"network": ("fail", "network.timeout")}, 1),
    "gzip_sse": ([], {"stream": ("pass", "stream.ok")}, 0),
    "no_content_type": ([], {"stream": ("pass", "stream.ok")}, 0),
    "redirect_loop": ([], {"network": ("fail", "network.redirect")}, 1),
    # real software's own words (tests/test_intermediaries.py, tests/test_gateway_words.py)
    "nginx_502": ([], {"network": ("fail", "network.gateway_error")}, 1),
    "caddy_502": ([], {"network": ("fail", "network.gateway_error")}, 1),
    "nginx_504": ([], {"model": ("fail", "model.gateway_error")}, 1),
    "envoy_503": ([], {"model": ("fail", "model.gateway_error")}, 1),
    "nginx_buffered": (["--timeout", "2"], {"stream": ("fail", "stream.buffered")}, 1),
    "litellm_budget": ([], {"balance": ("fail", "balance.insufficient")}, 1),
    "litellm_crossed_budget": ([], {"balance": ("fail", "balance.insufficient")}, 1),
    "litellm_key_info": ([], {"balance": ("pass", "balance.ok"), "stream": ("pass", "stream.ok")}, 0),
    "listed_no_channel": ([], {"model": ("fail", "model.unavailable")}, 1),
    "listed_model_refused": ([], {"model": ("fail", "model.unavailable")}, 1),
}  # fmt: skip

CHECK_KEYS = {
    "id", "status", "code", "title", "detail", "duration_ms", "evidence", "remediation", "exchanges",
    "message",
}  # fmt: skip


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_table_covers_every_scenario():
    from tui.demo.server import SCENARIOS

    missing = set(SCENARIOS) - set(SCENARIO_TABLE) - {"huge_body", "reset_mid_body"}
    assert not missing, f"scenarios without an expected result: {sorted(missing)}"


@pytest.mark.parametrize("scenario", list(SCENARIO_TABLE))
def test_scenario(scenario, demo_gateway, key_env, capsys):
    extra, expected, exit_code = SCENARIO_TABLE[scenario]
    t0 = time.perf_counter()
    code, data = run_json(
        capsys, "--base-url", demo_gateway.scenario_url(scenario), "--timeout", "2", *extra
    )
    assert time.perf_counter() - t0 < 8
    checks = {c["id"]: c for c in data["checks"]}
    for cid, (status, c) in expected.items():
        got = checks[cid]
        assert (got["status"], got["code"]) == (status, c), got
    assert code == exit_code
    failed = [c["id"] for c in data["checks"] if c["status"] == "fail"]
    assert len(failed) <= 1, f"one root cause, not a cascade: {failed}"
    if failed:
        assert data["verdict"] == "fail"
        bad = checks[failed[0]]
        assert bad["remediation"], "a failed check carries remediation steps"
        assert bad["exchanges"] or bad["id"] == "config"
    for c in data["checks"]:
        if c["status"] != "skip":
            assert is_code(c["code"]), c["code"]


def test_json_shape(demo_gateway, key_env, capsys):
    code, data = run_json(capsys, "--base-url", demo_gateway.scenario_url("healthy"))
    assert code == 0
    assert set(data) == {
        "tool", "target", "started_at", "duration_ms", "verdict", "checks", "charged",
        "support_summary", "since_last_pass",
    }  # fmt: skip
    assert data["tool"]["name"] == "gateway-doctor" and data["tool"]["version"]
    assert set(data["target"]) == {"base_url", "model", "key", "proxy", "tls"}
    assert data["target"]["tls"] == {"verify": True, "ca_bundle": None}
    assert data["target"]["key"] == "sk-…4444"
    assert data["verdict"] == "pass"
    assert [c["id"] for c in data["checks"]] == [
        "config", "network", "proxy", "auth", "balance", "model", "stream"
    ]  # fmt: skip
    for c in data["checks"]:
        assert set(c) == CHECK_KEYS
        assert c["status"] in ("pass", "warn", "fail", "skip")
        assert isinstance(c["evidence"], dict) and isinstance(c["exchanges"], list)
    checks = {c["id"]: c for c in data["checks"]}
    assert checks["proxy"]["code"] == "proxy.none"
    # 87.66 less what the session's demo completions cost (0.001 USD each) before the read
    spent = demo_gateway.ledger.spent("healthy") / 100
    assert 87.66 - spent - 1e-9 <= checks["balance"]["evidence"]["remaining"] <= 87.66
    assert checks["model"]["evidence"]["usage"]["total_tokens"] > 0
    assert checks["stream"]["evidence"]["done"] is True
    assert checks["stream"]["evidence"]["content_chunks"] == STREAM_MAX_TOKENS
    assert checks["network"]["evidence"]["dns"]["addresses"] == ["127.0.0.1"]
    assert checks["config"]["evidence"]["sources"]["key_source"] == "env:GATEWAY_DOCTOR_API_KEY"
    assert isinstance(data["support_summary"], str) and data["support_summary"]


def test_skipped_steps_name_the_root_cause(demo_gateway, key_env, capsys):
    code, data = run_json(capsys, "--base-url", demo_gateway.scenario_url("invalid_key"))
    assert code == 1
    checks = {c["id"]: c for c in data["checks"]}
    for cid in ("balance", "model", "stream"):
        assert checks[cid]["status"] == "skip"
        assert "auth.invalid_key" in checks[cid]["detail"]
    assert checks["auth"]["evidence"]["http_status"] == 401


def test_redirect_names_the_target(demo_gateway, key_env, capsys):
    code, data = run_json(capsys, "--base-url", demo_gateway.scenario_url("redirect"))
    net = data["checks"][1]
    assert code == 0 and net["code"] == "network.redirect"
    assert demo_gateway.base_url in net["detail"] and "GET" in net["detail"]


def test_wrong_path_names_working_base(demo_gateway, key_env, capsys):
    base = demo_gateway.scenario_url("healthy")[: -len("/v1")]
    code, data = run_json(capsys, "--base-url", base)
    auth = data["checks"][3]
    assert code == 1
    assert auth["code"] == "auth.wrong_endpoint"
    assert auth["evidence"]["working_base_url"] == base + "/v1"
    assert base + "/v1" in auth["detail"]


def test_pasted_endpoint_is_a_config_failure(demo_gateway, key_env, capsys):
    url = demo_gateway.scenario_url("healthy") + "/chat/completions"
    code, data = run_json(capsys, "--base-url", url)
    assert code == 1
    cfg = data["checks"][0]
    assert cfg["code"] == "config.base_url_has_endpoint"
    assert cfg["evidence"]["base_url"]["suggested_base_url"] == demo_gateway.scenario_url("healthy")


def test_bad_url_and_missing_key_are_config_codes(capsys):
    code, data = run_json(capsys, "--base-url", "htp:/x")
    assert code == 1
    cfg = data["checks"][0]
    assert cfg["status"] == "fail" and cfg["code"] == "config.invalid_base_url"
    assert any("config.missing_key" in p for p in cfg["evidence"]["problems"])
    assert all(c["status"] == "skip" for c in data["checks"][1:])


def test_missing_key_alone(demo_gateway, capsys):
    code, data = run_json(capsys, "--base-url", demo_gateway.scenario_url("healthy"))
    assert code == 1
    assert data["checks"][0]["code"] == "config.missing_key"
    assert data["target"]["key"] is None


def test_key_with_newline_inside(demo_gateway, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-FAKE-abc\ndef-0000000000")
    code, data = run_json(capsys, "--base-url", demo_gateway.scenario_url("healthy"))
    assert code == 1 and data["checks"][0]["code"] == "config.key_whitespace"


def test_api_key_stdin(demo_gateway, monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(FAKE_KEY + "\n"))
    code, data = run_json(
        capsys, "--api-key-stdin", "--base-url", demo_gateway.scenario_url("healthy")
    )
    assert code == 0
    assert data["checks"][0]["evidence"]["sources"]["key_source"] == "stdin"


@pytest.mark.parametrize(
    "args",
    [
        ["--timeout", "abc"],
        ["--timeout", "-1"],
        ["--json", "--markdown"],
        ["--api-key", "sk-FAKE-nope-000000000"],
        ["--api-key=sk-FAKE-nope-000000000"],
        ["--api-key-stdin=sk-FAKE-nope-000000000"],
        ["--key", "sk-FAKE-nope-000000000"],
        ["sk-FAKE-nope-000000000"],
        ["--lang", "fr"],
        ["--ca-bundle", "/nonexistent/ca.pem"],
    ],
)
def test_usage_errors_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exc:
        code = main(["check", *args])
        raise SystemExit(code)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    err = captured.err
    assert "Traceback" not in err and err.strip()
    # a key typed on the command line is refused without being echoed back
    assert "FAKE-nope" not in captured.out + err


def test_text_and_markdown(demo_gateway, key_env, capsys, monkeypatch):
    url = demo_gateway.scenario_url("invalid_key")
    assert main(["check", "--base-url", url]) == 1
    text = capsys.readouterr().out
    assert "auth.invalid_key" in text and "\x1b[" not in text
    assert main(["check", "--markdown", "--base-url", url]) == 1
    md = capsys.readouterr().out
    assert "auth.invalid_key" in md and "|" in md
    assert main(["check", "--lang", "zh-CN", "--base-url", url]) == 1
    zh = capsys.readouterr().out
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)


@pytest.mark.parametrize("scenario", ["healthy", "invalid_key", "quota_exhausted"])
def test_canary_never_in_output(scenario, demo_gateway, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY_KEY)
    url = demo_gateway.scenario_url(scenario)
    outputs = []
    for fmt in ([], ["--json"], ["--markdown"], ["--lang", "zh-CN", "--json"]):
        main(["check", "--base-url", url, *fmt])
        captured = capsys.readouterr()
        outputs += [captured.out, captured.err]
    joined = "\n".join(outputs)
    assert CANARY_KEY not in joined
    assert CANARY_KEY[3:-4] not in joined
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert CANARY_KEY.encode() not in path.read_bytes()


def _cli(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "tui", "check", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_subprocess_hung_server_ends_within_timeout(demo_gateway, env_without_proxies):
    env = dict(env_without_proxies, GATEWAY_DOCTOR_API_KEY=FAKE_KEY)
    t0 = time.perf_counter()
    r = _cli(["--json", "--timeout", "1", "--base-url", demo_gateway.scenario_url("slow_headers")],
             env)  # fmt: skip
    elapsed = time.perf_counter() - t0
    assert r.returncode == 1, r.stderr
    assert elapsed < 6, elapsed
    data = json.loads(r.stdout)
    assert data["checks"][1]["code"] == "network.timeout"


def test_subprocess_bad_url_no_traceback(env_without_proxies):
    r = _cli(["--base-url", "htp:/x"], env_without_proxies)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    assert "config.invalid_base_url" in r.stdout


def test_subprocess_canary_stdin(demo_gateway, env_without_proxies):
    r = _cli(["--api-key-stdin", "--markdown", "--base-url", demo_gateway.scenario_url("invalid_key")],
             env_without_proxies, stdin=CANARY_KEY + "\n")  # fmt: skip
    assert r.returncode == 1
    assert CANARY_KEY not in r.stdout + r.stderr
    assert "auth.invalid_key" in r.stdout


def test_env_base_url_and_unreachable_port(env_without_proxies):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(env_without_proxies, GATEWAY_DOCTOR_API_KEY=FAKE_KEY,
               OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1")  # fmt: skip
    r = _cli(["--json", "--timeout", "2"], env)
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["checks"][1]["code"] == "network.connect_refused"
    assert data["checks"][0]["evidence"]["sources"]["base_url"] == "env:OPENAI_BASE_URL"
    assert os.path.basename(sys.executable)


def test_chinese_details(demo_gateway, key_env, capsys):
    code, data = run_json(
        capsys, "--lang", "zh-CN", "--base-url", demo_gateway.scenario_url("quota_exhausted")
    )
    assert code == 1
    bal = data["checks"][4]
    assert bal["code"] == "balance.insufficient"
    assert bal["detail"].startswith("额度不足") and "exceeded your current quota" in bal["detail"]
    # The message (id and facts) lets a script write the line in any language.
    assert bal["message"]["id"] == "check.balance.refused_left"
    assert "quota" in bal["message"]["params"]["said"]
    assert data["checks"][6]["detail"].startswith("等待")


def test_a_detail_is_written_from_its_message_never_rebuilt_from_english():
    """The Chinese line comes from the result's message; a result without one (read back
    from a saved report, built by a script) shows its stored line as it is, rather than a
    translation guessed from the English (the old detail_zh.py rebuilt it by regex)."""
    from tui.core.diagnosis.detail import detail_for
    from tui.core.diagnosis.model import CheckResult, Status
    from tui.core.i18n.catalogue import msg

    stored = CheckResult("auth", Status.PASS, "auth.ok", detail="key accepted; 3 models listed")
    assert detail_for(stored, "zh-CN") == "key accepted; 3 models listed"
    said = CheckResult("auth", Status.PASS, "auth.ok", detail="x", message=msg("step.auth"))
    assert detail_for(said, "zh-CN") == "鉴权" and detail_for(said, "en") == "Authentication"


def test_top_level_flags_reach_check(demo_gateway, key_env, capsys):
    """`gateway-doctor --base-url X --lang zh-CN check` checks X in Chinese, as --help suggests.

    (argparse used to let check's own defaults overwrite them: the default gateway was checked.)
    """
    url = demo_gateway.scenario_url("invalid_key")
    code = main(["--base-url", url, "--lang", "zh-CN", "--timeout", "3", "check", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["target"]["base_url"] == url
    auth = {c["id"]: c for c in data["checks"]}["auth"]
    assert auth["code"] == "auth.invalid_key" and auth["title"] == "鉴权"
    # a flag after the subcommand still wins over the same flag before it
    healthy = demo_gateway.scenario_url("healthy")
    code = main(["--base-url", url, "check", "--base-url", healthy, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["target"]["base_url"] == healthy


def test_demo_headless_honours_no_color(capsys, monkeypatch):
    """``demo --headless`` colours like ``check``: on a terminal, unless NO_COLOR is set."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["demo", "--headless", "--scenario", "invalid_key"]) == 1
    assert "\x1b[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["demo", "--headless", "--scenario", "invalid_key"]) == 1
    assert "\x1b[" not in capsys.readouterr().out
