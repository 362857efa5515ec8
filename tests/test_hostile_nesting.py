"""Hostile gateways that answer JSON nested thousands of levels deep.

``json.loads`` recurses, so ``{"error": [[[…]]]}`` 1,000 levels deep (2 KB)
raised ``RecursionError``: the console stopped at start with a crash report,
and ``check`` said ``auth.timeout "internal error in the auth check"``. A
loopback gateway (tests/support/servers.py RawServer) sends such bodies as the
401, the ``/models`` list, a completion's error and an SSE delta; every one
must end in a diagnosis (tui/core/safe/json_parse.py refuses the body and says how
deep it went), never in a traceback. Each row of ``HOSTILE_ROWS`` is asserted
below (docs/hardening.md is generated from them).
"""

from __future__ import annotations

import json
import time

import pytest
from textual.widgets import Static, Switch

from tests.conftest import FAKE_KEY
from tests.support.console import FakeClipboard, plain, screen_text, wait_for
from tests.support.servers import JSON, MODELS_BODY, Conn, RawServer
from tui.cli import main
from tui.core.diagnosis.model import Status, Target
from tui.core.safe import json_parse as safe_json
from tui.core.safe import masking
from tui.ui.app import GatewayDoctorApp
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_message import ErrorBox
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.inspector import InspectorPane

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Nesting", "every answer is a 401 whose body is `{\"error\": [[[…]]]}` nested 1,000 levels "
     "deep (2 KB; Python's json raises RecursionError)",
     "`check --json`: auth.invalid_key “HTTP 401: the JSON is nested 1,001 levels deep (not "
     "read)”, exit 1; no RecursionError and no `.timeout` code; the Chinese detail says "
     "“JSON 嵌套了 1,001 层（未解析）”"),
    ("Nesting", "`/models` with the key answers 200 with JSON nested 100,000 levels deep (200 KB)",
     "auth.not_openai_compatible “… with JSON nested 100,000 levels deep (not read)”, "
     "evidence json_depth"),
    ("Nesting", "the test completion answers 400 with an error nested 1,000 levels deep",
     "the model step reports the status's code with the depth as the gateway's words, "
     "not an internal error"),
    ("Nesting", "a streamed delta nested 2,000 levels deep between ordinary deltas",
     "stream.malformed “data: the JSON is nested 2,001 levels deep (not read)” (was "
     "stream.interrupted quoting RecursionError)"),
    ("Nesting", "the console against the nested 401: checks, the chat's `/models` and the "
     "inspector's body view all read it",
     "the console stays up: the checklist shows auth.invalid_key with the depth, the "
     "inspector shows the body as text, no crash report"),
    ("Nesting", "a console chat turn whose stream carries a delta nested 2,000 deep, and one "
     "whose completion is a 400 error nested 1,000 deep",
     "the first turn keeps the ordinary deltas' text, the second ends with an error card "
     "naming the depth (in Chinese: “JSON 嵌套了 1,001 层（未解析）”); no crash"),
    ("Nesting", "safe_json's depth check on 8 MB of `[`, on brackets inside strings and "
     "escaped quotes, at 64 and 65 levels, and on a 300,000-model list",
     "refused before parsing in under 1 s (C-speed pre-check, no Python loop per byte); "
     "brackets in strings do not count; 64 levels parse, 65 are refused; the list parses"),
]  # fmt: skip


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


DEEP_ERROR = b'{"error":' + nested(1000) + b"}"
DEEP_LIST = nested(100_000)
DEEP_DELTA = b'{"choices":' + nested(2000) + b"}"
HEAD_SSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    b"Connection: close\r\n\r\n"
)
COMPLETION = json.dumps(
    {
        "id": "chatcmpl-nest",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "pong"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }
).encode()
NOT_FOUND = b'{"error":{"message":"not found"}}'


def _event(data: bytes) -> bytes:
    return b"data: " + data + b"\n\n"


