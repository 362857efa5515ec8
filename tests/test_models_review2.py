"""Issue 17, second review: the model matrix's findings (burst typing in the picker,
stale suggestions, skipped ids, plural and the --profiles all JSON)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from textual import events

from tests.test_console_live import live_app
from tests.test_models_cli import KEY, _profiles, cli
from tests.test_models_picker_keys import _picker_open


def _burst(app, text: str) -> None:
    """Several keys in one read (a laggy SSH link, a paste): no pause between them."""
    for ch in text:
        name = ch if ch.isalnum() else unicodedata.name(ch).lower().replace(" ", "_")
        event = events.Key(name, ch)
        event.set_sender(app)
        app._driver.send_message(event)  # noqa: SLF001


@pytest.mark.parametrize("burst", ["qt", "-model-1"])
async def test_a_burst_typed_in_the_list_lands_in_order(demo_gateway, burst) -> None:
    app = live_app(demo_gateway.scenario_url("many_models"), autorun=False)
    async with app.run_test(size=(160, 45)) as pilot:
        box, _listing = await _picker_open(pilot, app, clear=True)
        box.focus()
        await pilot.pause()
        await pilot.press("d", "e", "m", "o")
        await pilot.pause()
        assert box.value == "demo"
        await pilot.press("down")
        await pilot.pause()
        assert _listing.has_focus
        _burst(app, burst)
        for _ in range(5):
            await pilot.pause(0.05)
        assert box.value == "demo" + burst
        assert box.has_focus and box.cursor_position == len(box.value)


# --- item 4: one model is "1 model"; --profiles all: the top level is every key × model


def test_one_model_is_said_in_the_singular(demo_gateway, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", KEY)
    url = demo_gateway.scenario_url("model_mix")
    code, out, _ = cli(capsys, "models", "--base-url", url, "--models", "gpt-4o")
    assert code == 0 and "1 model listed by" in out and "1 models" not in out
    code, out, _ = cli(capsys, "models", "--base-url", url, "--probe", "--models", "gpt-4o")
    assert code == 0 and "The one model probed works" in out and "1 of 1 models" not in out


def test_profiles_all_json_top_level_is_every_key_and_model(
    demo_gateway, capsys, memory_keyring, monkeypatch
) -> None:
    monkeypatch.delenv("GATEWAY_DOCTOR_API_KEY", raising=False)
    url = demo_gateway.scenario_url("model_mix")
    _profiles(capsys, memory_keyring, url)
    code, out, err = cli(capsys, "models", "--profile", "basic", "--profiles", "all",
                         "--probe", "--yes", "--json", "--models", "o1-pro,gpt-4o")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["steps_scope"] == "every_key_x_model"
    ids = {k["key_id"] for k in data["keys"]}
    top = {(s["key_id"], s["id"]): s["code"] for s in data["steps"]}
    per = {(k["key_id"], s["id"]): s["code"] for k in data["keys"] for s in k["steps"]}
    assert len(ids) == 2 and top == per and len(top) == 4
    assert data["working"] == sum(k["working"] for k in data["keys"]) == 3
    code, out, _ = cli(capsys, "models", "--profiles", "basic,vip", "--probe", "--models",
                       "o1-pro", "--base-url", url)  # fmt: skip
    assert "2 keys, 1 model." in out and "1 models" not in out
    code, out, _ = cli(capsys, "models", "--profile", "basic", "--probe", "--json",
                       "--models", "gpt-4o")  # fmt: skip
    data = json.loads(out)
    assert data["steps_scope"] == "one_key" and len(data["steps"]) == 1
