"""Help headings end with the language's colon: "选项：" in Chinese (argparse's
HelpFormatter writes "%s:" itself, out of gettext's reach on Python 3.11), "options:"
in English as argparse writes it."""

from __future__ import annotations

import re

import pytest

from tui import cli
from tui.commands.argparse_words import speaking

#: A section heading: at the line's start, ends with a colon (ASCII or full-width).
HEADING = re.compile(r"^(\S[^\n]*?)([:：])$", re.MULTILINE)


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


def test_chinese_top_level_help_headings_end_with_a_full_width_colon(capsys):
    out = _help(["--lang", "zh", "--help"], capsys)
    assert "\n位置参数：\n" in out and "\n选项：\n" in out
    assert "位置参数:" not in out and "选项:" not in out


def test_chinese_subcommand_help_too(capsys):
    out = _help(["--lang", "zh-CN", "check", "--help"], capsys)
    assert "\n选项：\n" in out and "选项:" not in out
    out = _help(["--lang", "zh-CN", "profile", "add", "--help"], capsys)
    assert "\n位置参数：\n" in out and "\n选项：\n" in out


def test_every_parser_s_chinese_help_has_full_width_headings():
    with speaking("zh-CN"):
        parsers = cli._parsers(cli.build_parser("zh-CN"))
        helps = {p.prog: p.format_help() for p in parsers}
    assert len(helps) > len(cli.SUBCOMMANDS)  # nested actions (profile add, key set…) too
    for prog, out in helps.items():
        headings = HEADING.findall(out)
        assert headings, prog
        assert all(colon == "：" for _, colon in headings), (prog, headings)
        assert "选项" in {name for name, _ in headings}, prog


def test_english_help_headings_are_argparse_s_own(capsys):
    out = _help(["--lang", "en", "--help"], capsys)
    assert "\npositional arguments:\n" in out and "\noptions:\n" in out and "：" not in out
    with speaking("en"):
        parsers = cli._parsers(cli.build_parser("en"))
        helps = [p.format_help() for p in parsers]
    for out in helps:
        assert all(colon == ":" for _, colon in HEADING.findall(out))
