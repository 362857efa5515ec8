"""`gateway-doctor history`, `watch` and `profile restore-last-good` (issue 18), against
a loopback demo gateway."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import FAKE_KEY
from tests.support.cli_run import run

pytestmark = pytest.mark.usefixtures("fake_key_env")


def test_history_lists_runs_with_a_status_strip(gw) -> None:
    assert run("history")[1].startswith("No runs in the history yet")
    run("check", "--base-url", gw.base_url)
    gw.scenario = "invalid_key"
    run("check", "--base-url", gw.base_url)
    code, out, _ = run("history")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["#", "time", "(UTC)"]
    assert "  1  " in lines[1] and "passed" in lines[1] and "✓✓✓✓✓✓✓" in lines[1]
    assert "  2  " in lines[2] and "failed" in lines[2] and "✓✓✓✗–––" in lines[2]
    zh = run("history", "--lang", "zh-CN")[1]
    assert "结论" in zh and "通过" in zh and "失败" in zh
    data = json.loads(run("history", "--json")[1])
    assert [r["n"] for r in data] == [1, 2] and data[1]["verdict"] == "fail"
    assert run("history", "--last", "1", "--json")[1].count('"n": 2') == 1


def test_history_show_and_diff(gw) -> None:
    run("check", "--base-url", gw.base_url)
    gw.scenario = "low_balance"
    run("check", "--base-url", gw.base_url)
    code, out, _ = run("history", "show", "2")
    assert code == 0 and "balance.low" in out
    assert any(line.split() == ["Verdict", "warning"] for line in out.splitlines()), out
    assert json.loads(run("history", "show", "1", "--json")[1])["verdict"] == "pass"
    code, out, _ = run("history", "diff", "1", "2")
    assert code == 0
    assert "the balance dropped to near zero" in out and "Balance: balance.ok → balance.low" in out
    data = json.loads(run("history", "diff", "1", "2", "--json")[1])
    assert [c["kind"] for c in data["changes"]] == ["balance"]
    assert data["steps"] == [{"id": "balance", "old": "balance.ok", "new": "balance.low"}]
    code, _, err = run("history", "show", "7")
    assert code == 2 and "there is no run 7 in the history (runs 1 to 2)" in err
    code, _, err = run("history", "diff", "1", "x")
    assert code == 2 and "x is not a run number" in err


def test_history_clear_asks_and_can_keep_other_profiles(gw, monkeypatch) -> None:
    run("profile", "add", "a", "--base-url", gw.base_url)
    run("profile", "add", "b", "--base-url", gw.base_url)
    run("check", "--profile", "a")
    run("check", "--profile", "b")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    code, _, err = run("history", "clear")
    assert code == 2 and "--yes" in err
    code, out, _ = run("history", "clear", "--profile", "a", "--yes")
    assert code == 0 and "1 run(s) deleted" in out
    left = json.loads(run("history", "--json")[1])
    assert len(left) == 1 and left[0]["profile"] == "b"
    assert run("history", "clear", "--yes")[0] == 0
    assert json.loads(run("history", "--json")[1]) == []


def test_watch_prints_a_line_per_run_and_what_changed(gw, monkeypatch) -> None:
    from tui.commands import watch

    monkeypatch.setattr(watch, "MIN_INTERVAL", 0.0)
    scenarios = iter(["invalid_key", "healthy"])
    monkeypatch.setattr(watch, "_sleep", lambda s: setattr(gw, "scenario", next(scenarios)))
    code, out, err = run("watch", "--base-url", gw.base_url, "--every", "0", "--count", "3")
    assert code == 0  # the last run's
    lines = out.splitlines()
    assert len(lines) == 5, out
    assert "passed" in lines[0] and "every check passed" in lines[0]
    assert "failed" in lines[1] and "Authentication: auth.invalid_key" in lines[1]
    assert lines[2].startswith("changed: verdict passed → failed; Authentication: auth.ok → ")
    assert "skipped" not in lines[2]  # the steps that waited on auth are not news
    assert lines[4].startswith("changed: verdict failed → passed")
    assert "Stopped after 3 run(s)." in err
    assert len(json.loads(run("history", "--json")[1])) == 3


def test_watch_bounds(gw) -> None:
    code, _, err = run("watch", "--base-url", gw.base_url, "--every", "5s")
    assert code == 2 and "--every 5s is too short: the interval must be at least 10 s" in err
    code, _, err = run("watch", "--base-url", gw.base_url, "--every", "soon")
    assert code == 2 and "not a duration" in err
    code, _, err = run("watch", "--base-url", gw.base_url, "--count", "0")
    assert code == 2 and "--count 0 is not a positive whole number" in err
    from tui.commands.watch import parse_every

    assert [parse_every(v) for v in ("60", "60s", "5m", "1h", "1.5m")] == [60, 60, 300, 3600, 90]


def test_watch_stops_cleanly_on_ctrl_c(gw, env_without_proxies) -> None:
    gw.scenario = "invalid_key"
    env = {**env_without_proxies, "GATEWAY_DOCTOR_API_KEY": FAKE_KEY}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "watch", "--base-url", gw.base_url, "--every", "10"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    try:
        first = proc.stdout.readline()  # the first run's line, then it waits 10 s
        assert "auth.invalid_key" in first
        time.sleep(0.2)
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 1  # the last run failed
    assert "Traceback" not in err and "Stopped after 1 run(s)." in err


def test_restore_last_good(gw, monkeypatch) -> None:
    from tui.core.setup.profiles import load_profile

    run("profile", "add", "work", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    code, _, err = run("profile", "restore-last-good", "work", "--yes")
    assert code == 1 and "no passing run" in err
    assert run("check", "--profile", "work")[0] == 0
    run("profile", "edit", "work", "--base-url", gw.scenario_url("no_channel"), "--model", "x")
    assert run("check", "--profile", "work")[0] == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = run("profile", "restore-last-good", "work")
    assert code == 2 and "--yes" in err and "model: x → gpt-4o-mini" in out
    assert load_profile("work").model == "x"  # nothing changed without a yes
    code, out, _ = run("profile", "restore-last-good", "work", "--yes")
    assert code == 0, out
    assert f"base_url: {gw.scenario_url('no_channel')} → {gw.base_url}" in out
    assert "keys are never restored from history" in out and "sk-…" in out
    assert FAKE_KEY not in out
    p = load_profile("work")
    assert (p.base_url, p.model) == (gw.base_url, "gpt-4o-mini")
    assert run("check", "--profile", "work")[0] == 0
    assert "already has the settings" in run("profile", "restore-last-good", "work")[1]


def test_a_canary_key_never_reaches_the_history_file(gw, monkeypatch) -> None:
    """Real runs (check, watch, history output) with a canary key: the file and every
    printed line hold the fingerprint and masked form, never a piece of the key."""
    from tests.conftest import CANARY_KEY
    from tests.support.leaks import leaks
    from tui.commands import watch
    from tui.core.history import store

    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", CANARY_KEY)
    monkeypatch.setattr(watch, "MIN_INTERVAL", 0.0)
    monkeypatch.setattr(watch, "_sleep", lambda s: None)
    outputs = [
        run("check", "--base-url", gw.base_url),
        run("check", "--base-url", gw.scenario_url("invalid_key"), "--json"),
        run("watch", "--base-url", gw.base_url, "--every", "0", "--count", "2", "--json"),
    ]
    outputs += [run("history"), run("history", "--json"), run("history", "show", "1")]
    outputs.append(run("history", "diff", "1", "2"))
    files = [p.read_bytes() for p in store.files() if p.exists()]
    assert len(b"".join(files).splitlines()) == 4
    printed = [o for _, out, err in outputs for o in (out, err)]
    assert not leaks(files + printed)
    assert b'"key":"sk-\xe2\x80\xa6' in files[0]  # the masked form is there
