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
