"""The wizard's thread workers (keyring probe, saving) read no widget and change no app
state: what they need comes as arguments, and what they found goes back to the app's
thread. A key kept for the session (no keyring) reaches the app there, in memory, and
never the process environment a child process would inherit."""

from __future__ import annotations

import os
import threading

from textual.widgets import Input, OptionList, Static

from tests.conftest import FAKE_KEY
from tests.support.host import UNSET, HostApp
from tui.ui import session_key
from tui.ui.screens.wizard import FirstRunWizard

SIZE = (110, 36)


async def test_wizard_threads_touch_no_widget_and_hand_the_key_over_on_the_app_thread(
    demo_gateway, monkeypatch
):
    off_thread: list[str] = []

    def on_app_thread(what: str) -> None:
        if threading.current_thread() is not threading.main_thread():
            off_thread.append(what)

    query_one = FirstRunWizard.query_one

    def checked_query_one(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        on_app_thread(f"query_one{args}")
        return query_one(self, *args, **kwargs)

    remember = session_key.remember_key

    def checked_remember(app, profile, key):  # noqa: ANN001, ANN202
        on_app_thread("remember_key")
        return remember(app, profile, key)

    monkeypatch.setattr(FirstRunWizard, "query_one", checked_query_one)
    monkeypatch.setattr(session_key, "remember_key", checked_remember)
    app = HostApp(screen=FirstRunWizard)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        note = str(screen.query_one("#key-note", Static).render())
        screen.query_one("#preset-list", OptionList).highlighted = 7  # Custom
        await pilot.pause()
        screen.query_one("#w-name", Input).value = "demo"
        screen.query_one("#w-base_url", Input).value = demo_gateway.scenario_url("healthy")
        screen.action_next()
        await pilot.pause()
        screen.query_one("#w-key", Input).value = FAKE_KEY
        screen.action_next()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen.action_next()  # the default model; saving runs in a thread, then dismisses
        for _ in range(200):  # (the dismissed screen's workers end cancelled: no wait on them)
            if app.result is not UNSET:
                break
            await pilot.pause(0.02)
    assert "keyrings.alt" in note  # the null keyring: the key is kept for the session
    assert app.result == "demo"
    assert app.session_keys == {"demo": FAKE_KEY}
    assert off_thread == []
    assert FAKE_KEY not in os.environ.values()
