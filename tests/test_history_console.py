"""The console's history (issue 18): each checklist run is recorded, the line under the
checklist says what changed since the last passing run, the history pane (5) shows runs,
verdicts and latency sparklines, w watches, R returns to the last good setup."""

from __future__ import annotations

import itertools

import pytest

from tests.support.console import ScriptedEngine, canned_result, fake_target, wait_for
from tests.test_console_chinese import visible_text
from tests.test_console_focus import lines, make_app
from tui.core.diagnosis.model import CHECK_IDS, Status


def results(bad: bool) -> dict:
    """A run with facts for the history: server header, models, balance, timings."""
    network = {
        "dns": {"addresses": ["127.0.0.1"]},
        "http": {"server": "new-api/v0.9.1" if bad else "new-api/v0.8.4", "ttfb_ms": 40.0},
    }
    models = ["gpt-4o-mini", "qwen-plus"] + ([] if bad else ["deepseek-chat"])
    evidence = {
        "network": network,
        "auth": {"models": models, "model_count": len(models)},
        "balance": {"remaining": 0.2 if bad else 87.66, "unit": "USD"},
        "stream": {"first_token_ms": 60.0},
    }
    out = {}
    for i, cid in enumerate(CHECK_IDS):
        kw = {"evidence": evidence.get(cid, {}), "duration_ms": 20.0 + 15 * i + (90 if bad else 0)}
        if bad and cid == "balance":
            out[cid] = canned_result(
                cid, Status.WARN, code="balance.low", detail="0.2 USD left", **kw
            )
        elif bad and cid == "model":
            out[cid] = canned_result(
                cid, Status.FAIL, code="model.unavailable", detail="no channel", **kw
            )
        else:
            code = "proxy.none" if cid == "proxy" else None
            out[cid] = canned_result(cid, code=code, **kw)
    return out


@pytest.fixture
def clock(monkeypatch):
    """Records one minute apart from a fixed time, so the screens stay the same."""
    ticks = itertools.count()
    monkeypatch.setattr("tui.core.history.record._now", lambda: 1795874520.0 + 60 * next(ticks))


def since_shown(app) -> bool:
    line = app.main.query_one("#since-line")
    return line.has_class("-shown")


async def two_runs(pilot, engine) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
    await wait_for(pilot, lambda: app.main.query_one("#history-pane").records)
    engine.results = results(bad=True)
    await pilot.press("r")
    await wait_for(pilot, lambda: since_shown(app))
    await pilot.pause(0.1)


async def test_the_console_records_each_run_and_says_what_changed(clock) -> None:
    from tui.core.history import read_all

    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await two_runs(pilot, engine)
        records = read_all().records
        assert [r["kind"] for r in records] == ["console", "console"]
        assert [r["verdict"] for r in records] == ["pass", "fail"]
        screen = "\n".join(lines(app))
        assert "Since the last passing run on 2026-11-28 14:02" in screen
        from tui.core.i18n.catalogue import render

        said = render(app.main.query_one("#since-line").message, "en")
        assert "gone from /models: deepseek-chat" in said
        # the support summary the console copies says it too
        app.copy_summary()
        assert "gone from /models: deepseek-chat" in app.system_copy.texts[-1]
        await pilot.click("#since-line")  # the diff view behind the line
        await wait_for(pilot, lambda: app.main.query_one("TabbedContent").active == "history")
        view = app.main.query_one("#history-pane")
        await wait_for(pilot, lambda: len(view.records) == 2)
        shown = visible_text(app)
        assert "the gateway's Server header changed (new-api/v0.8.4 → new-api/v0.9.1)" in shown
        assert "the balance dropped to near zero" in shown
        assert view._latencies("model") == [95.0, 185.0]


async def test_watching_reruns_the_checks(monkeypatch) -> None:
    """The console watches every [settings] watch_every (bounded below)."""
    from tui.core.history import watching
    from tui.core.setup.profiles import set_setting

    monkeypatch.setattr(watching, "MIN_INTERVAL", 0.1)
    set_setting("watch_every", "0.3s")
    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
        await pilot.press("5")
        view = app.main.query_one("#history-pane")
        view.focus()
        await pilot.press("w")
        assert view.watching
        await wait_for(pilot, lambda: len(engine.calls) >= 3 and len(view.records) >= 3, 8)
        assert "Watching every 0.3 s" in visible_text(app)
        await pilot.press("w")
        assert not view.watching
        calls = len(engine.calls)
        await pilot.pause(0.8)
        assert len(engine.calls) <= calls + 1  # a run already started may finish


async def test_restore_last_good_from_the_history_view(clock) -> None:
    from tui.core.setup.profiles import Profile, add_profile, load_profile

    target = fake_target()
    add_profile(Profile("demo", base_url=target.base_url, model="gpt-4o-mini"))
    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine, target=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
        await wait_for(pilot, lambda: app.main.query_one("#history-pane").records)
        from tui.core.setup.profiles import edit_profile

        edit_profile("demo", model="broken-model")
        await pilot.press("5")
        app.main.query_one("#history-pane").focus()
        await pilot.press("R")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ConfirmRestore")
        said = visible_text(app)
        assert "model: broken-model → gpt-4o-mini" in said and "fingerprint" in said
        await pilot.press("n")
        assert load_profile("demo").model == "broken-model"
        await pilot.press("R")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ConfirmRestore")
        await pilot.press("y")
        await wait_for(pilot, lambda: load_profile("demo").model == "gpt-4o-mini")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_snapshot_since_line(snap_compare, pinned_clock, clock, lang) -> None:
    engine = ScriptedEngine(results(bad=False))

    async def run_before(pilot) -> None:
        await two_runs(pilot, engine)

    # narrower than the three-pane grid: the checks pane alone (the chat pane would show
    # its model list's connect error with a measured time)
    app = make_app(engine=engine, lang=lang)
    assert snap_compare(app, terminal_size=(100, 34), run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_snapshot_history_view(snap_compare, pinned_clock, clock, lang) -> None:
    engine = ScriptedEngine(results(bad=False))

    async def run_before(pilot) -> None:
        await two_runs(pilot, engine)
        await pilot.press("5")
        view = pilot.app.main.query_one("#history-pane")
        await wait_for(pilot, lambda: len(view.records) == 2)
        await pilot.pause(0.2)

    assert snap_compare(
        make_app(engine=engine, lang=lang), terminal_size=(120, 36), run_before=run_before
    )
