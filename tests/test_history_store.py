"""The history file (issue 18): 0600, rotation by size, concurrent appends, corrupt
lines, planted links, and nothing secret in it (canary scan)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import CANARY_KEY
from tests.support.leaks import leaks
from tui.core import history
from tui.core.history import store
from tui.core.history.record import build_record
from tui.core.i18n.catalogue import render
from tui.core.setup.state import state_dir


def _result(verdict: str = "pass", **evidence: dict) -> dict:
    checks = [
        {"id": cid, "status": verdict if cid == "model" else "pass", "code": f"{cid}.ok",
         "duration_ms": 12.5, "evidence": evidence.get(cid, {})}
        for cid in ("config", "network", "proxy", "auth", "balance", "model", "stream")
    ]  # fmt: skip
    return {"verdict": verdict, "checks": checks}


def _target(key: str = "sk-FAKE-test-aaaa-bbbb-cccc-dddd", **kw):
    from tui.core.diagnosis.model import Target

    return Target(
        base_url=kw.pop("base_url", "https://gw.example/v1"), api_key=key, model="m", **kw
    )


def test_record_run_writes_one_private_line_per_run() -> None:
    assert history.record_run("check", _target(), _result()) is None
    assert history.record_run("check", _target(), _result("fail")) is None
    path = state_dir() / store.HISTORY_NAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["verdict"] == "pass" and first["ok"] is True and first["kind"] == "check"
    assert first["key"] == "sk-…dddd" and first["key_id"] and first["key_id"].startswith("#")
    assert [s["id"] for s in first["steps"]][:2] == ["config", "network"]
    assert json.loads(lines[1])["verdict"] == "fail"


def test_every_kind_of_run_is_recorded_with_its_steps() -> None:
    steps = [
        {"id": "short", "status": "pass", "code": "trial.short.ok", "elapsed_ms": 120},
        {"id": "stream", "status": "fail", "code": "trial.stream.cut", "elapsed_ms": 900},
    ]
    for kind in ("check", "console", "trial", "models"):
        result = _result() if kind in ("check", "console") else {"steps": steps}
        assert history.record_run(kind, _target(), result) is None
    records = history.read_all().records
    assert [r["kind"] for r in records] == ["check", "console", "trial", "models"]
    trial = records[2]
    assert trial["verdict"] == "fail" and trial["ok"] is False
    assert trial["steps"][1] == {
        "id": "stream",
        "status": "fail",
        "code": "trial.stream.cut",
        "ms": 900.0,
    }


def test_record_run_never_raises_and_says_why(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(blocker))
    warning = history.record_run("check", _target(), _result())
    assert warning is not None and warning.id == "history.not_written"
    monkeypatch.delenv("GATEWAY_DOCTOR_STATE_DIR")
    assert history.record_run("check", object(), {"checks": "garbage", "steps": 5}) is None
    assert "not written" in render(warning, "en")
    assert "未写入" in render(warning, "zh-CN")


def test_rotation_keeps_two_old_files(monkeypatch) -> None:
    monkeypatch.setattr(store, "MAX_BYTES", 4000)
    for _ in range(30):
        history.record_run("check", _target(), _result())
    files = [p for p in store.files() if p.exists()]
    assert [p.name for p in files] == ["history.2.jsonl", "history.1.jsonl", "history.jsonl"]
    assert all(p.stat().st_size <= 4000 for p in files)
    # the oldest runs went; what is kept reads back whole, oldest first
    kept = history.read_all()
    assert not kept.warnings and 6 <= len(kept.records) < 30
    assert kept.records == sorted(kept.records, key=lambda r: r["time"])


def test_corrupt_lines_are_skipped_with_a_warning() -> None:
    history.record_run("check", _target(), _result())
    path = state_dir() / store.HISTORY_NAME
    with open(path, "ab") as fh:
        fh.write(b'{"time": "2026-01-01T00:00:00Z", "trunc\n\xff\xfe not json\n[1, 2]\n')
    history.record_run("check", _target(), _result("fail"))
    read = history.read_all()
    assert [r["verdict"] for r in read.records] == ["pass", "fail"]
    assert len(read.warnings) == 1
    said = render(read.warnings[0], "en")
    assert "3 unreadable line(s)" in said and str(path) in said
    # the backwards search for the last passing run skips them too
    assert history.last_passing(read.records[0]["scope"])["verdict"] == "pass"


def test_a_planted_link_is_refused_not_followed(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    directory = state_dir()
    directory.mkdir(parents=True, mode=0o700)
    os.symlink(victim, directory / store.HISTORY_NAME)
    warning = history.record_run("check", _target(), _result())
    assert warning is not None and "link" in render(warning, "en")
    assert victim.read_text() == "precious\n"
    assert history.read_all().records == []


_APPENDER = textwrap.dedent(
    """
    import sys
    from tui.core.history import store
    pad = "x" * int(sys.argv[2])
    for i in range(500):
        store.append({"time": "2026-12-01T00:00:00Z", "who": sys.argv[1], "i": i, "pad": pad})
    """
)


def test_two_processes_append_500_records_each_without_torn_lines(env_without_proxies) -> None:
    # Records larger than a pipe buffer's atomic size, so only the lock keeps them whole.
    procs = [
        subprocess.Popen([sys.executable, "-c", _APPENDER, who, "6000"], env=env_without_proxies)
        for who in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    read = history.read_all()
    assert not read.warnings
    assert len(read.records) == 1000
    for who in ("a", "b"):
        assert [r["i"] for r in read.records if r["who"] == who] == list(range(500))


def test_nothing_secret_in_the_history_file(tmp_path) -> None:
    from tui.core.safe.masking import register_secret

    register_secret(CANARY_KEY)
    evidence = {
        "network": {"dns": {"addresses": ["192.0.2.1"]}, "http": {"server": f"x {CANARY_KEY}"}},
        "auth": {"models": ["gpt", f"echo-{CANARY_KEY}"], "model_count": 2},
        "config": {"tls_trust": f"bundle {CANARY_KEY}", "sources": {"proxy": "none"}},
    }
    target = _target(CANARY_KEY, proxy=f"http://user:{CANARY_KEY}@proxy.example:8080")
    assert history.record_run("check", target, _result("fail", **evidence)) is None
    raw = [p.read_bytes() for p in store.files() if p.exists()]
    assert raw and not leaks(raw), leaks(raw)
    # the fingerprint is in, and it is not a piece of the key
    record = history.read_all().records[0]
    assert record["key_id"] and record["key_id"].lstrip("#") not in CANARY_KEY


@pytest.mark.parametrize("n", [10, 10_000])
def test_finding_the_last_passing_run_reads_backwards(n, monkeypatch) -> None:
    """Only the newest lines are parsed: a run is found among 10 or 10,000."""

    def line(verdict: str, base_url: str = "https://gw.example/v1") -> str:
        r = build_record("check", _target(base_url=base_url), _result(verdict))
        return json.dumps(r, separators=(",", ":"))

    # n old runs, the passing one, then two failed runs and one of another gateway
    records = [line("pass") for _ in range(n)]
    records += [line("pass"), line("fail"), line("fail"), line("pass", "https://other.example")]
    directory = state_dir()
    directory.mkdir(parents=True, mode=0o700, exist_ok=True)
    (directory / store.HISTORY_NAME).write_text("\n".join(records) + "\n")
    parsed = []
    real = store._parse
    monkeypatch.setattr(store, "_parse", lambda raw: parsed.append(1) or real(raw))
    found = history.last_passing(json.loads(records[0])["scope"])
    assert found is not None and found["verdict"] == "pass"
    assert len(parsed) == 1  # failed runs and other gateways are passed over unparsed


def test_a_checklist_run_is_compared_with_checklist_runs_only() -> None:
    """A passing trial or model probe is not "the last passing run" of the checklist."""
    history.record_run("check", _target(), _result())
    steps = [{"id": "short", "status": "pass", "code": "trial.short.ok", "elapsed_ms": 1}]
    history.record_run("trial", _target(), {"steps": steps})
    history.record_run("models", _target(), {"steps": steps})
    scope = history.read_all().records[0]["scope"]
    assert history.last_passing(scope)["kind"] == "check"


def test_a_record_keeps_the_named_facts() -> None:
    evidence = {
        "network": {
            "dns": {"addresses": ["203.0.113.7", "192.0.2.1"]},
            "tls": {"issuer": "CN=R11, O=Let's Encrypt", "not_after": "Mar  1 00:00:00 2027 GMT"},
            "http": {"server": "nginx/1.25", "ttfb_ms": 88.4},
        },
        "config": {"tls_trust": "system store", "sources": {"proxy": "env:HTTPS_PROXY"}},
        "auth": {"models": [f"m{i:03}" for i in range(100)], "model_count": 100},
        "balance": {"remaining": 12.5, "unit": "USD"},
        "stream": {"first_token_ms": 420.0},
    }
    r = build_record("check", _target(proxy="http://proxy.corp:3128"), _result(**evidence))
    assert r["addresses"] == ["192.0.2.1", "203.0.113.7"]
    assert r["tls"] == {
        "issuer": "CN=R11, O=Let's Encrypt",
        "not_after": "Mar  1 00:00:00 2027 GMT",
    }
    assert (r["server"], r["ttfb_ms"], r["ttft_ms"]) == ("nginx/1.25", 88.4, 420.0)
    assert (r["proxy"], r["proxy_source"], r["trust"]) == (
        "http://proxy.corp:3128", "env:HTTPS_PROXY", "system store",
    )  # fmt: skip
    assert r["models"]["count"] == 100 and len(r["models"]["sample"]) == 60
    assert r["models"]["complete"] is False and len(r["models"]["hash"]) == 16
    assert r["balance"] == {"remaining": 12.5, "unit": "USD"}
    # through an intercepting proxy the network step has no certificate: the proxy's is kept
    via = {"proxy": {"certificate_via_proxy": {"issuer": "CN=Corp Inspection CA"}}}
    r = build_record("check", _target(), _result(**via))
    assert r["tls"]["issuer"] == "CN=Corp Inspection CA"


def test_the_backwards_search_finds_lines_across_block_edges(monkeypatch) -> None:
    """Blocks smaller than a line, lines split at every offset: the same answers as a
    plain forward read."""
    monkeypatch.setattr(store, "_BLOCK", 7)
    for i in range(12):
        history.record_run("check", _target(), _result("pass" if i % 4 == 0 else "fail"))
    scope = history.read_all().records[0]["scope"]
    newest_pass = [r for r in history.read_all().records if r["verdict"] == "pass"][-1]
    assert history.last_passing(scope) == newest_pass
    assert history.recent(scope, 5) == history.read_all().records[-5:]
