"""Hostile values travelling as message facts: numbers that are not numbers, a key used as
a JSON object key, gateway JSON shaped like our own messages, nesting that never ends.

Found by an attacker review of the catalogue change (issue 13); each case fails without
its fix.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import FAKE_KEY
from tests.support.servers import JSON, Conn, RawServer
from tests.support.targets import target_for
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.model import Status
from tui.core.diagnosis.report import render_json, report_to_dict
from tui.core.i18n.catalogue import Msg, render
from tui.core.net.exchange import ExchangeLog
from tui.core.net.transport_error import thaw
from tui.core.safe.masking import mask, register_secret

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Balance", "an OpenRouter-style /key answers \"limit\": \"NaN\" (or 1e400)",
     "the number is not read (balance.unknown), and `check --json` stays valid JSON (no NaN "
     "or Infinity anywhere)"),
    ("Stream", "finish_reason is a JSON object whose key is the API key, usage.total_tokens "
     "an object shaped like one of our messages ({\"id\": …, \"params\": …})",
     "facts from the network are plain text in the detail and the JSON report's message; the "
     "key is masked in report_to_dict() as well as in the printed JSON"),
    ("Messages", "a message nested thousands deep (thawed from JSON or built)",
     "rendering stops at a depth bound and says so; no RecursionError, no blow-up"),
]  # fmt: skip

SHAPED = {"id": "check.proxy.none", "params": {}}


def _completion(finish: object, tokens: object) -> bytes:
    return json.dumps(
        {
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "pong"},
                    "finish_reason": finish,
                }
            ],  # fmt: skip
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": tokens},
        }
    ).encode()


def _stream(finish: object) -> bytes:
    chunk = {"choices": [{"index": 0, "delta": {"content": "pong"}, "finish_reason": None}]}
    last = {"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
    events = [json.dumps(chunk)] * 3 + [json.dumps(last), "[DONE]"]
    return "".join(f"data: {e}\n\n" for e in events).encode()


def _gateway(limit: str):
    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            if path.endswith("/models"):
                body = {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]}
                await conn.respond(200, JSON, json.dumps(body).encode())
            elif path.endswith("/key"):
                body = {"data": {"label": "x", "limit": limit, "usage": 0}}
                await conn.respond(200, JSON, json.dumps(body).encode())
            elif path.endswith("/chat/completions"):
                asked = json.loads(req.body or b"{}")
                if asked.get("stream"):
                    sse = [("Content-Type", "text/event-stream")]
                    await conn.respond(200, sse, _stream({FAKE_KEY: 1}))
                else:
                    await conn.respond(200, JSON, _completion({FAKE_KEY: 1}, SHAPED))
            else:
                await conn.respond(404, JSON, b'{"error": {"message": "no such path"}}')

    return handle


def _no_constants(name: str) -> None:
    raise AssertionError(f"not JSON: {name}")


@pytest.mark.parametrize("limit", ["NaN", "1e400", "-Infinity"])
async def test_a_number_that_is_not_a_number_is_not_read(limit: str) -> None:
    register_secret(FAKE_KEY)
    with RawServer(_gateway(limit), max_seconds=30) as srv:
        log = ExchangeLog()
        report = await run_checks(target_for(srv.url + "/v1"), log, env={})
    balance = report.by_id("balance")
    assert balance.status is not Status.PASS or "nan" not in balance.detail.lower()
    assert "nan" not in balance.detail.lower() and "inf" not in balance.detail.lower()
    out = render_json(report, log=log)
    json.loads(out, parse_constant=_no_constants)  # strict JSON: no NaN / Infinity


async def test_network_facts_are_text_and_the_key_is_masked_even_as_a_dict_key() -> None:
    register_secret(FAKE_KEY)
    with RawServer(_gateway("100"), max_seconds=30) as srv:
        log = ExchangeLog()
        report = await run_checks(target_for(srv.url + "/v1"), log, env={})
    data = report_to_dict(report, log=log)
    dumped = json.dumps(data, ensure_ascii=False, default=str)
    assert FAKE_KEY not in dumped and FAKE_KEY[6:20] not in dumped
    for check in data["checks"]:
        message = check.get("message") or {}
        for value in (message.get("params") or {}).values():
            # A fact from the network never arrives as a dict that could pass for a message.
            assert not (isinstance(value, dict) and set(value) == {"id", "params"}
                        and value == SHAPED), (check["id"], value)  # fmt: skip


def test_mask_masks_dictionary_keys_too() -> None:
    register_secret(FAKE_KEY)
    masked = mask({FAKE_KEY: 1, "ok": {FAKE_KEY: [FAKE_KEY]}})
    assert FAKE_KEY not in json.dumps(masked)


def test_rendering_a_message_nested_without_end_is_bounded() -> None:
    deep: object = {"id": "sep.list", "params": {}}
    for _ in range(5000):
        deep = {"id": "core.paren", "params": {"text": "x", "inner": deep}}
    thawed = thaw(deep)
    said = render(thawed, "en")
    assert said.startswith("x (x (") and len(said) < 5000
    built = Msg("core.paren", {"text": "x", "inner": "y"})
    for _ in range(5000):
        built = Msg("core.paren", {"text": "x", "inner": built})
    assert len(render(built, "zh-CN")) < 5000
