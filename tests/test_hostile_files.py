"""Hostile files: a config or Chatbox export built to crash the reader, and paths
planted where gateway-doctor writes.

Each ``HOSTILE_ROWS`` row is asserted by the test named in its comment. The
file tests run the real CLI entry point (``tui.cli.main``) on real files.
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
    assert "嵌套了 151 层" in out
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
    assert "nothing was imported" in out and "未导入任何内容" in out
    assert config_file().read_bytes() == before, "no profile written"
