"""The terminal belongs to the user; bad Unicode never crashes.

A hostile gateway on loopback puts escape sequences (clear screen, OSC 8
link, OSC 52 clipboard write, BEL, NUL, backspace, C1 CSI, DEL) in its error
message, a header, a model id, an SSE payload and an HTML <title>, or sends
a lone surrogate / an emoji split across two deltas. Every output of
``check`` (text with and without colour, Markdown, JSON, stderr) and the
console's rendered screen must hold none of those characters raw, must show
them visibly, and must end with the verdict's exit code (never 70).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import FAKE_KEY
from tests.support.servers import Conn, RawServer
from tui.core.safe.terminal import json_safe, repair_surrogates, terminal_safe

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "Terminal",
        "the 401 error message holds ESC[2J, an OSC 8 link, an OSC 52 clipboard write "
        "(ESC]52;c;…BEL), BEL, NUL, backspace, C1 CSI (U+009B) and DEL",
        "`check` text (colour on and off, `NO_COLOR`), Markdown, JSON and stderr hold none "
        "of them raw: ESC shows as ␛, C0 as control pictures (␇ ␀ ␈), DEL as ␡, C1 as "
        "`\\x9b`; JSON keeps them as `\\u001b`-style escapes and parses; exit 1",
    ),
    (
        "Terminal",
        "a response header (X-Request-Id, Server) holds the same sequences",
        "the support summary's request ids (Markdown, JSON) show them visibly",
    ),
    (
        "Terminal",
        "an HTML 502 page whose <title> holds the sequences",
        "network fails with the title shown visibly; exit 1",
    ),
    (
        "Terminal",
        "/models lists model ids holding the sequences (the configured model is not listed)",
        "model warns “closest listed: …” with the ids shown visibly; exit 0",
    ),
    (
        "Terminal",
        "the stream sends a delta and then an SSE error event whose message holds the sequences",
        "stream fails with the gateway's message shown visibly; exit 1",
    ),
    (
        "Terminal",
        "a colour report (a TTY without `NO_COLOR`) of the same 401",
        "the only escape sequences written are gateway-doctor's own colour codes",
    ),
    (
        "Terminal",
        "the console runs against the hostile 401, the HTML 502 (inspector) and the hostile "
        "stream (chat), and a toast quotes the sequences",
        "the screen's rendered text (checklist, step detail, support summary, inspector, "
        "chat, toast) holds no control character; ␛ is shown instead",
    ),
    (
        "Terminal",
        "the user's own input holds the sequences: `--base-url`, `--model`, and a hand-edited "
        "config file's base URL and model (console settings screen)",
        "`check` output and the settings screen (profile list, fields, request URL preview) "
        "show them visibly and obey none",
    ),
    (
        "Terminal",
        "a hand-edited config file's base URL and model hold the sequences (`profile list`, "
        "`profile show`, `profile use`, `key status`, text and `--json`)",
        "every line is masked and terminal-safe (␛ shown); `--json` stays valid JSON",
    ),
    (
        "Unicode",
        "the 401 error message is JSON with a lone surrogate escape (\\udc00)",
        "`check` exits 1 with the diagnosis (U+FFFD in its place), valid JSON with `--json`; "
        "before: exit 70 and no report",
    ),
    (
        "Unicode",
        "an emoji is split as \\ud83d / \\ude00 across two SSE deltas",
        "`check` exits 0 (streaming passes), `--json` is valid UTF-8 JSON; before: exit 70",
    ),
]

#: Each hostile sequence, by name.
NASTY: dict[str, str] = {
    "clear screen": "\x1b[2J",
    "OSC 8 link": "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "OSC 52 clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "BEL": "\x07",
    "NUL": "\x00",
    "backspace": "\x08",
    "C1 CSI": "\x9b2J",
    "DEL": "\x7f",
}
PAYLOAD = "<" + "|".join(NASTY.values()) + ">"
#: What a header can carry (no NUL, CR or LF on the wire).
HEADER_PAYLOAD = "\x1b[2J\x1b]52;c;cm0=\x07\x08\x9b2J\x7f"
#: Any of these as a character in what we write is a failure.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
OUR_SGR = {"\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m"}


def _json_response(status: int, raw_body: bytes, headers: list[tuple[str, str]] | None = None):
    return status, [("Content-Type", "application/json"), *(headers or [])], raw_body


def _error_body(message: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "invalid_request_error",
                                 "code": "invalid_api_key"}}).encode()  # fmt: skip


def _completion() -> bytes:
    return json.dumps({"id": "c1", "object": "chat.completion", "model": "gpt-4o-mini",
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": "pong"},
                                    "finish_reason": "stop"}]}).encode()  # fmt: skip


def _sse(*payloads: bytes) -> bytes:
    return b"".join(b"data: " + p + b"\n\n" for p in payloads)


def _delta(content_json: str, finish: str | None = None) -> bytes:
    finish_json = json.dumps(finish)
    return (
        '{"choices": [{"index": 0, "delta": {"content": ' + content_json + "}, "
        '"finish_reason": ' + finish_json + "}]}"
    ).encode()


async def _write_raw(conn: Conn, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    """Like Conn.respond, but header values go out byte for byte (latin-1)."""
    lines = [f"HTTP/1.1 {status} Status", *(f"{k}: {v}" for k, v in headers)]
    lines.append(f"Content-Length: {len(body)}")
    await conn.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


async def hostile(conn: Conn) -> None:
    """One gateway, one misbehaviour per first path segment: /<mode>/v1/…"""
    while (req := await conn.read_request()) is not None:
        mode = req.target.split("/")[1]
        wants_stream = b'"stream": true' in req.body or b'"stream":true' in req.body
        if mode == "error":
            headers = [("Content-Type", "application/json"),
                       ("X-Request-Id", "hdr-" + HEADER_PAYLOAD), ("Server", "srv" + HEADER_PAYLOAD)]  # fmt: skip
            await _write_raw(conn, 401, headers, _error_body("bad key " + PAYLOAD))
        elif mode == "surrogate":
            body = b'{"error": {"message": "bad key \\udc00 here", "code": "invalid_api_key"}}'
            await _write_raw(conn, 401, [("Content-Type", "application/json")], body)
        elif mode == "html":
            page = f"<html><head><title>title{PAYLOAD}</title></head><body>x</body></html>"
            await _write_raw(conn, 502, [("Content-Type", "text/html")], page.encode())
        elif req.target.endswith("/models"):
            ids = ["gpt-4o-mini-x"]
            if mode == "models":
                ids = [
                    "gpt-4o-mini\x1b]52;c;cm0=\x07",
                    "gpt-4o\x1b[2J",
                    "gpt-4o\x9b31m\x7f\x08\x00",
                ]
            body = json.dumps({"object": "list", "data": [{"id": i} for i in ids]}).encode()
            if mode != "models":
                body = json.dumps({"object": "list", "data": [{"id": "gpt-4o-mini"}]}).encode()
            await _write_raw(conn, 200, [("Content-Type", "application/json")], body)
        elif wants_stream and mode == "sse":
            err = json.dumps({"error": {"message": "boom " + PAYLOAD}}).encode()
            data = _sse(_delta(json.dumps("reply-" + PAYLOAD)), err)
            await _write_raw(conn, 200, [("Content-Type", "text/event-stream")], data)
        elif wants_stream and mode == "split":
            data = _sse(_delta('"smile \\ud83d"'), _delta('"\\ude00 ok"', "stop"), b"[DONE]")
            await _write_raw(conn, 200, [("Content-Type", "text/event-stream")], data)
        elif wants_stream:
            data = _sse(_delta('"pong"', "stop"), b"[DONE]")
            await _write_raw(conn, 200, [("Content-Type", "text/event-stream")], data)
        else:
            await _write_raw(conn, 200, [("Content-Type", "application/json")], _completion())


@pytest.fixture(scope="module")
def gateway():
    with RawServer(hostile, max_seconds=300) as server:
        yield server


def assert_safe(text: str, where: str) -> None:
    bad = FORBIDDEN.search(text)
    assert bad is None, f"{where}: raw {bad.group()!r} at {bad.start()}: {text[max(0, bad.start() - 60):bad.start() + 20]!r}"  # noqa: E501  # fmt: skip
    text.encode("utf-8")  # no surrogate left


# --- check: every format ---------------------------------------------------------------

#: mode -> (exit code, text every non-JSON output must contain, visibly)
CHECK_CASES = {
    "error": (1, "bad key <␛[2J|␛]8;;http://evil.example/␛\\click"),
    "html": (1, "title<␛[2J|"),
    "models": (0, "gpt-4o-mini␛]52;c;cm0=␇"),
    "sse": (1, "boom <␛[2J"),
    "surrogate": (1, "bad key \ufffd here"),
    "split": (0, None),
}
FORMATS = {"text": [], "markdown": ["--markdown"], "json": ["--json"], "zh": ["--lang", "zh-CN"]}


def run_check(capsys, url: str, *extra: str) -> tuple[int, str, str]:  # noqa: ANN001
    from tui.cli import main

    code = main(["check", "--base-url", url, "--timeout", "3", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("no_color", [True, False], ids=["NO_COLOR", "colour-allowed"])
@pytest.mark.parametrize("mode", list(CHECK_CASES))
def test_check_output_is_terminal_safe(gateway, capsys, monkeypatch, mode, no_color):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    want_code, visible = CHECK_CASES[mode]
    for fmt, args in FORMATS.items():
        code, out, err = run_check(capsys, f"{gateway.url}/{mode}/v1", *args)
        where = f"{mode} {fmt}"
        assert code == want_code, f"{where}: exit {code}\n{err}"
        assert "Traceback" not in err and "unexpected error" not in err, where
        assert_safe(out, where)
        assert_safe(err, where)
        if fmt == "json":
            data = json.loads(out)
            assert data["verdict"] in ("pass", "warn", "fail")
        elif visible and fmt != "zh":  # zh details may name the fault without quoting it
            assert visible in out, f"{where}: the gateway's words are not shown:\n{out}"


def test_header_shows_visibly_in_the_summary(gateway, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    _, out, _ = run_check(capsys, f"{gateway.url}/error/v1", "--markdown")
    assert "hdr-␛[2J␛]52;c;cm0=␇␈\\x9b2J␡" in out
    _, out, _ = run_check(capsys, f"{gateway.url}/error/v1", "--json")
    data = json.loads(out)
    assert "hdr-␛[2J" in data["support_summary"]
    auth = {c["id"]: c for c in data["checks"]}["auth"]
    assert PAYLOAD in auth["detail"]  # JSON keeps the gateway's exact words, escaped


def test_split_emoji_is_joined_in_json(gateway, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    code, out, _ = run_check(capsys, f"{gateway.url}/split/v1", "--json")
    assert code == 0
    data = json.loads(out)
    assert "😀" in out and "\ufffd" not in out  # the two halves joined, not replaced
    assert {c["id"]: c for c in data["checks"]}["stream"]["status"] == "pass"


def test_colour_report_keeps_only_our_sgr(gateway, capsys, monkeypatch):
    import tui.commands.check as check_cmd

    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setattr(check_cmd, "use_color", lambda stream: True)
    code, out, _ = run_check(capsys, f"{gateway.url}/error/v1")
    assert code == 1
    sequences = re.findall(r"\x1b\[[0-9;]*m", out)
    assert sequences and set(sequences) <= OUR_SGR
    assert_safe(re.sub(r"\x1b\[[0-9;]*m", "", out), "colour text")
    assert "bad key <␛[2J" in out


def test_check_bytes_in_a_subprocess(gateway, tmp_path):
    """The real process: stdout bytes decode as UTF-8 and hold no control character."""
    import os

    env = {**os.environ, "OPENAI_API_KEY": FAKE_KEY, "GATEWAY_DOCTOR_STATE_DIR": str(tmp_path),
           "GATEWAY_DOCTOR_CONFIG": str(tmp_path / "config.toml")}  # fmt: skip
    for mode, args in (("error", []), ("surrogate", ["--json"]), ("split", ["--json"])):
        proc = subprocess.run(
            [sys.executable, "-m", "tui", "check", "--base-url", f"{gateway.url}/{mode}/v1",
             "--timeout", "3", *args],
            capture_output=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert proc.returncode == CHECK_CASES[mode][0], proc.stderr.decode(errors="replace")
        assert_safe(proc.stdout.decode("utf-8"), f"{mode} stdout")
        assert_safe(proc.stderr.decode("utf-8"), f"{mode} stderr")
        if args:
            json.loads(proc.stdout)
    assert not list(tmp_path.glob("crash-*"))


# --- the one function ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(NASTY))
def test_terminal_safe_shows_each_sequence(name):
    raw = NASTY[name]
    safe = terminal_safe(f"a{raw}b")
    assert_safe(safe, name)
    assert safe.startswith("a") and safe.endswith("b") and len(safe) >= len(raw) + 2
    assert terminal_safe(safe) == safe  # idempotent
    assert json.loads(json_safe(json.dumps(raw, ensure_ascii=False))) == raw  # JSON keeps it


def test_terminal_safe_keeps_text_and_repairs_unicode():
    assert terminal_safe("中文 ok\tx\ny") == "中文 ok\tx\ny"
    assert terminal_safe("a\r\nb\rc") == "a\nb␍c"
    assert terminal_safe("\x1b[31mred\x1b[0m\x1b[2J", keep_sgr=True) == "\x1b[31mred\x1b[0m␛[2J"
    assert repair_surrogates("\ud83d\ude00 \udc00") == "😀 \ufffd"
    assert terminal_safe("x\ud83d") == "x\ufffd"
    out = json_safe(json.dumps({"m": "\udc00\x9b\x7f"}, ensure_ascii=False))
    assert json.loads(out) == {"m": "\ufffd\x9b\x7f"} and out.isascii() is False
    out.encode("utf-8")
    assert_safe(out, "json")


# --- the console -----------------------------------------------------------------------


def rendered_text(app) -> str:  # noqa: ANN001
    """The text of every cell the compositor would send to the terminal (no control segments)."""
    update = app.screen._compositor.render_full_update()
    return "".join(
        seg.text for line in update.strips for strip in line for seg in strip if not seg.control
    )


def _console(url: str):  # noqa: ANN202
    from tui.core.diagnosis.model import Target
    from tui.core.safe import masking
    from tui.ui.app import GatewayDoctorApp

    masking.register_secret(FAKE_KEY)
    target = Target(base_url=url, api_key=FAKE_KEY, model="gpt-4o-mini", timeout=3,
                    trust_env=False)  # fmt: skip
    app = GatewayDoctorApp(target, sources={"base_url": "flag"}, system_copy=lambda _t: None)
    app.copy_to_clipboard = lambda _t: None  # type: ignore[method-assign]
    return app


async def test_console_screen_is_terminal_safe(gateway, tmp_path):
    from tests.support.console import wait_for

    app = _console(f"{gateway.url}/error/v1")
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=20.0)
        await pilot.pause(0.2)
        text = rendered_text(app)
        assert_safe(text, "checklist and step detail")
        assert "␛[2J" in text, "the error text is not on screen"
        app.show_evidence()  # the inspector: headers and body of the 401
        await pilot.pause(0.3)
        text = rendered_text(app)
        assert_safe(text, "inspector")
        assert "hdr-␛[2J" in text, "the request id header is not on screen"
        app.notify("toast-" + PAYLOAD)
        await pilot.pause(0.3)
        text = rendered_text(app)
        assert_safe(text, "toast")
        assert "toast-<␛[2J" in text


async def test_console_inspector_html_is_terminal_safe(gateway):
    from tests.support.console import wait_for

    app = _console(f"{gateway.url}/html/v1")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=20.0)
        app.show_evidence()
        await pilot.pause(0.3)
        text = rendered_text(app)
        assert_safe(text, "inspector HTML body")
        assert "title<␛[2J" in text


async def test_console_chat_is_terminal_safe(gateway):
    from tests.support.console import wait_for
    from tui.ui.widgets.chat_message import AssistantMessage

    app = _console(f"{gateway.url}/sse/v1")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=20.0)
        await pilot.press("2")
        await pilot.pause(0.2)
        await pilot.click("#chat-input")
        await pilot.press(*"hello", "enter")
        await wait_for(
            pilot,
            lambda: any(m.finished_at for m in app.screen.query(AssistantMessage)),
            timeout=10.0,
        )
        app.screen.query_one("#chat-log").scroll_home(animate=False)
        await pilot.pause(0.3)
        text = rendered_text(app)
        assert_safe(text, "chat")
        assert "reply-<␛[2J" in text, "the streamed reply is not on screen"


# --- the user's own input --------------------------------------------------------------


def test_check_flags_are_terminal_safe(gateway, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    url = f"{gateway.url}/models/v1?x=\x1b]52;c;cm0=\x07"
    for fmt in FORMATS.values():
        code, out, err = run_check(capsys, url, "--model", "m\x1b[2J\x9b1m", *fmt)
        assert code in (0, 1), err
        assert_safe(out, f"flags {fmt}")
        assert_safe(err, f"flags {fmt}")
        if "--json" not in fmt and "--lang" not in fmt:
            assert "m␛[2J\\x9b1m" in out


async def test_settings_screen_is_terminal_safe(memory_keyring):
    from textual.app import App

    from tui.core.net.exchange import ExchangeLog
    from tui.core.setup.config import config_path
    from tui.ui.paths import stylesheets
    from tui.ui.screens.settings import SettingsScreen

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '[settings]\nactive_profile = "evil"\n\n[profiles.evil]\n'
        'base_url = "https://gw.example/v1\\u001b]52;c;cm0=\\u0007"\n'
        'model = "m\\u001b[2J\\u0008\\u007f"\n',
        encoding="utf-8",
    )

    class Host(App):
        CSS_PATH = stylesheets()
        lang = "en"
        exchange_log = ExchangeLog()

        def on_mount(self) -> None:
            self.push_screen(SettingsScreen())

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        text = rendered_text(app)
        assert_safe(text, "settings screen")
        assert "v1␛]52;c;cm0=␇" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["profile", "list"],
        ["profile", "list", "--json"],
        ["profile", "show", "evil"],
        ["profile", "show", "evil", "--json"],
        ["profile", "use", "evil"],
        ["key", "status", "--profile", "evil"],
    ],
    ids=lambda a: " ".join(a),
)
def test_profile_and_key_commands_are_terminal_safe(capsys, argv, memory_keyring):
    import json

    from tui.cli import main
    from tui.core.setup.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '[settings]\nactive_profile = "evil"\n\n[profiles.evil]\n'
        'base_url = "https://gw.example/v1\\u001b]52;c;cm0=\\u0007"\n'
        'model = "m\\u001b[2J\\u0008\\u007f\\u009b1m"\n',
        encoding="utf-8",
    )
    main(argv)
    out = capsys.readouterr()
    assert_safe(out.out, " ".join(argv))
    assert_safe(out.err, " ".join(argv))
    if "--json" in argv:
        json.loads(out.out)
    elif argv[:2] in (["profile", "list"], ["profile", "show"]):
        assert "␛" in out.out  # shown visibly, not dropped


# --- invisible characters: bidi overrides, zero-width, tags ----------------------------

BIDI_ROWS = [
    (
        "Terminal",
        "a 401 message and model ids holding bidi overrides and isolates (U+202E, U+2066), "
        "zero-width space, BOM, Arabic letter mark and a tag character "
        "(`gpt\\u200b-4o-mini` looks like `gpt-4o-mini`)",
        "shown as `<U+202E>` … in text, Markdown and the support summary; `\\u202e` escapes in "
        "`--json` (still valid JSON); emoji joiners (ZWJ) kept",
    ),
]
HOSTILE_ROWS += BIDI_ROWS
INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]")  # fmt: skip
BIDI = "gpt\u200b-4o-mini \u202egnp.exe\u202c \u2066x\u2069 \ufeff\u061c\U000e0041"


async def bidi_gateway(conn: Conn) -> None:
    while (req := await conn.read_request()) is not None:
        if req.target.endswith("/models"):
            ids = ["gpt\u200b-4o-mini", "gpt-4o-mini\u202e\u2066evil\u2069"]
            body = json.dumps({"object": "list", "data": [{"id": i} for i in ids]}).encode()
            await _write_raw(conn, 200, [("Content-Type", "application/json")], body)
        else:
            await _write_raw(conn, 401, [("Content-Type", "application/json")],
                             _error_body("bad key " + BIDI))  # fmt: skip


@pytest.mark.parametrize("fmt", [[], ["--markdown"], ["--json"], ["--lang", "zh-CN"]])
def test_invisible_characters_are_shown_not_obeyed(capsys, monkeypatch, fmt):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", "sk-FAKE-test-0000-1111-2222-3333-4444")
    with RawServer(bidi_gateway) as server:
        code, out, err = run_check(capsys, server.url + "/v1", *fmt)
    assert code == 1
    for text, where in ((out, "stdout"), (err, "stderr")):
        bad = INVISIBLE.search(text)
        assert bad is None, f"{where}: raw U+{ord(bad.group()):04X} in {text[:300]!r}"
    if fmt == ["--json"]:
        assert "gpt\u200b-4o-mini" in json.dumps(json.loads(out), ensure_ascii=False)
    else:
        assert "<U+202E>" in out


def test_terminal_safe_keeps_emoji_joiners():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert terminal_safe(family) == family
    assert terminal_safe("a\u202eb") == "a<U+202E>b"


def test_one_line_keeps_a_value_on_its_line() -> None:
    from tui.core.safe.terminal import one_line

    shown = one_line("gpt\ninjected: ALL OK\tx\r\n\u202egnp.exe\x1b[2J")
    assert "\n" not in shown and "\t" not in shown and "\x1b" not in shown
    assert shown == "gpt␊injected: ALL OK␉x␊<U+202E>gnp.exe␛[2J"
    assert one_line("plain words") == "plain words"
