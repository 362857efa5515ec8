"""argparse's own words follow the chosen language; outside the command line it is untouched."""

from __future__ import annotations

import argparse

import pytest

from tui.cli import main
from tui.commands.argparse_words import WORDS, speaking
from tui.core.i18n.catalogue import text


def test_every_argparse_word_is_in_the_catalogue_and_english_is_argparse_s_own() -> None:
    for msgid, key in WORDS.items():
        assert text(f"cli.argparse.{key}", "en") == msgid
        zh = text(f"cli.argparse.{key}", "zh-CN")
        assert zh != msgid and any("\u4e00" <= ch <= "\u9fff" for ch in zh), key


def test_chinese_help_has_no_argparse_english(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--lang", "zh-CN", "check", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "选项" in out and "显示这份帮助并退出" in out
    for english in ("usage:", "options:", "show this help message"):
        assert english not in out


def test_chinese_usage_errors_say_what_is_wrong_in_chinese(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "zh-CN", "profile"])
    err = capsys.readouterr().err
    assert "缺少必需的参数" in err and "the following arguments" not in err
    with pytest.raises(SystemExit):
        main(["--lang", "zh-CN", "profile", "edit", "work", "--stream", "maybe"])
    err = capsys.readouterr().err
    assert "无效的选择" in err and "invalid choice" not in err
    with pytest.raises(SystemExit):  # a command's place: our own words (test_cli_typo.py)
        main(["--lang", "zh-CN", "bogus-command"])
    err = capsys.readouterr().err
    assert "没有“bogus-command”这个命令" in err and "invalid choice" not in err


def test_english_is_unchanged_and_argparse_is_restored(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "check", "--help"])
    assert capsys.readouterr().out.startswith("usage: ")
    with speaking("zh-CN"):
        assert argparse._("usage: ") == "用法："  # type: ignore[attr-defined]
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_the_version_option_is_described_in_chinese(capsys):
    """Python 3.11 gives --version an English help text that gettext never sees."""
    import pytest

    from tui import cli

    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh-CN", "--help"])
    out = capsys.readouterr().out
    assert "show program's version number" not in out and "显示版本号并退出" in out
