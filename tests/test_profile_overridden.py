"""A profile whose base URL a flag or the environment overrides is not shown as the thing
tested (new-user walk: after ``profile add work --preset alltkn --use``, running with
``--base-url`` showed ``profile work`` in the target bar and ``Watching work`` in watch's
header, while the gateway tested was another one)."""

from __future__ import annotations

import pytest

from tests.support.cli_run import run
from tests.support.console import console_app, fake_target, wait_for
from tui.ui.widgets.target_bar import TargetBar, target_text

pytestmark = pytest.mark.usefixtures("fake_key_env")


@pytest.mark.parametrize(
    ("lang", "source", "mark"),
    [
        ("en", "flag", "profile demo (URL from --base-url) │ base URL http://"),
        ("en", "env:OPENAI_BASE_URL", "profile demo (URL from OPENAI_BASE_URL) │"),
        ("zh-CN", "flag", "配置档 demo（URL 取自 --base-url） │ 基础 URL http://"),
        ("zh-CN", "env:OPENAI_BASE_URL", "配置档 demo（URL 取自 OPENAI_BASE_URL） │"),
    ],
)
def test_the_bar_marks_a_profile_whose_url_is_overridden(lang, source, mark) -> None:
    shown = target_text(fake_target(), lang, sources={"base_url": source}, width=200).plain
    assert mark in shown


@pytest.mark.parametrize("source", ["profile:demo", "preset", "demo"])
def test_the_bar_shows_the_profile_plainly_when_its_url_is_used(source) -> None:
    shown = target_text(fake_target(), "en", sources={"base_url": source}, width=200).plain
    assert shown.startswith("profile demo │ base URL ")
    target = fake_target()
    target.profile = None  # no profile: nothing to mark, whatever set the URL
    assert target_text(target, "en", sources={"base_url": "flag"}).plain.startswith(
        "profile (none) │"
    )


async def test_the_console_bar_reads_the_sources_of_the_target() -> None:
    app = console_app(fake_target(), sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"})
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        bar = app.main.query_one(TargetBar).render().plain
        assert bar.startswith("profile demo (URL from --base-url) │ base URL http://")


@pytest.fixture
def watch_once(monkeypatch):
    from tui.commands import watch

    monkeypatch.setattr(watch, "MIN_INTERVAL", 0.0)
    return lambda *args: run("watch", "--every", "0", "--count", "1", *args)


def test_watch_names_the_url_when_a_flag_overrides_the_profile(gw, watch_once) -> None:
    assert run("profile", "add", "work", "--preset", "alltkn", "--use")[0] == 0
    url = gw.scenario_url("healthy")
    code, _, err = watch_once("--base-url", url)
    assert code == 0, err
    said = f"Watching {url} every 0 s (Ctrl-C stops); the base URL is from --base-url, "
    assert said + "not from profile work." in err
    assert "Watching work" not in err
    _, _, err = watch_once("--base-url", url, "--lang", "zh-CN")
    assert f"每 0 秒检查一次 {url}（按 Ctrl-C 停止）；基础 URL 取自 --base-url，" in err
    assert "不是配置档 work 里设的。" in err


def test_watch_names_the_url_when_the_environment_overrides_it(gw, watch_once, monkeypatch) -> None:
    url = gw.scenario_url("healthy")
    assert run("profile", "add", "work", "--base-url", gw.scenario_url("no_channel"))[0] == 0
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    _, _, err = watch_once("--profile", "work")
    assert (
        f"Watching {url} every 0 s" in err and "from OPENAI_BASE_URL, not from profile work" in err
    )
    monkeypatch.delenv("OPENAI_BASE_URL")
    _, _, err = watch_once("--profile", "work")  # the profile's own URL: the profile is named
    assert "Watching work every 0 s (Ctrl-C stops)." in err
