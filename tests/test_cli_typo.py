"""A mistyped subcommand (new-user walk): one short message in the user's language that
says the word is not a command, suggests the closest one, lists the commands, exit 2:
no usage block, no argparse "invalid choice (choose from ...)"."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui import cli


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def _no_usage_wall(err: str) -> None:
    for noise in ("usage:", "用法：", "invalid choice", "无效的选择", "choose from", "[-h]"):
        assert noise not in err, noise
    assert len(err.splitlines()) <= 4, err


def test_a_typo_is_answered_with_the_closest_command_in_english(capsys, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    err = _refused(["chek"], capsys)
    assert "gateway-doctor: 'chek' is not a command." in err
    assert "Did you mean 'check'?" in err
    assert "Commands: " + ", ".join(cli.SUBCOMMANDS) in err
    _no_usage_wall(err)


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "zh", "chek"],
        ["--lang=zh-CN", "chek"],
        ["--lang", "zh", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "3", "chek"],
    ],
)
def test_a_typo_after_top_level_flags_is_answered_in_chinese(argv, capsys):
    err = _refused(argv, capsys)
    assert "gateway-doctor：没有“chek”这个命令。" in err
    assert "是不是想输入“check”？" in err
    assert "可用的命令：" + "、".join(cli.SUBCOMMANDS) in err
    assert "is not a command" not in err and "Did you mean" not in err
    _no_usage_wall(err)


def test_the_locale_chooses_chinese_too(capsys, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    err = _refused(["histroy"], capsys)
    assert "没有“histroy”这个命令" in err and "是不是想输入“history”？" in err


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_word_close_to_nothing_gets_no_suggestion(lang, capsys):
    err = _refused(["--lang", lang, "xyzzy"], capsys)
    assert "xyzzy" in err
    assert "Did you mean" not in err and "是不是想输入" not in err
    assert "check" in err  # the list of commands is still there
    _no_usage_wall(err)


def test_a_typo_of_a_nested_action_is_answered_the_same_way(capsys):
    err = _refused(["--lang", "en", "profile", "ad"], capsys)
    assert "gateway-doctor profile: 'ad' is not a command." in err
    assert "Did you mean 'add'?" in err
    _no_usage_wall(err)


def test_a_pasted_key_in_the_command_s_place_is_masked(capsys):
    key = "sk-proj-Zq81vNw3cT5mL0pRx7Hd"
    err = _refused(["--lang", "en", key], capsys)
    assert key not in err and "Zq81vNw3cT5mL0pRx7Hd" not in err
    assert "is not a command" in err


def test_check_starts_without_difflib():
    """The suggestion's difflib is imported only on the error path (check's start)."""
    code = (
        "import sys; from tui import cli; "
        "cli._parse(cli.build_parser('en', ['check']), ['check'], 'en'); "
        "print('difflib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"
