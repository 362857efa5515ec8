"""``gateway-doctor trial``: exit codes, the budget and its confirmation, --stages,
--context, --batch, --json, --markdown, and no full key in any output (canary)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tests.support.leaks import leaks
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


def trial(capsys, gw, scenario: str, *args: str) -> tuple[int, str, str]:
    code = main(["trial", "--base-url", gw.scenario_url(scenario), "--timeout", "5", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_healthy_json_has_every_step_and_exits_0(demo_gateway, key_env, capsys):
    code, out, err = trial(capsys, demo_gateway, "healthy", "--yes", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "trial" and data["verdict"] == "pass"
    assert [s["id"] for s in data["steps"]] == [
        "short", "stream", "long_reply", "long_context", "chinese", "code", "multi_turn",
        "batch", "recovery",
    ]  # fmt: skip
    for step in data["steps"]:
        assert step["status"] == "pass" and step["code"] == f"trial.{step['id']}.ok"
        assert isinstance(step["elapsed_ms"], float)
    assert data["tokens"]["in"] > 0 and data["tokens"]["out"] > 0
    assert "requests: 25" in err and "tokens:" in err  # the budget, on stderr


def test_a_failed_stage_exits_1_with_its_rollback_step(demo_gateway, key_env, capsys):
    code, out, _ = trial(capsys, demo_gateway, "trial_body_limit", "--yes", "--stages",
                         "short,long_context")  # fmt: skip
    assert code == 1
    assert "trial.long_context.body_limit" in out and "Reduce context" in out
    assert "Tokens spent:" in out and "Verdict: failed" in out


def test_a_warning_exits_0(demo_gateway, key_env, capsys):
    code, out, _ = trial(capsys, demo_gateway, "trial_concurrency_2", "--yes", "--stages", "batch")
    assert code == 0 and "trial.batch.concurrency_limited" in out


def test_a_failed_checklist_exits_1_and_names_what_the_trial_waits_for(
    demo_gateway, key_env, capsys
):
    code, out, _ = trial(capsys, demo_gateway, "invalid_key", "--yes")
    assert code == 1
    assert "The trial did not run: it waits for Authentication (auth.invalid_key)." in out


def test_markdown_has_the_capability_table(demo_gateway, key_env, capsys):
    code, out, _ = trial(capsys, demo_gateway, "healthy", "--yes", "--markdown", "--stages",
                         "short,chinese")  # fmt: skip
    assert code == 0
    assert "| Stage | Status | Code | Figures |" in out
    assert "| Chinese | ✓ passed | `trial.chinese.ok` |" in out


def test_chinese_report(demo_gateway, key_env, capsys):
    code, out, err = trial(capsys, demo_gateway, "trial_cjk_mangled", "--yes", "--lang",
                           "zh-CN", "--stages", "chinese")  # fmt: skip
    assert code == 1
    assert "能力表" in out and "中文变成了乱码" in out and "处理办法" not in err
    assert "请求：1 个" in err


def test_stages_and_context_and_batch_shape_the_run(demo_gateway, key_env, capsys):
    code, out, err = trial(capsys, demo_gateway, "healthy", "--yes", "--json", "--stages",
                           "long-context,batch", "--context", "2k", "--batch", "3")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert [s["id"] for s in data["steps"]] == ["long_context", "batch"]
    assert data["settings"]["context"] == 2048 and data["settings"]["batch"] == 3
    steps = {s["id"]: s for s in data["steps"]}
    assert steps["long_context"]["figures"]["size"] == 2048
    assert steps["batch"]["figures"]["ok"] == "3/3"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--stages", "short,bogus"], "unknown stage(s) bogus"),
        (["--stages", ","], "--stages is empty"),
        (["--context", "abc"], "--context wants a whole number from 256"),
        (["--context", "10"], "--context wants a whole number"),
        (["--batch", "0"], "--batch wants a whole number from 1 to 32"),
        (["--lang", "fr"], "fr"),
    ],
)
def test_usage_errors_exit_2_with_one_line(demo_gateway, key_env, capsys, args, said):
    code, out, err = trial(capsys, demo_gateway, "healthy", "--yes", *args)
    assert code == 2 and out == ""
    assert said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_without_yes_and_without_a_terminal_nothing_is_sent(demo_gateway, key_env, capsys):
    before = demo_gateway.ledger.spent("healthy")
    code, out, err = trial(capsys, demo_gateway, "healthy")
    assert code == 2 and out == ""
    assert "add --yes" in err and "25 requests" in err
    assert demo_gateway.ledger.spent("healthy") == before


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "exit_code"), [("n\n", 2), ("\n", 2), ("y\n", 0)])
def test_on_a_terminal_the_budget_is_confirmed(demo_gateway, key_env, monkeypatch, capsys,
                                               answer, exit_code):  # fmt: skip
    monkeypatch.setattr(sys, "stdin", _Tty(answer))
    err = _Tty()
    monkeypatch.setattr(sys, "stderr", err)
    code = main(["trial", "--base-url", demo_gateway.scenario_url("healthy"), "--stages", "short"])
    out = capsys.readouterr().out
    said = err.getvalue()
    assert code == exit_code
    assert "Before sending anything" in said and "Go on? [y/N]" in said
    if exit_code:
        assert "Nothing was sent." in said and out == ""
    else:
        assert "trial.short.ok" in out


def test_the_run_goes_into_the_history(demo_gateway, key_env, monkeypatch, capsys):
    history = pytest.importorskip("tui.core.history")
    seen = []
    monkeypatch.setattr(
        history, "record_run", lambda kind, target, result: seen.append((kind, result))
    )
    code, _, _ = trial(capsys, demo_gateway, "healthy", "--yes", "--stages", "short,stream")
    assert code == 0
    [(kind, result)] = seen
    assert kind == "trial"
    assert [(s["id"], s["status"], s["code"]) for s in result["steps"]] == [
        ("short", "pass", "trial.short.ok"),
        ("stream", "pass", "trial.stream.ok"),
    ]
    assert all(isinstance(s["elapsed_ms"], float) for s in result["steps"])


@pytest.mark.parametrize("scenario", ["healthy", "invalid_key", "trial_slot_busy"])
@pytest.mark.parametrize("fmt", [[], ["--json"], ["--markdown"]])
def test_canary_no_full_key_in_any_output(demo_gateway, monkeypatch, capsys, scenario, fmt):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", CANARY_KEY)
    stages = ["--stages", "short,recovery"] if scenario == "trial_slot_busy" else []
    code, out, err = trial(capsys, demo_gateway, scenario, "--yes", *fmt, *stages)
    assert code in (0, 1)
    assert leaks([out, err]) == []


def test_trial_does_not_import_textual():
    code = (
        "import sys; from tui.cli import main; "
        "main(['trial', '--stages', 'bogus', '--yes']); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_the_budget_has_the_published_price_and_context_caps_the_size(
    demo_gateway, key_env, capsys
):
    """model_mix publishes context lengths (/models) and prices (new-api /api/pricing)."""
    code, out, err = trial(capsys, demo_gateway, "model_mix", "--yes", "--json", "--stages",
                           "short,long_context", "--context", "200k")  # fmt: skip
    assert code == 0, out
    assert "is over the model's context length: using 127488 tokens" in err
    assert "price: at most" in err and "per million tokens" in err
    data = json.loads(out)
    assert data["settings"]["context"] == 127488
    assert data["cost"] is not None and data["cost"] > 0


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_markdown_opens_with_the_support_header(demo_gateway, key_env, capsys, lang):
    """Like ``check --markdown`` (issue 16 review): tool version, masked key with its id,
    the time, the checklist's verdict; the trial's support summary in a fenced block."""
    from tui import __version__

    code, out, _ = trial(capsys, demo_gateway, "trial_body_limit", "--yes", "--markdown",
                         "--stages", "long_context", "--lang", lang)  # fmt: skip
    assert code == 1
    head = out.split("|")[0]
    assert f"gateway-doctor {__version__}" in head and "sk-…4444" in head and "#" in head
    assert "UTC" in head
    if lang == "en":
        assert "**Checklist verdict:** passed" in head and "**Trial verdict:** failed" in head
        assert "### Support summary" in out and "```text\nRoll-out trial summary" in out
    else:
        assert "**检查清单结论：** 通过" in head and "```text\n试运行摘要" in out
    assert FAKE_KEY not in out
