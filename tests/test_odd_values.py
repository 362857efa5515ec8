"""Odd values a user, a config file or a gateway may give, found by the final review of
this session's commands: each gave a traceback (a crash report) or a hang.

``str.isdigit()`` is true for "²" while ``int("²")`` raises; ``time.sleep`` overflows near
3e10 s; a FIFO planted at a state file's name blocks a plain ``open``; ``-Infinity`` is
valid to the safe JSON reader; a model name is the user's text, shown on a terminal.
"""

from __future__ import annotations

import os
import threading

import pytest

from tui.cli import main


def _run(capsys, *argv: str) -> tuple[int, str]:  # noqa: ANN001
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize(
    "argv",
    [
        ("watch", "--count", "²", "--base-url", "http://127.0.0.1:9/v1"),
        ("watch", "--every", "9999999h", "--count", "1", "--base-url", "http://127.0.0.1:9/v1"),
        ("models", "--probe", "--concurrency", "²", "--base-url", "http://127.0.0.1:9/v1"),
    ],
)
def test_odd_numbers_on_the_command_line_are_usage_errors(capsys, monkeypatch, argv) -> None:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", "sk-test-FAKEodd0123456789abcdef")
    code, said = _run(capsys, *argv)
    assert code == 2, said
    assert "Traceback" not in said and "unexpected error" not in said


def test_a_context_length_in_unicode_digits_is_no_number() -> None:
    from tui.core.models.catalog import _int

    assert _int("²") is None and _int("٣") is None and _int("8192") == 8192


def test_an_endless_age_in_the_remembered_probes_is_ignored() -> None:
    from tui.core.models.memory import _entry

    assert _entry({"status": "pass", "at": float("-inf")}) is None
    assert _entry({"status": "pass", "at": float("nan")}) is None
    assert _entry({"status": "pass", "at": 1_700_000_000.0}) is not None


def test_a_watch_every_setting_of_inf_or_over_a_day_is_not_used() -> None:
    from tui.core.history.watching import DEFAULT_EVERY, watch_every

    for setting in (float("inf"), float("nan"), "9999999h", 86_401):
        seconds, problem = watch_every(setting)
        assert seconds == DEFAULT_EVERY and problem is not None, setting


def _returns_within(fn, seconds: float = 5.0) -> bool:  # noqa: ANN001
    done = threading.Event()

    def target() -> None:
        fn()
        done.set()

    threading.Thread(target=target, daemon=True).start()
    return done.wait(seconds)


def test_a_fifo_planted_at_the_key_salt_does_not_hang(tmp_path, monkeypatch) -> None:
    from tui.core.safe import fingerprint

    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    os.mkfifo(state / fingerprint.SALT_FILE, 0o600)
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(state))
    monkeypatch.setattr(fingerprint, "_salt_cache", {})
    assert _returns_within(lambda: fingerprint.key_id("sk-test-FAKEfifo0123456789abcdef"))
    assert not fingerprint.salt_is_stable()


def test_a_fifo_planted_at_the_noted_file_does_not_hang(tmp_path, monkeypatch) -> None:
    from tui.core.history import noted

    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    os.mkfifo(state / noted.NOTED_NAME, 0o600)
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(state))
    assert _returns_within(lambda: noted._read(state / noted.NOTED_NAME))


def test_a_model_name_with_escapes_is_shown_not_obeyed(capsys, monkeypatch, demo_gateway) -> None:
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", "sk-test-FAKEodd0123456789abcdef")
    model = "m\x1b]0;PWNED\x07\x1b[2J"
    code, said = _run(
        capsys,
        "trial",
        "--base-url",
        demo_gateway.scenario_url("healthy"),
        "--model",
        model,
        "--stages",
        "short",
        "--yes",
    )
    assert "\x1b" not in said and "\x07" not in said, said
    assert "␛]0;PWNED␇" in said


def test_the_trial_says_when_its_run_could_not_be_recorded(
    capsys, monkeypatch, tmp_path, demo_gateway
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(blocker))
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", "sk-test-FAKEodd0123456789abcdef")
    code, said = _run(
        capsys, "trial", "--base-url", demo_gateway.scenario_url("healthy"), "--stages", "short",
        "--yes",
    )  # fmt: skip
    assert code == 0, said
    assert "warning: run history not written" in said, said
