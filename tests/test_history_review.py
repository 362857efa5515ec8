"""Issue 18 new-user review (B6-B12): wrong or missing results of the run history,
against a loopback demo gateway."""

from __future__ import annotations

import json

import pytest

from tests.support.cli_run import run

pytestmark = pytest.mark.usefixtures("fake_key_env")


def since(*args: str) -> list[dict]:
    code, out, _ = run("check", "--json", *args)
    data = json.loads(out)
    assert data["since_last_pass"] is not None
    return data["since_last_pass"]["changes"]


# ----- B6: a changed model name is the first thing said --------------------------------
def test_a_changed_model_name_is_said_first(gw) -> None:
    run("profile", "add", "lab", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    assert run("check", "--profile", "lab")[0] == 0
    run("profile", "edit", "lab", "--model", "gpt-4o-minii")
    code, out, _ = run("check", "--profile", "lab")
    assert code == 1
    assert "the model changed (gpt-4o-mini → gpt-4o-minii)" in out
    assert "nothing that the history records has changed" not in out
    zh = run("check", "--profile", "lab", "--lang", "zh-CN")[1]
    assert "模型变了（gpt-4o-mini → gpt-4o-minii）" in zh


def test_every_change_is_named_not_only_the_first(gw) -> None:
    from tui.demo.server import DemoGateway

    run("profile", "add", "lab", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    run("check", "--profile", "lab")
    other = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=4000)
    other.start_in_thread()
    try:
        run("profile", "edit", "lab", "--base-url", other.base_url, "--model", "gpt-4o-minii")
        changes = since("--profile", "lab")
    finally:
        other.stop()
    kinds = [c["kind"] for c in changes]
    assert kinds[:2] == ["model", "base_url"], kinds


# ----- B10: a closed pipe ends quietly ------------------------------------------------
def test_history_into_a_closed_pipe_exits_quietly() -> None:
    import os
    import subprocess
    import sys

    from tui.core.setup.state import state_dir

    d = state_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps(
        {"v": 1, "kind": "check", "time": "2026-11-28T14:02:09Z", "scope": "url:http://a",
         "base_url": "http://a", "verdict": "pass", "ok": True, "steps": []},
        separators=(",", ":"),
    )  # fmt: skip
    (d / "history.jsonl").write_text((line + "\n") * 3000)
    for args in (["history", "--last", "3000"], ["history", "--json", "--last", "3000"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=os.environ.copy(),
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.readline()
        proc.stdout.close()  # `| head -2`
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0, err
        assert "Broken pipe" not in err and "error" not in err, err


def _plant(*records: dict) -> None:
    from tui.core.setup.state import state_dir

    d = state_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(d / "history.jsonl", "a") as fh:
        for r in records:
            fh.write(json.dumps(r, separators=(",", ":")) + "\n")


def _rec(**over: object) -> dict:
    base = {
        "v": 1, "kind": "check", "time": "2026-11-28T14:02:09Z", "scope": "url:http://a",
        "profile": None, "base_url": "http://a", "model": "gpt-4o-mini", "verdict": "pass",
        "ok": True, "server": "nginx",
        "steps": [{"id": "config", "status": "pass", "code": "ok", "ms": 1.0},
                  {"id": "stream", "status": "pass", "code": "stream.ok", "ms": 120.0}],
    }  # fmt: skip
    base.update(over)
    return base


# ----- B8: diff says the verdict first, and when the runs are of different kinds -------
def test_diff_of_a_checklist_run_and_a_trial_says_the_verdict() -> None:
    trial = _rec(
        kind="trial", time="2026-11-29T09:00:00Z", verdict="fail", ok=False,
        steps=[{"id": "trial.stream", "status": "fail", "code": "stream.cut", "ms": 5.0}],
    )  # fmt: skip
    _plant(_rec(), trial)
    code, out, _ = run("history", "diff", "1", "2")
    lines = out.splitlines()
    assert code == 0
    assert lines[1] == "- the verdict changed: passed → failed", out
    assert "different kinds (check → trial)" in lines[2]
    assert "Nothing that the history records differs" not in out
    zh = run("history", "diff", "1", "2", "--lang", "zh-CN")[1]
    assert "结论变了：通过 → 失败" in zh
    data = json.loads(run("history", "diff", "1", "2", "--json")[1])
    assert data["verdict"] == {"old": "pass", "new": "fail"}
    assert data["kinds"] == {"old": "check", "new": "trial"}


# ----- B7: a run with --base-url overriding the profile is not filed under it ----------
def test_an_overridden_base_url_is_not_filed_under_the_profile(gw) -> None:
    from tui.demo.server import DemoGateway

    run("profile", "add", "lab", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    assert run("check", "--profile", "lab")[0] == 0
    other = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=4000)
    other.start_in_thread()
    try:
        assert run("check", "--profile", "lab", "--base-url", other.base_url)[0] == 0
        other.scenario = "invalid_key"
        code, out, _ = run("check", "--json", "--profile", "lab", "--base-url", other.base_url)
    finally:
        other.stop()
    data = json.loads(out)
    assert code == 1
    # compared with the last passing run at that URL, not with lab's run at another
    changes = [c["kind"] for c in data["since_last_pass"]["changes"]]
    assert "base_url" not in changes, changes
    listed = json.loads(run("history", "--profile", "lab", "--json")[1])
    assert [r["n"] for r in listed] == [1]
    everything = json.loads(run("history", "--json")[1])
    assert [r["profile"] for r in everything] == ["lab", None, None]
    assert everything[1]["scope"] == "url:" + other.base_url.rstrip("/")
    # restore-last-good of lab sees only lab's own runs
    assert "already has the settings" in run("profile", "restore-last-good", "lab")[1]


# ----- B11: history show N is a readable record in both languages ----------------------
def test_history_show_is_a_readable_record() -> None:
    _plant(_rec(key="sk-…4444", key_id="#d67de311", stream=True, proxy=None, ttfb_ms=101.4))
    code, out, _ = run("history", "show", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Run 1, 2026-11-28 14:02 (UTC)"
    assert "null" not in out and "scope" not in out and "v:" not in out
    assert any(line.split() == ["Verdict", "passed"] for line in lines)
    assert any("API key" in line and "sk-…4444 (#d67de311)" in line for line in lines)
    assert any(line.split()[-2:] == ["101", "ms"] and "first byte" in line for line in lines)
    # labels padded to one column: every value starts at the same place
    fields = lines[1 : lines.index("Steps:")]
    starts = {len(line) - len(line.split("  ")[-1].lstrip()) for line in fields}
    assert len(starts) == 1, fields
    steps = lines[lines.index("Steps:") + 1 :]
    assert steps[0].split()[:3] == ["✓", "Configuration", "ok"]
    assert steps[1].split()[:3] == ["✓", "Streaming", "stream.ok"]
    assert steps[0].index(" ok ") == steps[1].index(" stream.ok ")
    zh = run("history", "show", "1", "--lang", "zh-CN")[1]
    assert zh.splitlines()[0] == "第 1 次运行，2026-11-28 14:02（UTC）"
    assert "结论" in zh and "通过" in zh and "流式输出" in zh and "配置" in zh and "null" not in zh


# ----- B12: history --profile for a profile without runs, watch re-reads the profile ---
def test_history_of_a_profile_without_runs_or_of_no_such_profile(gw) -> None:
    run("check", "--base-url", gw.base_url)
    run("profile", "add", "lab", "--base-url", gw.base_url)
    out = run("history", "--profile", "lab")[1]
    assert out.startswith("Profile lab has no runs in the history yet")
    out = run("history", "--profile", "nosuch")[1]
    assert out.startswith("There is no profile nosuch")
    zh = run("history", "--profile", "nosuch", "--lang", "zh-CN")[1]
    assert "没有名为 nosuch 的配置档" in zh


def test_watch_rereads_the_profile_before_each_run(gw, monkeypatch) -> None:
    from tui.commands import watch

    run("profile", "add", "lab", "--base-url", gw.base_url, "--model", "gpt-4o-mini")

    def edit(_seconds: float) -> None:
        run("profile", "edit", "lab", "--model", "gpt-4o-minii")

    monkeypatch.setattr(watch, "_sleep", edit)
    code, out, err = run("watch", "--profile", "lab", "--count", "2")
    assert "profile lab changed since the last run: Model gpt-4o-mini → gpt-4o-minii" in err, err
    assert code == 1  # the second run used the new model: not found
    models = [r["model"] for r in json.loads(run("history", "--json")[1])]
    assert models == ["gpt-4o-mini", "gpt-4o-minii"]


def test_the_list_stays_aligned_past_run_999() -> None:
    _plant(*[_rec() for _ in range(1002)])
    lines = run("history", "--last", "4")[1].splitlines()
    assert lines[1].startswith(" 999  ") and lines[-1].startswith("1002  ")
    assert len({line.index("2026") for line in lines[1:]}) == 1
    assert lines[0].index("time") == lines[1].index("2026")
