"""Issue 17, second review: the model matrix's findings (burst typing in the picker,
stale suggestions, skipped ids, plural and the --profiles all JSON)."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from textual import events

from tests.support.servers import JSON, RawServer
from tests.support.targets import target_for
from tests.test_console_live import live_app
from tests.test_models_cli import KEY, _profiles, cli
from tests.test_models_picker_keys import _picker_open
from tui.commands import models as models_cmd
from tui.core.diagnosis.checks.model import working_closest
from tui.core.diagnosis.engine import run_checks
from tui.core.models.hint import working_step
from tui.core.models.memory import probed_on, remember
from tui.core.models.probe import ProbeResult
from tui.core.net.exchange import ExchangeLog


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
    recorded: list[dict] = []
    monkeypatch.setattr(models_cmd, "_record_history", lambda _t, r: recorded.append(r))
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
    # each key's history record: that key's results only
    assert [r["steps_scope"] for r in recorded] == ["one_key", "one_key"]
    assert sorted(len(r["steps"]) for r in recorded) == [2, 2]
    assert sorted(r["working"] for r in recorded) == [1, 2]
    code, out, _ = cli(capsys, "models", "--profiles", "basic,vip", "--probe", "--models",
                       "o1-pro", "--base-url", url)  # fmt: skip
    assert "2 keys, 1 model." in out and "1 models" not in out
    code, out, _ = cli(capsys, "models", "--profile", "basic", "--probe", "--json",
                       "--models", "gpt-4o")  # fmt: skip
    data = json.loads(out)
    assert data["steps_scope"] == "one_key" and len(data["steps"]) == 1


# --- item 3: entries left out are counted and said; ids are sent and shown as listed

_LONG = "m" * 5000
_LISTED = ["gpt-4o-mini", " gpt-4o", "\rgpt-x", _LONG, "gpt-4o-mini", ""]
_REPLY = {"id": "c1", "object": "chat.completion", "model": "m", "choices": [{"index": 0,
          "message": {"role": "assistant", "content": "o"}, "finish_reason": "length"}],
          "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}  # fmt: skip


async def _odd_ids(conn) -> None:
    while (req := await conn.read_request()) is not None:
        if req.method == "GET" and req.target.endswith("/v1/models"):
            data = [{"id": m, "object": "model", "owned_by": "t"} for m in _LISTED]
            body = json.dumps({"object": "list", "data": data}).encode()
            await conn.respond(200, JSON, body)
        elif req.method == "POST" and json.loads(req.body).get("model") in _LISTED:
            await conn.respond(200, JSON, json.dumps(_REPLY).encode())
        elif req.method == "POST":  # a trimmed name is not a model here
            err = {"error": {"message": "model not found", "type": "invalid_request_error",
                             "code": "model_not_found"}}  # fmt: skip
            await conn.respond(404, JSON, json.dumps(err).encode())
        else:
            await conn.respond(404, JSON, b'{"error": {"message": "not here"}}')


def test_left_out_entries_are_said_and_odd_ids_are_probed_as_listed(capsys, monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", KEY)
    with RawServer(_odd_ids, max_seconds=60) as srv:
        url = srv.url + "/v1"
        code, out, err = cli(capsys, "models", "--base-url", url)
        assert code == 0, err
        assert "3 models listed by" in out
        said = "3 entries of the model list were left out: "
        assert said in out and "1 with an id longer than 200 characters" in out, out
        assert "1 listing an id again" in out and "1 without a model id" in out
        assert "␠gpt-4o" in out and "␍gpt-x" in out and "\r" not in out
        code, out, _ = cli(capsys, "models", "--base-url", url, "--json")
        data = json.loads(out)
        assert data["skipped_entries"] == {"too_long": 1, "duplicate": 1, "no_id": 1}
        assert {m["id"] for m in data["models"]} == {"gpt-4o-mini", " gpt-4o", "\rgpt-x"}
        srv.requests.clear()
        code, out, err = cli(capsys, "models", "--base-url", url, "--probe", "--json")
        assert code == 0, err
        data = json.loads(out)
        sent = {json.loads(r.body)["model"] for r in srv.requests if r.method == "POST"}
        assert sent == {"gpt-4o-mini", " gpt-4o", "\rgpt-x"}
        assert data["working"] == 3 and data["skipped_entries"]["too_long"] == 1
        code, out, _ = cli(capsys, "models", "--base-url", url, "--probe")
        assert "␠gpt-4o" in out and "3 entries of the model list were left out" in out


# --- item 2: the checklist suggests only models this run's /models lists


async def test_a_model_no_longer_listed_is_not_suggested(demo_gateway) -> None:
    url = demo_gateway.scenario_url("no_channel")  # lists the usual models, not -2024-07-18
    remember(target_for(url), [
        ProbeResult("gpt-4o-mini-2024-07-18", "pass", "model.ok", latency_ms=50.0),
        ProbeResult("gpt-4o", "pass", "model.ok", latency_ms=300.0),
    ])  # fmt: skip
    report = await run_checks(target_for(url), ExchangeLog(), env={})
    model = report.by_id("model")
    assert model.code == "model.unavailable"
    assert model.evidence["working_closest"] == ["gpt-4o"]
    assert "working_probed_on" not in model.evidence  # the list was read: they are listed


def test_without_a_list_the_suggestion_says_when_it_worked(demo_gateway) -> None:
    """No /models this run: nothing to check them against, so the step says the date."""
    url = demo_gateway.scenario_url("no_channel")
    day = datetime(2026, 11, 30, 12, tzinfo=UTC).timestamp()
    remember(target_for(url), [ProbeResult("gpt-4o", "pass", "model.ok", latency_ms=3.0)], now=day)
    listed = SimpleNamespace(target=target_for(url), models=["deepseek-chat"])
    assert working_closest(listed, "gpt-4o-mini") == []
    unread = SimpleNamespace(target=target_for(url), models=None)
    assert working_closest(unread, "gpt-4o-mini") == ["gpt-4o"]
    assert probed_on(target_for(url), ["gpt-4o"]) == "2026-11-30"
    ev = {"working_closest": ["gpt-4o"], "working_probed_on": "2026-11-30"}
    en, zh = working_step(ev, "en"), working_step(ev, "zh-CN")
    assert en is not None and "worked with this key on 2026-11-30" in en and "gpt-4o" in en
    assert zh is not None and "2026-11-30" in zh and "gpt-4o" in zh


async def test_the_chat_picker_shows_an_odd_id_visible_and_sends_it_as_listed() -> None:
    from textual.widgets import Input

    from tests.test_chat_ui import ChatTestApp, wait_models
    from tui.core.diagnosis.model import Target
    from tui.ui.widgets.chat import ChatPane
    from tui.ui.widgets.chat_settings import ChatSettingsBar, ModelFilterList

    with RawServer(_odd_ids, max_seconds=60) as srv:
        target = Target(base_url=srv.url + "/v1", api_key=KEY, model="gpt-4o-mini", timeout=5.0)
        app = ChatTestApp(target)
        async with app.run_test(size=(110, 30)) as pilot:
            pane = app.query_one(ChatPane)
            await wait_models(pilot, pane)
            assert " gpt-4o" in pane.models
            box = app.query_one("#chat-model", Input)
            box.focus()
            await pilot.pause()
            await pilot.press("g", "p", "t")
            await pilot.pause()
            listing = app.query_one(ModelFilterList)
            shown = [str(listing.get_option_at_index(i).prompt) for i in range(3)]
            assert any(s.startswith("␠gpt-4o") for s in shown), shown
            assert any(s.startswith("␍gpt-x") for s in shown), shown
            await pilot.press("down")
            await pilot.pause()
            listing.highlighted = listing._shown.index(" gpt-4o")  # noqa: SLF001
            await pilot.press("enter")
            await pilot.pause()
            assert box.value == "␠gpt-4o"
            assert app.query_one(ChatSettingsBar).model_value == " gpt-4o"
