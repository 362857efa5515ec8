"""A canary key through every way out: none may show it, or any 8-character piece of it.

Each way out is a *producer* (it runs the real code against the demo gateway
and returns the texts that leave the program). The same producers run twice:
normally (no leak allowed) and with the one masking function broken on
purpose (identity everywhere), where the detector must report the canary —
proof that each check can fail, not just pass.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CANARY_KEY
from tests.support.leaks import leaks
from tui.core.diagnosis.model import Target
from tui.core.safe import masking

#: way-out id -> (name shown in docs/hardening.md, how the test gets it)
WAYS_OUT: dict[str, tuple[str, str]] = {
    "check": ("`check` text, JSON, Markdown (en, zh-CN)",
              "in-process `gateway-doctor check` on healthy, invalid_key, quota_exhausted, "
              "stream_error_event; stdout and stderr"),
    "summary": ("support summary and clipboard",
                "`support_summary` of a real run copied with fake system and OSC 52 clipboards; "
                "the saved file"),
    "exports": ("inspector exports: curl, curl script, HAR, JSON",
                "exports of every exchange of a real run plus a hand-built exchange holding the "
                "raw key in headers, URL, bodies and SSE events; the saved export file"),
    "chat": ("chat transcript and error summary",
             "a chat turn whose prompt contains the key (the demo echoes it back) and a 401 turn; "
             "Markdown transcript, saved file, error summary"),
    "log": ("log file (`GATEWAY_DOCTOR_LOG`)",
            "a check run with logging on, plus log records and a logged exception that contain "
            "the key"),
    "crash": ("crash reports (CLI)",
              "a subcommand raising an exception whose message and locals hold the key; stderr "
              "and the saved report"),
    "profiles": ("`profile list` / `show` (text and JSON), `key status`",
                 "a hand-edited config whose base URL, proxy and model hold the key; the config "
                 "file itself is input and is removed before the file scan"),
    "state": ("every file written", "all files under the state and config directories after "
              "each producer"),
    "console": ("console screen, clipboard, inspector pane",
                "Pilot run against invalid_key: screen text, `c` copy (fake clipboard), "
                "the saved summary, the inspector showing the auth exchange"),
    "console_crash": ("console crash report",
                      "an exception raised in a key handler: what is printed on exit and the "
                      "saved report (`tests/test_canary_crash.py`)"),
}  # fmt: skip


def files_under(*dirs: Path) -> list[bytes]:
    return [p.read_bytes() for d in dirs if d.exists() for p in d.rglob("*") if p.is_file()]


def canary_target(url: str, timeout: float = 5.0) -> Target:
    masking.register_secret(CANARY_KEY)
    return Target(base_url=url, api_key=CANARY_KEY, model="gpt-4o-mini", timeout=timeout,
                  trust_env=False)  # fmt: skip


async def run_engine(url: str):
    from tui.core.diagnosis.engine import run_checks
    from tui.core.net.exchange import ExchangeLog

    log = ExchangeLog()
    report = await run_checks(canary_target(url), log, env={})
    return report, log


# --- producers: each returns the texts that leave the program ------------------------


async def _echo_key(conn) -> None:  # noqa: ANN001
    """A gateway that quotes the whole key back in its 401 (some do)."""
    while (req := await conn.read_request()) is not None:
        key = (req.header("authorization") or "").removeprefix("Bearer ")
        body = {"error": {"message": f"Incorrect API key provided: {key}",
                          "type": "invalid_request_error", "code": "invalid_api_key"}}  # fmt: skip
        await conn.respond(401, [("Content-Type", "application/json")], json.dumps(body).encode())


def produce_check(gw, capsys, monkeypatch, tmp_path) -> list[str]:
    from tests.support.servers import RawServer

    monkeypatch.setenv("OPENAI_API_KEY", CANARY_KEY)
    out: list[str] = []
    with RawServer(_echo_key) as echo:
        urls = [echo.url + "/v1"]
        for scenario in ("healthy", "invalid_key", "quota_exhausted", "stream_error_event"):
            urls.append(gw.scenario_url(scenario))
        out += _check_outputs(urls, capsys)
    return out


def _check_outputs(urls: list[str], capsys) -> list[str]:  # noqa: ANN001
    from tui.cli import main

    out: list[str] = []
    for url in urls:
        for fmt in ([], ["--json"], ["--markdown"], ["--lang", "zh-CN", "--json"]):
            main(["check", "--base-url", url, "--timeout", "3", *fmt])
            captured = capsys.readouterr()
            out += [captured.out, captured.err]
    return out


def produce_summary(gw, capsys, monkeypatch, tmp_path) -> list[str]:
    from tui.core.diagnosis.summary import support_summary
    from tui.ui.clipboard import copy_text

    report, log = asyncio.run(run_engine(gw.scenario_url("invalid_key")))
    out = []
    system: list[str] = []
    osc: list[str] = []
    for check in (None, "auth", "config"):
        for lang in ("en", "zh-CN"):
            text = support_summary(report, check=check, lang=lang, log=log)
            out.append(text)
            outcome = copy_text(text, osc52=osc.append, system=system.append)
            out.append(outcome.path.read_text(encoding="utf-8") if outcome.path else "")

    def no_system(_text: str) -> None:
        raise RuntimeError("no clipboard mechanism")

    # A caller that forgot to mask: the copy itself must still mask.
    outcome = copy_text(f"key: {CANARY_KEY}", osc52=osc.append, system=no_system)
    out.append(outcome.path.read_text(encoding="utf-8") if outcome.path else "")
    return out + system + osc


def _raw_exchange():
    from tui.core.net.exchange import Exchange, SseEvent

    return Exchange(
        id="ex-raw",
        step="chat",
        started_at="2026-01-01T00:00:00.000Z",
        method="POST",
        url=f"https://gw.example/v1/chat/completions?key={CANARY_KEY}",
        request_headers=[("Authorization", f"Bearer {CANARY_KEY}"), ("x-api-key", CANARY_KEY)],
        request_body=json.dumps({"api_key": CANARY_KEY, "messages": [CANARY_KEY]}).encode(),
        status=401,
        response_headers=[("Set-Cookie", f"s={CANARY_KEY}")],
        response_body=f'{{"error":{{"message":"Incorrect API key provided: {CANARY_KEY}"}}}}'.encode(),
        sse_events=[SseEvent(1.0, f'{{"error":"{CANARY_KEY}"}}')],
        error=f"failed with {CANARY_KEY}",
    )


def produce_exports(gw, capsys, monkeypatch, tmp_path) -> list[str]:
    from tui.core.inspect import exports
    from tui.core.setup.state import save_text

    _report, log = asyncio.run(run_engine(gw.scenario_url("stream_error_event")))
    exchanges = [*log.all(), _raw_exchange()]
    out = [exports.to_curl_script(exchanges), exports.render_har(exchanges),
           exports.render_json(exchanges)]  # fmt: skip
    for ex in exchanges:
        out += [exports.to_curl(ex), exports.to_curl(ex, multiline=False)]
    out.append(save_text("har", exports.render_har(exchanges), ".har").read_text())
    return out


def produce_chat(gw, capsys, monkeypatch, tmp_path) -> list[str]:
    from tui.core.chat.session import ChatSession
    from tui.core.chat.transcript import chat_error_summary, save_transcript, transcript_markdown
    from tui.core.net.exchange import ExchangeLog

    async def go() -> list[str]:
        texts: list[str] = []
        for scenario in ("healthy", "invalid_key"):
            target = canary_target(gw.scenario_url(scenario))
            log = ExchangeLog()
            session = ChatSession(target, log)
            try:
                turn = await session.send(f"Repeat this exactly: {CANARY_KEY}")
            finally:
                await session.aclose()
            texts.append(transcript_markdown(session.history, target))
            texts.append(save_transcript(session.history, target).read_text(encoding="utf-8"))
            if turn.reply.error is not None:
                texts.append(chat_error_summary(turn.reply, target, log))
        return texts

    return asyncio.run(go())


def produce_log(gw, capsys, monkeypatch, tmp_path) -> list[str]:
    from tui.cli import main
    from tui.core.setup.logs import setup_logging

    path = tmp_path / "logs" / "debug.log"
    monkeypatch.setenv("GATEWAY_DOCTOR_LOG", str(path))
    monkeypatch.setenv("OPENAI_API_KEY", CANARY_KEY)
    main(["check", "--base-url", gw.scenario_url("invalid_key") + f"?key={CANARY_KEY}",
          "--timeout", "3"])  # fmt: skip
    captured = capsys.readouterr()
    setup_logging()  # the same file again, as a second run would
    logger = logging.getLogger("gateway_doctor.test")
    logger.warning("the key is %s", CANARY_KEY)
    logger.warning(f"an f-string with {CANARY_KEY}")
    try:
        raise ValueError(f"bad key {CANARY_KEY}")
    except ValueError:
        logger.exception("while testing")
    monkeypatch.delenv("GATEWAY_DOCTOR_LOG")
    setup_logging()  # closes the handler
    return [path.read_text(encoding="utf-8"), captured.out, captured.err]


def produce_crash(gw, capsys, monkeypatch, tmp_path) -> list[str]:
    from tui.cli import main
    from tui.commands import check

    masking.register_secret(CANARY_KEY)

    def explode(args):  # noqa: ANN001
        secret = CANARY_KEY  # a local: Textual/rich would print it with show_locals
        raise RuntimeError(f"unexpected: token {secret} rejected")

    monkeypatch.setattr(check, "run", explode)
    code = main(["check"])
    captured = capsys.readouterr()
    assert code == 70
    reports = sorted((tmp_path / "state").glob("crash-*"))
    assert reports, "the crash report is saved"
    return [captured.out, captured.err, *(p.read_text() for p in reports)]


def produce_profiles(gw, capsys, monkeypatch, tmp_path) -> list[str]:
    from tui.cli import main
    from tui.core.setup.config import config_path

    masking.register_secret(CANARY_KEY)
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '[settings]\nactive_profile = "pasted"\n\n'
        "[profiles.pasted]\n"
        f'base_url = "https://gw.example/v1?key={CANARY_KEY}"\n'
        f'model = "{CANARY_KEY}"\n'
        f'proxy = "http://user:{CANARY_KEY}@proxy.example:3128"\n\n'
        "[profiles.userinfo]\n"
        f'base_url = "https://me:{CANARY_KEY}@gw.example/v1"\n',
        encoding="utf-8",
    )
    out: list[str] = []
    for argv in (["profile", "list"], ["profile", "list", "--json"], ["profile", "show"],
                 ["profile", "show", "--json"], ["profile", "show", "userinfo"],
                 ["key", "status"], ["--lang", "zh-CN", "key", "status"]):  # fmt: skip
        main(argv)
        captured = capsys.readouterr()
        out += [captured.out, captured.err]
    path.unlink()  # the user's own input, not an output
    return out


PRODUCERS: dict[str, Callable[..., list[str]]] = {
    "check": produce_check,
    "summary": produce_summary,
    "exports": produce_exports,
    "chat": produce_chat,
    "log": produce_log,
    "crash": produce_crash,
    "profiles": produce_profiles,
}


def test_every_way_out_is_documented():
    tested_elsewhere = {"state", "console", "console_crash"}
    assert set(PRODUCERS) | tested_elsewhere == set(WAYS_OUT)


@pytest.mark.parametrize("way", list(PRODUCERS))
def test_no_canary(way, demo_gateway, capsys, monkeypatch, tmp_path):
    texts = PRODUCERS[way](demo_gateway, capsys, monkeypatch, tmp_path)
    assert any(t.strip() for t in texts), "the producer produced nothing"
    assert leaks(texts) == []
    assert leaks(files_under(tmp_path)) == [], "a file written to disk holds the key"


def _identity(value, secrets=()):  # noqa: ANN001, ANN202
    return value


def break_masking(monkeypatch) -> None:
    """Make the one masking function (and everything bound to it) the identity."""
    real = masking.mask
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith("tui") and getattr(module, "mask", None) is real:
            monkeypatch.setattr(module, "mask", _identity)
    monkeypatch.setattr(masking, "mask", _identity)


@pytest.mark.parametrize("way", list(PRODUCERS))
def test_canary_check_detects_a_leak(way, demo_gateway, capsys, monkeypatch, tmp_path):
    """With masking broken on purpose, the same producer must be caught leaking."""
    import tui.cli  # noqa: F401 - load the modules to patch
    import tui.core.chat.transcript  # noqa: F401
    import tui.core.diagnosis.report  # noqa: F401
    import tui.core.diagnosis.summary  # noqa: F401
    import tui.core.inspect.exports  # noqa: F401
    import tui.core.setup.logs  # noqa: F401
    import tui.ui.clipboard  # noqa: F401

    break_masking(monkeypatch)
    try:
        texts = PRODUCERS[way](demo_gateway, capsys, monkeypatch, tmp_path)
    except AssertionError:
        texts = []
    assert leaks([*texts, *files_under(tmp_path)]), f"{way}: a leak would go unnoticed"


# --- the console -----------------------------------------------------------------------


async def console_outputs(gw, tmp_path: Path) -> list[str]:
    from tests.support.console import screen_text, wait_for
    from tui.ui.app import GatewayDoctorApp

    copied: list[str] = []
    osc: list[str] = []
    target = canary_target(gw.scenario_url("invalid_key"))
    app = GatewayDoctorApp(target, sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"},
                           system_copy=copied.append)  # fmt: skip
    app.copy_to_clipboard = osc.append  # type: ignore[method-assign]
    out: list[str] = []
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15.0)
        await pilot.pause()
        out += [app.export_screenshot(), screen_text(app)]
        await pilot.press("c")
        await pilot.pause()
        app.show_evidence()
        await pilot.pause(0.2)
        out += [app.export_screenshot(), screen_text(app)]
    return out + copied + osc


async def test_console_never_shows_the_canary(demo_gateway, tmp_path):
    texts = await console_outputs(demo_gateway, tmp_path)
    assert any("auth.invalid_key" in t for t in texts)
    assert leaks(texts) == []
    assert leaks(files_under(tmp_path)) == []


async def test_console_canary_check_detects_a_leak(demo_gateway, tmp_path, monkeypatch):
    import tui.ui.clipboard  # noqa: F401
    import tui.ui.widgets.inspector  # noqa: F401

    break_masking(monkeypatch)
    texts = await console_outputs(demo_gateway, tmp_path)
    assert leaks([*texts, *files_under(tmp_path)])
