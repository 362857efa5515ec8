"""The console a helpdesk can trust (issue 15, blocking points and wrong facts).

Keys without a keyring (``k`` prompt, settings key field, ``--api-key-stdin``
through a real terminal), shortcuts that never fire while typing, nothing on
the network before a gateway is chosen, selecting a profile is not saving it,
unsaved edits ask first, and the CLI's own messages (subcommand usage,
``import-chatbox`` without a keyring). Each row of ``HOSTILE_ROWS`` is
asserted by a test below.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tests.support.console import FakeClipboard, ScriptedEngine, all_passed, screen_text, wait_for
from tests.support.leaks import leaks
from tests.support.servers import MODELS_BODY, Conn, RawServer
from tui.cli import main
from tui.core.diagnosis.model import Target
from tui.ui.app import GatewayDoctorApp

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "CLI usage",
        "`gateway-doctor check --foo` (a flag `check` does not have)",
        "`check`'s own usage and error, exit 2 (was the top-level usage, which lists no "
        "`check` flag)",
    ),
    (
        "Keys",
        "no keyring (null backend); `k`, the key typed into the prompt",
        "the checks re-run with it (source `session`), the header shows it masked, the prompt "
        "and a toast say it is NOT saved and how to keep one (GATEWAY_DOCTOR_API_KEY in the "
        "shell profile, or keyrings.alt: a file in the home directory)",
    ),
    (
        "Keys",
        "`k`, a pasted line holding the key and other words",
        "refused with a plain reason; no piece of the key on screen; the prompt stays open",
    ),
    (
        "Keys",
        "no keyring; the settings key field and Ctrl+S",
        "'Key NOT saved (no keyring here)', the session uses it once settings close "
        "(was: an error, and the checks still said 'No API key')",
    ),
    (
        "Keys",
        "no keyring; the first-run wizard against the demo gateway, key pasted",
        "the profile is saved, the checks run with the key (source `session`, kept in memory, "
        "not in the environment) and a toast says it is NOT saved and how to keep one",
    ),
    (
        "Keys",
        "`printf KEY | gateway-doctor --api-key-stdin` in a real terminal (pty)",
        "the console reads the key, takes the keyboard back from /dev/tty and runs with it "
        "masked (was: 'unrecognized arguments', the console had no such flag)",
    ),
    (
        "Network",
        "nothing configured; a loopback server stands in as the preset gateway",
        "not one connection until a gateway is chosen (the chat asked for `/models` twice); "
        "the header says the base URL is not chosen instead of showing the preset's",
    ),
    (
        "Keys",
        "`profile import-chatbox` where there is no keyring, two providers with keys",
        "both profiles saved, one short `key NOT stored: no keyring` per profile and one "
        "explanation (GATEWAY_DOCTOR_API_KEY, `k`, keyrings.alt), exit 1 (was exit 0 and "
        "~300 characters repeated per profile)",
    ),
]


# ----- CLI --------------------------------------------------------------------------------
def test_unknown_flag_after_a_subcommand_prints_that_subcommands_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--foo"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.startswith("usage: gateway-doctor check ")
    assert "gateway-doctor check: error: unrecognized arguments: --foo" in err
    assert "--api-key-stdin" in err  # check's flags, not the top-level ones
    assert "COMMAND ..." not in err


def test_unknown_top_level_flag_keeps_the_top_level_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--foo"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.startswith("usage: gateway-doctor [-h]") and "--foo" in err


def test_a_key_given_as_a_stray_flag_is_masked_in_the_usage_error(capsys):
    with pytest.raises(SystemExit):
        main(["profile", "list", f"--{CANARY_KEY}"])
    err = capsys.readouterr().err
    assert CANARY_KEY not in err and "gateway-doctor profile" in err


def _chatbox_file(tmp_path):
    conf = {
        "settings": {
            "providers": {
                "openai": {"apiHost": "https://api.alltkn.com/api/v1", "apiKey": FAKE_KEY},
                "custom-1": {"apiKey": CANARY_KEY},
            },
            "customProviders": [
                {"id": "custom-1", "name": "Gw", "apiHost": "https://gw.example.test/v1"}
            ],
        }
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(conf), encoding="utf-8")
    return path


def test_import_chatbox_without_a_keyring_says_it_once_and_exits_1(tmp_path, capsys):
    from tui.core.setup.profiles import list_profiles

    code = main(["profile", "import-chatbox", "--from", str(_chatbox_file(tmp_path))])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1
    assert sorted(p.name for p in list_profiles()) == ["chatbox-Gw", "chatbox-openai"]
    assert text.count("key NOT stored: no keyring") == 2
    assert text.count("GATEWAY_DOCTOR_API_KEY") == 1 and text.count("keyrings.alt") == 1
    assert "2 key(s) could not be stored" in text
    for line in text.splitlines():
        if line.startswith("  chatbox-"):
            assert len(line) < 120, line  # one short line per profile
    assert FAKE_KEY not in text and CANARY_KEY not in text


def test_import_chatbox_with_a_keyring_still_exits_0(tmp_path, capsys, memory_keyring):
    code = main(["profile", "import-chatbox", "--from", str(_chatbox_file(tmp_path))])
    text = capsys.readouterr().out
    assert code == 0 and "could not be stored" not in text
    assert memory_keyring.store[("gateway-doctor", "chatbox-Gw")] == CANARY_KEY


# ----- keys without a keyring ---------------------------------------------------------------
def console(target: Target, sources: dict[str, str], **kw) -> GatewayDoctorApp:
    kw.setdefault("engine", ScriptedEngine(all_passed()))
    kw.setdefault("system_copy", FakeClipboard())
    kw.setdefault("animate_spinner", False)
    return GatewayDoctorApp(target, sources=sources, **kw)


def no_key_target() -> Target:
    return Target(base_url="http://127.0.0.1:9/v1", model="gpt-4o-mini", profile="work")


async def test_k_takes_a_key_for_the_session_and_says_it_is_not_saved():
    from tui.ui.screens.key_prompt import KeyPrompt

    engine = ScriptedEngine(all_passed())
    app = console(no_key_target(), {"base_url": "flag", "key": "none"}, engine=engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KeyPrompt)
        await wait_for(pilot, lambda: "NOT saved" in screen_text(app))
        note = screen_text(app)
        assert "GATEWAY_DOCTOR_API_KEY" in note and "keyrings.alt" in note
        await pilot.press(*FAKE_KEY)  # typed: q, l, t, e, s … are text here
        assert isinstance(app.screen, KeyPrompt) and app.lang == "en"
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(engine.calls) == 2)
        assert app.target.api_key == FAKE_KEY and app.sources["key"] == "session"
        assert app.session_keys == {"work": FAKE_KEY}
        text = screen_text(app)
        assert "sk-…4444" in text
        toasts = " ".join(str(n.message) for n in app._notifications)
        assert "not saved" in toasts
        assert not leaks([text, toasts, app.export_screenshot()], FAKE_KEY)


async def test_k_refuses_a_pasted_line_without_showing_the_key():
    from tui.ui.screens.key_prompt import KeyPrompt

    app = console(no_key_target(), {"base_url": "flag", "key": "none"})
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("k")
        await pilot.pause()
        app.screen.query_one("#kp-key").value = f"export KEY={CANARY_KEY} # work"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, KeyPrompt)
        text = screen_text(app)
        assert "spaces" in text
        assert not leaks([text, app.export_screenshot()], CANARY_KEY)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, KeyPrompt) and app.target.api_key == ""


async def test_settings_key_field_without_a_keyring_is_used_for_the_session():
    from tui.core.setup.profiles import Profile, add_profile
    from tui.core.setup.target import resolve_target
    from tui.ui.screens.settings import SettingsScreen

    add_profile(Profile("work", "http://127.0.0.1:9/v1", "gpt-4o-mini"), make_active=True)
    resolved = resolve_target()
    assert resolved.target.api_key == "" and resolved.target.profile == "work"
    engine = ScriptedEngine(all_passed())
    app = console(resolved.target, resolved.sources, engine=engine)
    async with app.run_test(size=(110, 36)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#f-key").focus()
        await pilot.press(*FAKE_KEY)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Key NOT saved" in screen_text(app))
        assert not leaks([screen_text(app)], FAKE_KEY)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen))
        await wait_for(pilot, lambda: app.target.api_key == FAKE_KEY)
        assert app.target.profile == "work" and app.sources["key"] == "session"
    from tui.core.setup.config import config_path

    assert FAKE_KEY.encode() not in config_path().read_bytes()


async def test_first_run_wizard_without_a_keyring_runs_the_checks_with_the_key(demo_gateway):
    from tests.test_settings_ui import click_next, run_wizard
    from tui.ui.screens.wizard import FirstRunWizard

    engine = ScriptedEngine(all_passed())
    preset = Target(base_url="https://api.alltkn.com/api/v1", model="gpt-4o-mini")
    app = console(preset, {"base_url": "preset", "key": "none"}, engine=engine, first_run=True)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunWizard)
        await run_wizard(pilot, demo_gateway.scenario_url("healthy"), FAKE_KEY)
        await click_next(pilot)
        await wait_for(pilot, lambda: engine.calls and app.report is not None)
        assert app.target.profile == "demo" and app.target.api_key == FAKE_KEY
        assert app.sources["key"] == "session" and "GATEWAY_DOCTOR_API_KEY" not in os.environ
        toasts = " ".join(str(n.message) for n in app._notifications)
        assert "NOT saved" in toasts and "keyrings.alt" in toasts
        assert not leaks([screen_text(app), toasts], FAKE_KEY)


def _read_pty(fd: int, until: float, want: bytes | None) -> bytes:
    """Drain the terminal (a full pty blocks the child) until ``want`` shows or time runs out."""
    buf = b""
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        buf += data
        if want is not None and want in re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", buf):
            break
    return buf


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_console_api_key_stdin_reads_the_pipe_then_the_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", NO_COLOR="1", COLUMNS="120", LINES="40")
    root = Path(__file__).resolve().parents[1]
    line = (
        f"printf '%s\\n' '{FAKE_KEY}' | exec {sys.executable} -m tui --api-key-stdin "
        "--base-url http://127.0.0.1:9/v1 --timeout 2"
    )
    pid, fd = pty.fork()
    if pid == 0:  # the child: a shell pipeline on the pty, as a user would type it
        os.chdir(root)
        os.execve("/bin/sh", ["sh", "-c", line], env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        screen = _read_pty(fd, time.monotonic() + 30, "sk-…4444".encode())
        plain = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", screen)
        assert "sk-…4444".encode() in plain, plain[-400:]
        assert b"unrecognized arguments" not in plain
        assert FAKE_KEY.encode() not in screen
        time.sleep(0.5)
        os.write(fd, b"q")  # the keyboard reaches the console: stdin is the terminal again
        _read_pty(fd, time.monotonic() + 10, None)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) in (0, 1)
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def test_console_api_key_stdin_with_no_terminal_says_so(monkeypatch, capsys):
    from tui.commands import console as console_cmd

    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    monkeypatch.setattr(os, "open", _no_tty(os.open))
    code = main(["--api-key-stdin"])
    err = capsys.readouterr().err
    assert code == 2 and "needs a terminal" in err and "check --api-key-stdin" in err
    assert console_cmd.MAX_STDIN_KEY >= 4096


def _no_tty(real_open):
    def fake(path, *args, **kw):
        if path == "/dev/tty":
            raise OSError(6, "No such device or address")
        return real_open(path, *args, **kw)

    return fake


# ----- nothing on the network before a gateway is chosen ------------------------------------
async def test_nothing_configured_sends_nothing_and_the_header_says_not_chosen():
    connections: list[str] = []

    async def handler(conn: Conn) -> None:
        connections.append("connected")
        while await conn.read_request() is not None:
            await conn.respond(200, [("Content-Type", "application/json")], MODELS_BODY)

    with RawServer(handler) as server:
        preset = Target(base_url=server.url + "/v1", model="gpt-4o-mini")
        engine = ScriptedEngine(all_passed())
        app = console(preset, {"base_url": "preset", "key": "none"}, engine=engine)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(1.0)
            await app.workers.wait_for_complete()
            assert connections == [] and engine.calls == []
            bar = str(app.main.query_one("#target-bar").render())
            assert "not chosen" in bar and server.url not in bar
            await pilot.press("2")
            await pilot.press(*"/models", "enter")
            await pilot.pause(0.5)
            assert connections == []
            assert "No gateway configured" in screen_text(app)
            # Chosen (a flag, say): the chat may ask for /models now, once.
            app.sources["base_url"] = "flag"
            app.set_target(Target(base_url=server.url + "/v1", api_key=FAKE_KEY, model="m"))
            await wait_for(pilot, lambda: len(server.requests) >= 1)
            await asyncio.sleep(0.3)
            assert [r.target for r in server.requests] == ["/v1/models"]
            assert server.url in str(app.main.query_one("#target-bar").render())
