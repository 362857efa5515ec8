"""Issue 18 second review: run history findings, against a loopback demo gateway."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.conftest import FAKE_KEY
from tui.cli import main


@pytest.fixture
def gw():
    from tui.demo.server import DemoGateway

    gateway = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=4000)
    gateway.start_in_thread()
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture(autouse=True)
def key(monkeypatch) -> None:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


# ----- 1: restore-last-good of no such profile is a usage error, not a crash ----------
def test_restore_last_good_of_no_such_profile_is_a_usage_error() -> None:
    code, out, err = run("profile", "restore-last-good", "nosuch", "--yes")
    assert code == 2, err
    assert "unexpected error" not in err
    assert "no profile named 'nosuch'" in err
    assert "gateway-doctor profile list" in err
    assert err.count("\n") == 1
    code, _, err = run("profile", "--lang", "zh-CN", "restore-last-good", "nosuch", "--yes")
    assert code == 2 and "nosuch" in err


# ----- 7: a record written with JSON's spaces is found as the last passing run --------
@pytest.mark.parametrize("separators", [(", ", ": "), (",", ":"), (" ,", " :\t")])
def test_a_passing_record_with_spaces_is_the_last_passing_run(separators, monkeypatch) -> None:
    import json

    from tests.test_history_store import _result, _target
    from tui.core import history
    from tui.core.history import store
    from tui.core.history.record import build_record
    from tui.core.setup.state import state_dir

    def line(verdict: str, seps=(",", ":")) -> str:
        return json.dumps(build_record("check", _target(), _result(verdict)), separators=seps)

    # 2,000 failed runs behind the passing one, which is written with spaces
    records = [line("pass", separators)] + [line("fail") for _ in range(2000)]
    directory = state_dir()
    directory.mkdir(parents=True, mode=0o700, exist_ok=True)
    (directory / store.HISTORY_NAME).write_text("\n".join(records) + "\n")
    parsed = []
    real = store._parse
    monkeypatch.setattr(store, "_parse", lambda raw: parsed.append(1) or real(raw))
    found = history.last_passing(json.loads(records[0])["scope"])
    assert found is not None and found["verdict"] == "pass"
    assert len(parsed) == 1  # the fast path: failed runs are passed over unparsed


# ----- 4: a change of the stream setting is said; profile show shows the setting -------
def test_a_changed_stream_setting_is_reported_and_shown(gw) -> None:
    import json

    run("profile", "add", "lab", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    assert run("check", "--profile", "lab")[0] == 0
    out = run("profile", "show", "lab")[1]
    assert any(ln.split()[:2] == ["Stream:", "on"] for ln in out.splitlines()), out
    run("profile", "edit", "lab", "--stream", "off")
    out = run("profile", "show", "lab")[1]
    assert any(ln.split()[:2] == ["Stream:", "off"] for ln in out.splitlines()), out
    data = json.loads(run("check", "--json", "--profile", "lab")[1])
    changes = data["since_last_pass"]["changes"]
    assert [c["kind"] for c in changes] == ["stream"], changes
    assert changes[0]["text"] == "the stream setting changed (on → off)"
    code, out, _ = run("history", "diff", "1", "2")
    assert "the stream setting changed (on → off)" in out, out
    zh = run("history", "diff", "1", "2", "--lang", "zh-CN")[1]
    assert "流式输出设置变了（开 → 关）" in zh, zh


def test_the_restore_hint_names_the_stream_setting() -> None:
    from tui.core.i18n.catalogue import text

    for lang in ("en", "zh-CN"):
        assert "stream" in text("history.view.restore_hint", lang) or "流式输出" in text(
            "history.view.restore_hint", lang
        )
        assert "stream" in text("history.restore.cmd", lang) or "流式输出" in text(
            "history.restore.cmd", lang
        )


# ----- 5: the change that explains the first failing step comes first -----------------
def _record(model: str, proxy: str | None, failing: str | None) -> dict:
    from tui.core.diagnosis.model import Target
    from tui.core.history.record import build_record

    steps = ("config", "network", "proxy", "auth", "balance", "model", "stream")
    checks = [
        {"id": s, "status": "fail" if s == failing else "pass", "code": f"{s}.x", "evidence": {}}
        for s in steps
    ]
    target = Target(base_url="https://gw.example/v1", api_key=FAKE_KEY, model=model, proxy=proxy)
    return build_record(
        "check", target, {"verdict": "fail" if failing else "pass", "checks": checks}
    )


@pytest.mark.parametrize(
    ("failing", "first"),
    [("proxy", "proxy"), ("model", "model"), ("network", "model"), (None, "model")],
)
def test_the_change_explaining_the_failing_step_comes_first(failing, first) -> None:
    from tui.core.history import compare

    base = _record("gpt-4o-mini", "http://proxy-a.example:8080", None)
    new = _record("gpt-4o-minii", "http://proxy-b.example:8080", failing)
    kinds = compare(base, new).kinds
    assert sorted(kinds) == ["model", "proxy"]
    assert kinds[0] == first, kinds
