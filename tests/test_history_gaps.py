"""Issue 18's remaining gaps: the watch interval setting, the stream setting restored,
the corrupt-line note, the key id in the summary, a certificate issuer change end to end."""

from __future__ import annotations

import contextlib
import io

import pytest

from tests.conftest import FAKE_KEY
from tui.cli import main


@pytest.fixture(autouse=True)
def key(monkeypatch) -> None:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


# ----- gap 4: the watch interval follows [settings] watch_every -----------------------
@pytest.mark.parametrize(
    ("setting", "seconds", "said"),
    [
        (None, 60.0, None),
        ("2m", 120.0, None),
        (90, 90.0, None),
        ("3s", 10.0, "too short: watching every 10 s"),
        ("soon", 60.0, "is not a duration"),
        (True, 60.0, "is not a duration"),
    ],
)
def test_watch_every_setting(setting, seconds, said) -> None:
    from tui.core.history.watching import watch_every
    from tui.core.i18n.catalogue import render
    from tui.core.setup.profiles import set_setting

    set_setting("watch_every", setting)
    every, problem = watch_every()
    assert every == seconds
    assert (render(problem, "en") if problem else None) == said or said in render(problem, "en")
    if problem is not None:
        assert render(problem, "zh-CN") != render(problem, "en")


def test_watch_cli_follows_the_setting_unless_every_is_given(demo_gateway, monkeypatch) -> None:
    from tui.commands import watch
    from tui.core.setup.profiles import set_setting

    slept: list[float] = []
    monkeypatch.setattr(watch, "_sleep", slept.append)
    url = demo_gateway.scenario_url("healthy")
    set_setting("watch_every", "2m")
    code, _, err = run("watch", "--base-url", url, "--count", "2")
    assert code == 0 and "every 120 s" in err
    assert slept and 119 < slept[0] <= 120
    set_setting("watch_every", "3s")
    code, _, err = run("watch", "--base-url", url, "--count", "1")
    assert "watch_every setting 3s is too short" in err and "every 10 s" in err
    code, _, err = run("watch", "--base-url", url, "--count", "1", "--every", "30s")
    assert "every 30 s" in err
