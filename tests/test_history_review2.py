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
