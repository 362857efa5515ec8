"""An unexpected exception in the console: a short masked report, never the key.

Textual's default crash output is a rich traceback with local variables; the
control test shows that it would print the canary, so the override in
``GatewayDoctorApp._fatal_error`` is what keeps the key off the terminal.
"""

from __future__ import annotations

import inspect
import re

import pytest
from textual.app import App

from tests.conftest import CANARY_KEY
from tests.support.leaks import leaks
from tui.core.diagnosis.model import Target
from tui.core.safe import masking
from tui.ui.app import GatewayDoctorApp


def crashing_app() -> GatewayDoctorApp:
    masking.register_secret(CANARY_KEY)
    target = Target(base_url="http://127.0.0.1:9/v1", api_key=CANARY_KEY, model="gpt-4o-mini")
    app = GatewayDoctorApp(target, autorun=False, system_copy=lambda _t: None)

    def explode() -> None:
        secret = CANARY_KEY  # a local: a traceback with locals would print it
        raise RuntimeError(f"handler failed for token {secret}")

    app.action_help = explode  # type: ignore[method-assign]
    return app


async def crash(app: GatewayDoctorApp) -> None:
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()


async def test_console_crash_prints_a_short_masked_report(capsys, tmp_path):
    app = crashing_app()
    await crash(app)
    err = capsys.readouterr().err
    assert "gateway-doctor stopped on an unexpected error: RuntimeError" in err
    assert "The full report (secrets masked) is in" in err
    assert "Traceback" not in err and len(err.splitlines()) <= 8
    reports = sorted((tmp_path / "state").glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err.replace("\n", "")
    saved = reports[0].read_text()
    assert "Traceback" in saved and "explode" in saved
    assert app.return_code == 1
    assert leaks([err, saved]) == []


async def test_textual_default_would_leak_the_key(capsys, monkeypatch):
    """Control: without the override, Textual's traceback shows locals (and the key)."""
    monkeypatch.setattr(GatewayDoctorApp, "_fatal_error", App._fatal_error)
    await crash(crashing_app())
    err = capsys.readouterr().err
    assert leaks([err]), "the detector must see the key in Textual's default output"


def test_the_crash_hook_reaches_textual_through_public_calls_only():
    """The override keeps no private Textual state (``_exception``, ``_exit_renderables``,
    ``_close_messages_no_wait``): it hands the masked message to ``App.panic``."""
    source = inspect.getsource(GatewayDoctorApp._fatal_error)
    assert re.findall(r"self\._\w+", source) == []
    assert "self.panic(" in source
