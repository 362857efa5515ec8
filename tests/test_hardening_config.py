"""Config and state files under stress: corrupt, in the way, unwritable, written at once.

Each situation ends with a clear message naming the file and what to do (no
traceback, nothing lost). ``FILE_ROWS`` is rendered into docs/hardening.md; each
row's phrase is asserted by the test of the same id.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from tests.conftest import FAKE_KEY
from tui.cli import main

#: id -> (what we tried, a phrase of what the user sees)
FILE_ROWS: dict[str, tuple[str, str]] = {
    "corrupt_toml": ("config file that is not valid TOML (`profile list`)", "is not valid TOML"),
    "corrupt_kept": ("the corrupt file is kept, never overwritten (`profile add`)",
                     "will not overwrite it"),
    "corrupt_check": ("`check` with a corrupt config file", "warning: profile: Config file"),
    "config_is_dir": ("the config path is a directory", "is a directory, not a config file"),
    "config_dir_blocked": ("a file where the config directory should be (`profile add`)",
                           "Cannot write config file"),
    "config_read_only": ("read-only config directory (non-root only)", "Cannot write config file"),
    "profiles_not_table": ("`profiles = 3` in the config", "must be a table"),
    "concurrent_writers": ("8 processes adding profiles at once", "all 8 profiles present"),
    "state_blocked": ("state directory blocked by a file (saving a summary)", "Cannot write"),
    "state_blocked_crash": ("crash while the state directory is unusable",
                            "No report could be saved"),
    "log_blocked": ("`GATEWAY_DOCTOR_LOG` pointing into a file", "cannot write the log file"),
}  # fmt: skip


def config_file() -> Path:
    return Path(os.environ["GATEWAY_DOCTOR_CONFIG"])


def run_cli(capsys, *args: str) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "Traceback" not in out
    return code, out


def sees(row: str, text: str) -> None:
    assert FILE_ROWS[row][1] in text, text


def test_corrupt_toml_is_named_and_kept(capsys):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('[profiles.work]\nbase_url = "https://x\n')
    code, out = run_cli(capsys, "profile", "list")
    assert code != 0
    sees("corrupt_toml", out)
    assert str(path) in out and "line" in out
    code, out = run_cli(
        capsys, "profile", "add", "home", "--base-url", "https://api.example.com/v1"
    )
    assert code != 0
    sees("corrupt_kept", out)
    assert path.read_text() == '[profiles.work]\nbase_url = "https://x\n', "nothing overwritten"
    assert list(path.parent.glob("config.toml.corrupt-*")), "a backup copy is kept"


def test_check_goes_on_with_a_corrupt_config(capsys, monkeypatch, demo_gateway):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not toml at all")
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    code, out = run_cli(capsys, "check", "--base-url", demo_gateway.scenario_url("healthy"))
    assert code == 0
    sees("corrupt_check", out)


def test_config_path_is_a_directory(capsys):
    config_file().mkdir(parents=True)
    code, out = run_cli(capsys, "profile", "list")
    assert code != 0
    sees("config_is_dir", out)


def test_config_directory_blocked_by_a_file(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    monkeypatch.setenv("GATEWAY_DOCTOR_CONFIG", str(blocker / "config.toml"))
    code, out = run_cli(
        capsys, "profile", "add", "work", "--base-url", "https://api.example.com/v1"
    )
    assert code not in (0, 70), out
    sees("config_dir_blocked", out)
    assert str(blocker) in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_config_directory_read_only(capsys):
    directory = config_file().parent
    directory.mkdir(parents=True)
    directory.chmod(0o500)
    try:
        code, out = run_cli(capsys, "profile", "add", "w", "--base-url", "https://a.example/v1")
    finally:
        directory.chmod(0o700)
    assert code not in (0, 70), out
    sees("config_read_only", out)


def test_profiles_not_a_table(capsys):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text("profiles = 3\n")
    code, out = run_cli(capsys, "profile", "list")
    assert code != 0
    sees("profiles_not_table", out)


def _add(args: tuple[str, str, str, int]) -> None:
    config, state, name, n = args
    os.environ["GATEWAY_DOCTOR_CONFIG"] = config
    os.environ["GATEWAY_DOCTOR_STATE_DIR"] = state
    from tui.core.setup.profiles import Profile, add_profile, set_setting

    for i in range(n):
        add_profile(Profile(name=f"{name}-{i}", base_url=f"https://{name}.example/v1"))
        set_setting("language", "en")


def test_concurrent_writers_lose_nothing(tmp_path):
    from tui.core.setup.profiles import list_profiles

    workers, each = 8, 3
    ctx = multiprocessing.get_context("spawn")
    jobs = [(os.environ["GATEWAY_DOCTOR_CONFIG"], str(tmp_path / "state"), f"p{w}", each)
            for w in range(workers)]  # fmt: skip
    with ctx.Pool(workers) as pool:
        pool.map(_add, jobs, chunksize=1)
    names = {p.name for p in list_profiles()}
    assert names == {f"p{w}-{i}" for w in range(workers) for i in range(each)}
    assert FILE_ROWS["concurrent_writers"][1] == f"all {workers} profiles present"
    assert not list(config_file().parent.glob(".config.toml.*.tmp")), "no temp files left"


def test_state_dir_blocked_summary_says_so(tmp_path, monkeypatch):
    from tui.core.setup.state import StateWriteError, save_text
    from tui.ui.clipboard import copy_text, outcome_message

    blocker = tmp_path / "blocked"
    blocker.write_text("a file")
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(blocker / "state"))
    with pytest.raises(StateWriteError) as exc:
        save_text("summary", "text")
    sees("state_blocked", str(exc.value))
    copied: list[str] = []
    outcome = copy_text("summary text", osc52=None, system=copied.append)
    assert copied == ["summary text"] and outcome.path is None
    message, severity = outcome_message(outcome, "en")
    sees("state_blocked", message)
    assert severity == "warning"


def test_crash_with_unusable_state_dir(tmp_path, monkeypatch, capsys):
    from tui.commands import check

    blocker = tmp_path / "blocked"
    blocker.write_text("a file")
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(blocker))

    def explode(args):  # noqa: ANN001
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "run", explode)
    code, out = run_cli(capsys, "check")
    assert code == 70
    sees("state_blocked_crash", out)


def test_log_file_unwritable_goes_on(tmp_path, monkeypatch, capsys, demo_gateway):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file")
    monkeypatch.setenv("GATEWAY_DOCTOR_LOG", str(blocker / "x.log"))
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    code, out = run_cli(capsys, "check", "--base-url", demo_gateway.scenario_url("healthy"))
    assert code == 0
    sees("log_blocked", out)
    assert out.count("cannot write the log file") == 1


def test_log_file_written_0600(tmp_path, monkeypatch, capsys, demo_gateway):
    path = tmp_path / "logs" / "gd.log"
    monkeypatch.setenv("GATEWAY_DOCTOR_LOG", str(path))
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    try:
        code, _out = run_cli(capsys, "check", "--base-url", demo_gateway.scenario_url("healthy"))
    finally:
        from tui.core.setup.logs import setup_logging

        monkeypatch.delenv("GATEWAY_DOCTOR_LOG")
        setup_logging()
    assert code == 0
    text = path.read_text()
    assert "gateway-doctor" in text and "/chat/completions" in text
    assert (path.stat().st_mode & 0o777) == 0o600
    assert FAKE_KEY not in text


def test_log_one_means_state_dir(tmp_path, monkeypatch):
    from tui.core.setup.logs import log_path

    monkeypatch.setenv("GATEWAY_DOCTOR_LOG", "1")
    assert log_path() == tmp_path / "state" / "gateway-doctor.log"
    monkeypatch.setenv("GATEWAY_DOCTOR_LOG", "off")
    assert log_path() is None
