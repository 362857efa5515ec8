"""Hostile files: a config or Chatbox export built to crash the reader, and paths
planted where gateway-doctor writes.

Each ``HOSTILE_ROWS`` row is asserted by the test named in its comment and
failed before its fix. The last three tests guard behaviour that was already
right (atomic replace, ``O_EXCL`` names, 0700 directories) and have no row.
The file tests run the real CLI entry point (``tui.cli.main``) on real files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.cli import main

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (  # test_config_nested_5000_deep
        "Config file",
        "the TOML config nests an array or an inline table 5,000 levels deep",
        "`profile list`, `profile add` and `key status` say “nested 5000 levels deep; "
        "gateway-doctor reads at most 100”, exit 2, the file is left byte for byte",
    ),
    (  # test_config_nested_past_the_limit
        "Config file",
        "the config nests 150 levels (parses, but no setting needs it)",
        "the same refusal with the depth it found, exit 2; nothing written",
    ),
    (  # test_chatbox_json_100k_deep
        "Chatbox import",
        "`config.json` nests arrays 100,000 levels deep",
        "“nested 100001 levels deep”, exit 2, no profile written",
    ),
    (  # test_chatbox_wrong_shapes
        "Chatbox import",
        "a provider is a string, `providers` is a list, a custom provider is null, "
        "`apiHost` is a number, `models` is text",
        "one sentence naming the file and the field (“'settings.providers.openai' should be "
        "an object, found text”), in English and Chinese, exit 2, no profile written",
    ),
    (  # test_log_symlink_is_refused
        "Log file",
        "a symbolic link to another file is planted where `GATEWAY_DOCTOR_LOG` writes",
        "one warning (“a symbolic link is in the way; gateway-doctor never writes through "
        "a link”), the command runs on, the link's target is untouched",
    ),
    (  # test_writable_by_others_is_refused
        "State directory",
        "the state directory already exists with mode 0777 (or 0770)",
        "nothing is saved into it: saving a summary or a crash report says “everyone can "
        "write to this directory (mode 777)… Run 'chmod go-w …'”; the log is skipped with "
        "a warning",
    ),
    (  # test_config_dir_writable_by_others
        "Config directory",
        "the config directory is world-writable (mode 0777)",
        "`profile add` refuses with “everyone can write to this directory”, exit 1, "
        "nothing written",
    ),
    (  # test_lock_symlink_is_refused
        "Config lock file",
        "`config.toml.lock` is a symbolic link to another file",
        "refused (“never writes through a link”), the target untouched, exit 1",
    ),
]


def config_file() -> Path:
    return Path(os.environ["GATEWAY_DOCTOR_CONFIG"])


def run_cli(capsys, *args: str) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "Traceback" not in out and "RecursionError" not in out, out
    assert "unexpected error" not in out, out
    return code, out


def write_config(text: str) -> bytes:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(text, encoding="utf-8")
    return path.read_bytes()


@pytest.mark.parametrize(
    "value",
    ["[" * 5000 + "]" * 5000, "{a = " * 5000 + "1" + "}" * 5000],
    ids=["array", "inline-table"],
)
def test_config_nested_5000_deep(capsys, value: str) -> None:
    before = write_config(f"[profiles.work]\nbase_url = 'https://a.example/v1'\nx = {value}\n")
    for args in (
        ("profile", "list"),
        ("profile", "add", "home", "--base-url", "https://b.example/v1"),
        ("key", "status", "--profile", "work"),
    ):
        code, out = run_cli(capsys, *args)
        assert code == 2, (args, out)
        assert "nested 5000 levels deep" in out and "gateway-doctor reads at most 100" in out, out
        assert str(config_file()) in out
    assert config_file().read_bytes() == before


def test_config_nested_past_the_limit(capsys) -> None:
    before = write_config("x = " + "[" * 150 + "]" * 150 + "\n")
    code, out = run_cli(capsys, "profile", "add", "home", "--base-url", "https://b.example/v1")
    assert code == 2 and "nested 151 levels deep" in out, out
    code, out = run_cli(
        capsys, "profile", "--lang", "zh-CN", "add", "home", "--base-url", "https://b.example/v1"
    )
    assert code == 2 and "嵌套了 151 层" in out and "levels deep" not in out, out
    assert config_file().read_bytes() == before


def test_config_at_a_sane_depth_still_reads(capsys) -> None:
    write_config("[profiles.work]\nbase_url = 'https://a.example/v1'\nx = [[[1]]]\n")
    code, out = run_cli(capsys, "profile", "list")
    assert code == 0 and "work" in out


def chatbox(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "chatbox" / "config.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_chatbox_json_100k_deep(capsys, tmp_path) -> None:
    path = chatbox(tmp_path, '{"settings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, out = run_cli(capsys, "profile", "import-chatbox", "--from", str(path))
    assert code == 2, out
    assert "nested 100001 levels deep" in out and str(path) in out
    assert not config_file().exists(), "nothing written"


GOOD = {"apiHost": "https://gw.example.test/v1", "apiKey": "sk-FAKE-x-0000111122223333"}


@pytest.mark.parametrize(
    "settings,field,want,found",
    [
        ({"providers": {"openai": "a string"}}, "settings.providers.openai", "an object", "text"),
        ({"providers": [GOOD]}, "settings.providers", "an object", "a list"),
        ({"providers": {"openai": None}}, "settings.providers.openai", "an object", "null"),
        ({"customProviders": [None]}, "settings.customProviders[0]", "an object", "null"),
        ({"customProviders": {"a": GOOD}}, "settings.customProviders", "a list", "an object"),
        (
            {"customProviders": [{"id": "p", **GOOD}], "providers": {"p": "oops"}},
            "settings.providers.p",
            "an object",
            "text",
        ),
        ({"providers": {"openai": {"apiHost": 3}}}, "settings.providers.openai.apiHost",
         "text", "a number"),
        ({"providers": {"openai": {**GOOD, "models": "gpt"}}},
         "settings.providers.openai.models", "a list", "text"),
        ({"defaultChatModel": "gpt-4o"}, "settings.defaultChatModel", "an object", "text"),
    ],
)  # fmt: skip
def test_chatbox_wrong_shapes(capsys, tmp_path, settings, field, want, found) -> None:
    before = write_config("[profiles.work]\nbase_url = 'https://a.example/v1'\n")
    ok = {"customProviders": [{"name": "fine", **GOOD}]}
    path = chatbox(tmp_path, json.dumps({"settings": {**ok, **settings}}))
    code, out = run_cli(capsys, "profile", "import-chatbox", "--from", str(path))
    assert code == 2, out
    assert f"{path}: '{field}' should be {want}, found {found}" in out, out
    assert "nothing was imported" in out
    code, out = run_cli(capsys, "profile", "--lang", "zh-CN", "import-chatbox", "--from", str(path))
    assert code == 2 and f"{path}：字段“{field}”应该是" in out and "未导入任何内容" in out, out
    assert config_file().read_bytes() == before, "no profile written"


def victim(tmp_path: Path) -> Path:
    """A file someone would like gateway-doctor to write into."""
    path = tmp_path / "victim.txt"
    path.write_text("precious\n")
    return path


def test_log_symlink_is_refused(capsys, tmp_path, monkeypatch) -> None:
    from tui.core.setup.logs import setup_logging

    target = victim(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o700)
    (logs / "gd.log").symlink_to(target)
    monkeypatch.setenv("GATEWAY_DOCTOR_LOG", str(logs / "gd.log"))
    try:
        code, out = run_cli(capsys, "profile", "list")
    finally:
        monkeypatch.delenv("GATEWAY_DOCTOR_LOG")
        setup_logging()
    assert code == 0, out
    assert "cannot write the log file" in out and "never writes through a link" in out, out
    assert target.read_text() == "precious\n"


@pytest.mark.parametrize("mode", [0o777, 0o770])
def test_writable_by_others_is_refused(capsys, tmp_path, monkeypatch, mode: int) -> None:
    from tui.core.setup.crash import save_crash_report
    from tui.core.setup.errors import error_text
    from tui.core.setup.logs import setup_logging
    from tui.core.setup.state import StateWriteError, save_text, state_dir

    directory = state_dir()
    directory.mkdir(parents=True)
    directory.chmod(mode)
    with pytest.raises(StateWriteError) as exc:
        save_text("summary", "text")
    who = "everyone" if mode & 0o002 else "its group"
    assert f"{who} can write to this directory (mode {mode:o})" in str(exc.value)
    assert "chmod go-w" in str(exc.value)
    assert "都能写入该目录" in error_text(exc.value, "zh-CN")
    assert save_crash_report(RuntimeError("boom")) is None
    monkeypatch.setenv("GATEWAY_DOCTOR_LOG", "1")
    try:
        code, out = run_cli(capsys, "profile", "list")
    finally:
        monkeypatch.delenv("GATEWAY_DOCTOR_LOG")
        setup_logging()
    assert code == 0 and "cannot write the log file" in out and "can write to this" in out
    assert list(directory.iterdir()) == [], "nothing written into it"


def test_config_dir_writable_by_others(capsys) -> None:
    directory = config_file().parent
    directory.mkdir(parents=True)
    directory.chmod(0o777)
    code, out = run_cli(capsys, "profile", "add", "w", "--base-url", "https://a.example/v1")
    assert code == 1, out
    assert "Cannot write config file" in out and "everyone can write to this directory" in out
    assert list(directory.iterdir()) == []


def test_lock_symlink_is_refused(capsys, tmp_path) -> None:
    target = victim(tmp_path)
    directory = config_file().parent
    directory.mkdir(parents=True, mode=0o700)
    Path(str(config_file()) + ".lock").symlink_to(target)
    code, out = run_cli(capsys, "profile", "add", "w", "--base-url", "https://a.example/v1")
    assert code == 1 and "never writes through a link" in out, out
    assert target.read_text() == "precious\n" and not config_file().exists()


def test_config_symlink_is_replaced_not_followed(capsys, tmp_path) -> None:
    target = victim(tmp_path)
    config_file().parent.mkdir(parents=True, mode=0o700)
    config_file().symlink_to(target)
    target.write_text("[profiles.old]\nbase_url = 'https://old.example/v1'\n")
    code, out = run_cli(capsys, "profile", "add", "w", "--base-url", "https://a.example/v1")
    assert code == 0, out
    assert target.read_text() == "[profiles.old]\nbase_url = 'https://old.example/v1'\n"
    assert not config_file().is_symlink() and (config_file().stat().st_mode & 0o777) == 0o600
    assert "[profiles.w]" in config_file().read_text()


def test_saved_file_name_taken_by_a_link(tmp_path) -> None:
    from datetime import datetime, timedelta

    from tui.core.setup.state import save_text, state_dir

    target = victim(tmp_path)
    directory = state_dir()
    directory.mkdir(parents=True, mode=0o700)
    now = datetime.now()
    for s in range(3):
        stamp = (now + timedelta(seconds=s)).strftime("%Y%m%d-%H%M%S")
        (directory / f"summary-{stamp}.txt").symlink_to(target)
    path = save_text("summary", "new text")
    assert not path.is_symlink() and path.read_text() == "new text"
    assert target.read_text() == "precious\n"


def test_new_directories_are_private(capsys, tmp_path, monkeypatch) -> None:
    from tui.core.setup.state import save_text

    old = os.umask(0o022)
    try:
        monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(tmp_path / "new" / "state"))
        monkeypatch.setenv("GATEWAY_DOCTOR_CONFIG", str(tmp_path / "newcfg" / "c" / "config.toml"))
        save_text("summary", "x")
        code, out = run_cli(capsys, "profile", "add", "w", "--base-url", "https://a.example/v1")
    finally:
        os.umask(old)
    assert code == 0, out
    for d in (tmp_path / "new" / "state", tmp_path / "newcfg" / "c"):
        assert (d.stat().st_mode & 0o777) == 0o700, d
