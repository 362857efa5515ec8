"""The command line builds only the subcommands named on it (issue 14: importing and
building all nine took ~45 ms of every start), and says the same as before."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui import cli

OTHERS = ("tui.commands.profile", "tui.commands.key", "tui.commands.models",
          "tui.commands.history", "tui.commands.watch", "tui.commands.trial",
          "tui.commands.demo", "tui.demo.cli")  # fmt: skip


def modules_after_parsing(*argv: str) -> set[str]:
    code = (
        "import sys; from tui import cli; "
        f"cli._parse(cli.build_parser('en', {list(argv)!r}), {list(argv)!r}, 'en'); "
        "print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(out.stdout.split())


@pytest.mark.parametrize("argv", [["--base-url", "http://127.0.0.1:9/v1"], ["check"]])
def test_the_other_subcommands_are_not_imported(argv):
    loaded = modules_after_parsing(*argv)
    assert not loaded & set(OTHERS), sorted(loaded & set(OTHERS))


def test_the_top_level_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit):
        cli._parse(cli.build_parser("en", ["--help"]), ["--help"], "en")
    out = capsys.readouterr().out
    for name in cli.SUBCOMMANDS:
        assert f"    {name} " in out or f"    {name}\n" in out, name


@pytest.mark.parametrize("name", sorted(cli.SUBCOMMANDS))
def test_a_subcommand_parses_as_with_the_whole_parser(name, capsys):
    argv = [name, "--help"]
    with pytest.raises(SystemExit):
        cli._parse(cli.build_parser("en", argv), argv, "en")
    lazy = capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli._parse(cli.build_parser("en"), argv, "en")
    assert lazy == capsys.readouterr().out
    assert "--" in lazy  # its own options are there


def test_a_subcommand_named_after_its_options_still_gets_them():
    args = cli._parse(
        cli.build_parser("en", ["--base-url", "http://x/v1", "check", "--json"]),
        ["--base-url", "http://x/v1", "check", "--json"],
        "en",
    )
    assert args.command == "check" and args.json and args.base_url == "http://x/v1"


def test_an_unknown_subcommand_word_is_still_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli._parse(cli.build_parser("en", ["chek"]), ["chek"], "en")
    assert exit_.value.code == 2
