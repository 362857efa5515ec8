"""Palette → Screenshot saves into the Downloads folder, as Textual does; on a server or
a fresh account there is none and the save failed (new-user walk). Then it goes into
the state directory, and the toast says where."""

from __future__ import annotations

import platformdirs

from tests.support.console import console_app, wait_for


async def test_a_screenshot_without_a_downloads_folder_goes_to_the_state_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(platformdirs, "user_downloads_path", lambda: tmp_path / "no-downloads")
    state = tmp_path / "state"
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(state))
    app = console_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        app.action_screenshot()
        for _ in range(100):
            said = [n.message for n in app._notifications]
            if list(state.glob("*.svg")) and said:
                break
            await pilot.pause(0.05)
    saved = list(state.glob("*.svg"))
    assert len(saved) == 1 and "sk-FAKE" not in saved[0].read_text(encoding="utf-8")
    assert any(str(state) in m for m in said), said
    assert (state.stat().st_mode & 0o777) == 0o700