def _stream(middle: bytes) -> bytes:
    first = {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hello "}}]}
    last = {"choices": [{"index": 0, "delta": {"content": "world"}, "finish_reason": "stop"}]}
    return (
        _event(json.dumps(first).encode())
        + _event(middle)
        + _event(json.dumps(last).encode())
        + _event(b"[DONE]")
    )


def gateway(
    *,
    unkeyed: tuple[int, bytes] = (401, b'{"error":{"message":"no key"}}'),
    models: tuple[int, bytes] = (200, MODELS_BODY),
    chat: tuple[int, bytes] = (200, COMPLETION),
    stream: bytes | None = None,
):  # noqa: ANN201 - a RawServer handler
    """A gateway answering ``/models`` and completions as told, 404 elsewhere."""

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            if not req.header("authorization"):
                await conn.respond(*unkeyed[:1], JSON, unkeyed[1])
            elif path.endswith("/models"):
                await conn.respond(models[0], JSON, models[1])
            elif path.endswith("/chat/completions"):
                streamed = b'"stream": true' in req.body or b'"stream":true' in req.body
                if streamed and stream is not None:
                    await conn.write(HEAD_SSE + stream)
                    return
                await conn.respond(chat[0], JSON, chat[1])
            else:
                await conn.respond(404, JSON, NOT_FOUND)

    return handle


def always(status: int, body: bytes):  # noqa: ANN201 - a RawServer handler
    async def handle(conn: Conn) -> None:
        while await conn.read_request() is not None:
            await conn.respond(status, JSON, body)

    return handle


def run_check(capsys, monkeypatch, url: str, *extra: str) -> tuple[int, dict, str]:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    args = ["check", "--json", "--base-url", url, "--model", "gpt-4o-mini", "--timeout", "5"]
    try:
        code = main([*args, *extra])
    except SystemExit as exc:  # pragma: no cover - main returns, but be sure
        code = exc.code  # type: ignore[assignment]
    out = capsys.readouterr()
    text = out.out + out.err
    for word in ("RecursionError", "Traceback", "internal error", "maximum recursion"):
        assert word not in text, text[-2000:]
    data = json.loads(out.out)
    assert not [c["code"] for c in data["checks"] if c["code"].endswith(".timeout")], data
    return int(code or 0), data, out.out


def by_id(data: dict, check_id: str) -> dict:
    return next(c for c in data["checks"] if c["id"] == check_id)


def test_nested_401_is_a_refused_key_with_the_depth(capsys, monkeypatch):
    with RawServer(always(401, DEEP_ERROR), max_seconds=30) as srv:
        code, data, _ = run_check(capsys, monkeypatch, srv.url + "/v1")
        auth = by_id(data, "auth")
        assert code == 1
        assert auth["code"] == "auth.invalid_key", auth
        assert "the JSON is nested 1,001 levels deep (not read)" in auth["detail"]
        assert auth["evidence"]["error_message"].startswith("the JSON is nested")
        _, zh, _ = run_check(capsys, monkeypatch, srv.url + "/v1", "--lang", "zh-CN")
    assert "JSON 嵌套了 1,001 层（未解析）" in by_id(zh, "auth")["detail"]


def test_nested_model_list_is_not_openai_compatible(capsys, monkeypatch):
    with RawServer(gateway(models=(200, DEEP_LIST)), max_seconds=30) as srv:
        code, data, _ = run_check(capsys, monkeypatch, srv.url + "/v1")
        _, zh, _ = run_check(capsys, monkeypatch, srv.url + "/v1", "--lang", "zh-CN")
    auth = by_id(data, "auth")
    assert code == 1
    assert auth["code"] == "auth.not_openai_compatible", auth
    assert "JSON nested 100,000 levels deep (not read)" in auth["detail"]
    assert auth["evidence"]["json_depth"] == 100_000
    assert "嵌套了 100,000 层的 JSON（未解析）" in by_id(zh, "auth")["detail"]


def test_nested_error_of_the_test_completion(capsys, monkeypatch):
    with RawServer(gateway(chat=(400, DEEP_ERROR), stream=_stream(b"{}")), max_seconds=30) as srv:
        code, data, _ = run_check(capsys, monkeypatch, srv.url + "/v1")
    model = by_id(data, "model")
    assert code == 1
    assert by_id(data, "auth")["code"] == "auth.ok"
    assert model["status"] == "fail" and model["code"].startswith("model."), model
    assert "nested 1,001 levels deep" in model["detail"] + json.dumps(model["evidence"])


def test_nested_sse_delta_is_malformed_not_a_crash(capsys, monkeypatch):
    with RawServer(gateway(stream=_stream(DEEP_DELTA)), max_seconds=30) as srv:
        code, data, _ = run_check(capsys, monkeypatch, srv.url + "/v1")
    stream = by_id(data, "stream")
    assert code == 1
    assert by_id(data, "model")["code"] == "model.ok"
    assert stream["code"] == "stream.malformed", stream
    assert "data: the JSON is nested 2,001 levels deep (not read)" in stream["detail"]


def console(url: str) -> GatewayDoctorApp:
    masking.register_secret(FAKE_KEY)
    target = Target(base_url=url, api_key=FAKE_KEY, model="gpt-4o-mini", timeout=5, trust_env=False)
    return GatewayDoctorApp(
        target,
        sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"},
        system_copy=FakeClipboard(),
    )


async def test_console_survives_the_nested_401():
    with RawServer(always(401, DEEP_ERROR), max_seconds=60) as srv:
        app = console(srv.url + "/v1")
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_for(pilot, lambda: app.report is not None, timeout=40)
            chat = app.main.query_one(ChatPane)
            await chat.refresh_models(listing=True).wait()  # the chat's own /models call
            await pilot.pause()
            assert app.report.by_id("auth").code == "auth.invalid_key"
            rows = app.main.query_one(Checklist).rows
            assert rows["auth"].status is Status.FAIL
            assert "nested 1,001 levels deep" in screen_text(app)
            inspector = app.main.query_one(InspectorPane)
            for ex in app.exchange_log.all():
                inspector.show_exchange(ex.id)
                await pilot.pause()
            shown = "\n".join(plain(w.render()) for w in inspector.query(Static))
            assert "[[[[[[[[" in shown  # the body, shown as text
            assert app.is_running and app._exception is None
    assert app.return_code in (None, 0)


async def test_console_chat_turns_with_nested_answers_end_cleanly():
    handler = gateway(chat=(400, DEEP_ERROR), stream=_stream(DEEP_DELTA))
    with RawServer(handler, max_seconds=60) as srv:
        app = console(srv.url + "/v1")
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_for(pilot, lambda: app.report is not None, timeout=40)
            chat = app.main.query_one(ChatPane)
            chat.send_prompt("hello")  # streamed: the nested delta is skipped
            await wait_for(pilot, lambda: not chat.busy, timeout=15)
            await pilot.pause()
            first = chat.session.history[-1].reply
            assert "Hello world" in first.content, first
            chat.query_one("#chat-stream", Switch).value = False  # now a plain completion
            chat.send_prompt("hello again")
            await wait_for(pilot, lambda: not chat.busy, timeout=15)
            await pilot.pause()
            boxes = list(chat.query(ErrorBox))
            assert boxes, screen_text(app)
            card = "\n".join(plain(w.render()) for w in boxes[-1].query(Static))
            assert "nested 1,001 levels deep" in card, card
            app.action_toggle_lang()  # the card in Chinese words the depth in Chinese
            await pilot.pause()
            boxes = list(chat.query(ErrorBox))
            card = "\n".join(plain(w.render()) for w in boxes[-1].query(Static))
            assert "JSON 嵌套了 1,001 层（未解析）" in card, card
            assert app.is_running and app._exception is None
    assert app.return_code in (None, 0)


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (nested(64), 0),
        (nested(65), 65),
        (b'{"a":"' + b"[" * 5000 + b'"}', 0),  # brackets in a string do not count
        (b'["\\\\",["\\"]]"]]' + nested(70), 70),  # escaped \\ and \" end where JSON's do
        (b'["\\"[[[[["' + b"," + nested(63) + b"]", 0),  # an escaped quote stays in the string
        (b"[{" * 40 + b"}]" * 40, 80),  # objects and arrays nest alike
    ],
)
def test_depth_precheck(text: bytes, depth: int):
    assert safe_json.json_depth(text) == depth
    got = safe_json.parse(text)
    assert got.too_deep == depth
    if depth:
        assert not got.ok and got.value is None and f"{depth:,} levels" in got.note


def test_depth_precheck_is_fast_and_keeps_big_lists():
    start = time.perf_counter()
    got = safe_json.parse(b"[" * (8 << 20))
    assert time.perf_counter() - start < 1.0
    assert got.too_deep == 8 << 20 and not got.ok  # the whole depth, past the sum window
    big = json.dumps({"data": [{"id": f"m-{i:06d}", "object": "model"} for i in range(300_000)]})
    listing = safe_json.parse(big.encode())
    assert listing.ok and len(listing.value["data"]) == 300_000
    for bad in (b"\xff\xfe", b"{", b"[" * 100_000, "x"):  # never an exception
        assert safe_json.loads(bad) is None
