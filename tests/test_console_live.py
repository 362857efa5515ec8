"""The console with the real engine against the real demo gateway (loopback)."""

from __future__ import annotations

import subprocess
import sys
import time

from textual.widgets import OptionList

from tests.conftest import FAKE_KEY
from tests.support.console import FakeClipboard, screen_text, wait_for
from tui.core.diagnosis.model import Status, Target
from tui.core.safe import masking
from tui.ui.app import GatewayDoctorApp
from tui.ui.screens.scenario import ScenarioScreen
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.inspector import InspectorPane


def live_app(url: str, timeout: float = 10.0, **kw) -> GatewayDoctorApp:
    masking.register_secret(FAKE_KEY)
    target = Target(
        base_url=url, api_key=FAKE_KEY, model="gpt-4o-mini", timeout=timeout, trust_env=False
    )
    kw.setdefault("system_copy", FakeClipboard())
    kw.setdefault("sources", {"base_url": "flag", "key": "env:OPENAI_API_KEY"})
    return GatewayDoctorApp(target, **kw)


def spying_app(url: str, **kw) -> tuple[GatewayDoctorApp, list[str]]:
    """:func:`live_app` whose inspector records each exchange it is asked to show."""
    shown: list[str] = []

    class SpyInspector(InspectorPane):
        def show_exchange(self, exchange_id: str) -> None:
            shown.append(exchange_id)
            super().show_exchange(exchange_id)

    def inspector(log, lang):  # noqa: ANN001, ANN202
        return SpyInspector(log, lang, id="inspector-pane")

    return live_app(url, inspector_factory=inspector, **kw), shown


async def test_healthy_gateway_all_pass(demo_gateway):
    app = live_app(demo_gateway.scenario_url("healthy"))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        assert app.report.verdict == "pass", [(c.id, c.code) for c in app.report.checks]
        rows = app.main.query_one(Checklist).rows
        assert all(r.status in (Status.PASS, Status.SKIP) for r in rows.values())
        text = screen_text(app)
        assert "sk-…4444" in text  # masked key in the target bar
        assert FAKE_KEY not in app.export_screenshot()


async def test_invalid_key_expands_auth_with_remediation_and_never_shows_the_key(demo_gateway):
    app = live_app(demo_gateway.scenario_url("invalid_key"))
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        await pilot.pause()
        assert app.report.by_id("auth").code == "auth.invalid_key"
        assert app.main.query_one(Checklist).selected_id == "auth"
        text = screen_text(app)
        assert "auth.invalid_key" in text and "401" in text
        assert "What to do" in text
        summary = str(app.main.query_one("#detail-summary").render())
        assert "auth.invalid_key" in summary
        await pilot.press("c")
        await pilot.pause()
        assert app.last_copy.path is not None
        for output in (app.export_screenshot(), text, app.last_copy.path.read_text()):
            assert FAKE_KEY not in output


async def test_evidence_jumps_to_the_exchange_in_the_inspector(demo_gateway):
    app, shown = spying_app(demo_gateway.scenario_url("invalid_key"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        await pilot.press("e")
        await pilot.pause()
        assert shown and app.exchange_log.get(shown[0]) is not None
        assert app.main.query_one("#panes").active == "inspector"


async def test_ui_keeps_responding_while_a_check_hangs_and_quits_at_once(demo_gateway):
    app = live_app(demo_gateway.scenario_url("slow_headers"), timeout=20)
    async with app.run_test(size=(100, 30)) as pilot:
        rows = app.main.query_one(Checklist).rows
        await wait_for(pilot, lambda: rows["config"].status is Status.PASS, timeout=10)
        await pilot.pause(0.3)
        assert any(r.status is Status.RUNNING for r in rows.values())
        await pilot.press("l")  # language switch while the request hangs
        await pilot.pause()
        assert app.lang == "zh-CN" and "鉴权" in screen_text(app)
        await pilot.press("2")  # switch to the chat tab
        await pilot.pause()
        assert app.main.query_one("#panes").active == "chat"
        await pilot.click("#--content-tab-checks")  # mouse works too
        await pilot.pause()
        assert app.main.query_one("#panes").active == "checks"
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        assert app.report is None  # still hanging on the slow gateway
        started = time.monotonic()
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert time.monotonic() - started < 3


async def test_demo_scenario_switcher_reruns_against_the_new_scenario(demo_gateway):
    app = live_app(demo_gateway.scenario_url("healthy"), demo=demo_gateway, scenario="healthy")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        assert app.report.verdict == "pass"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScenarioScreen)
        options = app.screen.query_one(OptionList)
        names = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = names.index("stream_cut")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: app.report is not None and app.scenario == "stream_cut",
            timeout=15,
        )
        assert app.report.by_id("stream").code == "stream.interrupted"
        assert "/scenario/stream_cut/" in app.target.base_url
        assert "stream_cut" in screen_text(app)


async def test_nothing_configured_then_demo_key_starts_the_demo():
    app = GatewayDoctorApp(
        Target(base_url="https://api.alltkn.com/api/v1"),
        sources={"base_url": "preset"},
        system_copy=FakeClipboard(),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.report is None
        await pilot.press("d")
        try:
            await wait_for(pilot, lambda: app.report is not None, timeout=15)
            assert app.demo is not None and app.report.verdict == "pass"
            assert app.target.base_url.startswith("http://127.0.0.1:")
        finally:
            if app.demo is not None:
                app.demo.stop()


def test_demo_headless_prints_the_text_report(capsys):
    from tui.cli import main

    code = main(["demo", "--headless", "--scenario", "invalid_key"])
    out = capsys.readouterr().out
    assert code == 1
    assert "auth.invalid_key" in out


def test_demo_headless_real_entry_point(env_without_proxies):
    proc = subprocess.run(
        [sys.executable, "-m", "tui", "demo", "--headless"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env_without_proxies,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "sk-demo-gateway-doctor-0000000000000000" not in proc.stdout


async def test_closing_settings_keeps_the_demo_session(demo_gateway, memory_keyring):
    """p then Esc with nothing changed: the demo (no saved profile 'demo') stays as it was."""
    from dataclasses import replace

    app = live_app(demo_gateway.scenario_url("healthy"), demo=demo_gateway, scenario="healthy")
    app.target = replace(app.target, profile="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        before = app.target.base_url
        await pilot.press("p")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause(0.5)
        assert app.target.base_url == before
        assert "no profile named" not in screen_text(app)
        assert app.report is not None and app.report.verdict == "pass"
