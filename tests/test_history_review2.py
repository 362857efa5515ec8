"""Issue 18 second review: run history findings, against a loopback demo gateway."""

from __future__ import annotations

import pytest

from tests.conftest import FAKE_KEY
from tests.support.cli_run import run
from tests.test_console_chinese import visible_text

pytestmark = pytest.mark.usefixtures("fake_key_env")


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


# ----- 3: restore-last-good says the profile's key is not the good run's, and who has it --
GOOD_KEY = "sk-test-FAKE-good-1111-2222-3333-4444"
NEW_KEY = "sk-test-FAKE-newer-5555-6666-7777-8888"


def test_restore_says_the_key_differs_and_which_profile_holds_it(
    gw, memory_keyring, monkeypatch
) -> None:
    from tui.core.history.record import key_fingerprint
    from tui.core.setup.keys import set_key

    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", GOOD_KEY)
    run("profile", "add", "lab", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    run("profile", "add", "spare", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    assert run("check", "--profile", "lab")[0] == 0
    set_key("lab", NEW_KEY)
    set_key("spare", GOOD_KEY)
    run("profile", "edit", "lab", "--model", "gpt-4o-minii")
    good, new = key_fingerprint(GOOD_KEY), key_fingerprint(NEW_KEY)
    code, out, err = run("profile", "restore-last-good", "lab", "--yes")
    assert code == 0, err
    assert f"lab now has sk-…8888 (fingerprint {new})" in out, out
    assert (
        f"the key with fingerprint {good} (that run's) is the one stored in profile(s): spare"
        in out
    )
    assert GOOD_KEY not in out + err and NEW_KEY not in out + err
    # nothing else to restore: still said; in Chinese too; and nobody holding it
    set_key("spare", NEW_KEY)
    out = run("profile", "--lang", "zh-CN", "restore-last-good", "lab", "--yes")[1]
    assert "已经是上一次通过的运行" in out and "配置档的密钥已不是那次运行的" in out, out
    assert f"没有哪个配置档保存着指纹为 {good} 的密钥" in out, out
    # the same key again: nothing said about it
    set_key("lab", GOOD_KEY)
    out = run("profile", "restore-last-good", "lab", "--yes")[1]
    assert "not that run's" not in out and "already has the settings" in out


async def test_the_restore_dialog_says_the_key_differs_and_who_holds_it(memory_keyring) -> None:
    from tests.support.console import ScriptedEngine, fake_target, wait_for
    from tests.test_console_chinese import visible_text
    from tests.test_console_focus import make_app
    from tests.test_history_console import results
    from tui.core.setup.keys import set_key
    from tui.core.setup.profiles import Profile, add_profile, edit_profile

    target = fake_target()
    add_profile(Profile("demo", base_url=target.base_url, model="gpt-4o-mini"))
    add_profile(Profile("spare", base_url=target.base_url, model="gpt-4o-mini"))
    app = make_app(engine=ScriptedEngine(results(bad=False)), target=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
        await wait_for(pilot, lambda: app.main.query_one("#history-pane").records)
        edit_profile("demo", model="broken-model")
        set_key("demo", NEW_KEY)
        set_key("spare", target.api_key)
        await pilot.press("5")
        app.main.query_one("#history-pane").focus()
        await pilot.press("R")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ConfirmRestore")
        said = " ".join(visible_text(app).split())
        assert "the profile's key is not that run's" in said, said
        assert "sk-…8888" in said and "profile(s): spare" in said, said


# ----- 2 and 8: the run list is on screen at 80x24 and fills the pane at 160x45 --------
def _run_rows(app) -> list[str]:
    import re

    from tests.test_console_chinese import visible_text

    return [
        ln
        for ln in visible_text(app).splitlines()
        if re.search(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d ", ln)
    ]


async def _pane_with_runs(pilot, n: int):
    from tests.support.console import wait_for
    from tests.test_history_console import two_runs

    app = pilot.app
    await two_runs(pilot, app.engine_for_test)
    await pilot.press("5")
    view = app.main.query_one("#history-pane")
    await wait_for(pilot, lambda: len(view.records) == 2)
    if n > 2:
        base = view.records[0]
        runs = [
            {
                **base,
                "time": f"2026-11-28T15:{i:02d}:00+00:00",
                "verdict": "fail" if i % 3 else "pass",
            }
            for i in range(n)
        ]
        view.show(runs, view.comparison, view.since)
    await pilot.pause(0.2)
    return view


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_the_run_list_is_on_screen_at_80x24(lang, monkeypatch) -> None:
    import itertools

    from tests.support.console import ScriptedEngine
    from tests.test_console_focus import make_app
    from tests.test_history_console import results

    ticks = itertools.count()
    monkeypatch.setattr("tui.core.history.record._now", lambda: 1795874520.0 + 60 * next(ticks))
    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine, lang=lang)
    app.engine_for_test = engine
    async with app.run_test(size=(80, 24)) as pilot:
        await _pane_with_runs(pilot, 2)
        runs = app.main.query_one("#history-runs")
        assert app.focused is runs
        rows = _run_rows(app)
        assert any("2026-11-28 14:03:00" in r for r in rows), "\n".join(rows)
        # ↓ and End keep the chosen run on screen; Enter opens the run that is shown
        for key in ("down", "end", "pagedown", "up"):
            await pilot.press(key)
            await pilot.pause(0.05)
            assert _run_rows(app), key
        region = runs.region
        assert region.height >= 2 and region.bottom <= 24 - 1  # above the footer


async def test_the_run_list_takes_the_remaining_height_at_160x45(monkeypatch) -> None:
    import itertools

    from tests.support.console import ScriptedEngine
    from tests.test_console_focus import make_app
    from tests.test_history_console import results

    ticks = itertools.count()
    monkeypatch.setattr("tui.core.history.record._now", lambda: 1795874520.0 + 60 * next(ticks))
    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine)
    app.engine_for_test = engine
    async with app.run_test(size=(160, 45)) as pilot:
        await _pane_with_runs(pilot, 17)
        rows = _run_rows(app)
        assert len(rows) == 17, "\n".join(rows)


# ----- 6: the diff dialog says its keys, and R there asks to restore --------------------
async def test_the_diff_dialog_has_restore_and_key_hints(monkeypatch) -> None:
    import itertools

    from tests.support.console import ScriptedEngine, fake_target, wait_for
    from tests.test_console_focus import make_app
    from tests.test_history_console import results
    from tui.core.setup.profiles import Profile, add_profile, edit_profile, load_profile

    ticks = itertools.count()
    monkeypatch.setattr("tui.core.history.record._now", lambda: 1795874520.0 + 60 * next(ticks))
    target = fake_target()
    add_profile(Profile("demo", base_url=target.base_url, model="gpt-4o-mini"))
    app = make_app(engine=ScriptedEngine(results(bad=False)), target=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
        await wait_for(pilot, lambda: app.main.query_one("#history-pane").records)
        edit_profile("demo", model="broken-model")
        await pilot.press("5")
        app.main.query_one("#history-runs").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RunDiff")
        said = " ".join(visible_text(app).split())
        assert "R: return the profile to its last passing run (asks first)" in said, said
        assert "Esc: close" in said
        await pilot.press("R")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "ConfirmRestore")
        assert "model: broken-model → gpt-4o-mini" in visible_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: load_profile("demo").model == "gpt-4o-mini")


# ----- review 3: a record too deep to read is said in the console, not an empty pane ----
async def test_the_history_pane_says_a_too_deep_record_was_skipped(monkeypatch) -> None:
    import json

    from tests.support.console import ScriptedEngine, fake_target, wait_for
    from tests.test_console_focus import make_app
    from tests.test_history_console import results
    from tui.core.history import scope_for
    from tui.core.history.store import HISTORY_NAME
    from tui.core.setup.state import state_dir

    target = fake_target()
    d = state_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    scope = json.dumps(scope_for(target))
    line = (
        '{"time":"2026-01-01T00:00:00Z","kind":"check","verdict":"pass","ok":true,'
        f'"scope":{scope},"extra":' + "[" * 900 + "]" * 900 + "}\n"
    )
    (d / HISTORY_NAME).write_text(line)
    (d / HISTORY_NAME).chmod(0o600)
    app = make_app(engine=ScriptedEngine(results(bad=False)), target=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)

        def said() -> str:
            return " ".join(n.message for n in app._notifications)

        await wait_for(pilot, lambda: "unreadable line(s)" in said())
        assert "1 unreadable line(s)" in said(), said()
