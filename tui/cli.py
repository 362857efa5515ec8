"""Command-line entry point: dispatches to subcommands, imported lazily.

Each subcommand module exposes ``add_arguments(parser)`` and ``run(args) -> int``
and must not import textual at module level, so that ``gateway-doctor check``
stays fast and works where no terminal UI could.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tui import __version__
from tui.commands.argparse_words import help_formatter, speaking
from tui.core.i18n import detect_lang, normalize_lang
from tui.core.i18n.catalogue import text

#: subcommand -> (module, catalogue id of its one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "check": ("tui.commands.check", "cli.cmd.check"),
    "demo": ("tui.commands.demo", "cli.cmd.demo"),
    "demo-gateway": ("tui.demo.cli", "cli.cmd.demo_gateway"),
    "profile": ("tui.commands.profile", "cli.cmd.profile"),
    "key": ("tui.commands.key", "cli.cmd.key"),
    "models": ("tui.commands.models", "cli.cmd.models"),
    "history": ("tui.commands.history", "history.cli.cmd"),
    "watch": ("tui.commands.watch", "history.cli.watch_cmd"),
    "trial": ("tui.commands.trial", "trial.cli.cmd"),
}

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a one-line hint, never a traceback.

    ``lang`` (set on every parser by :func:`build_parser`) is the language of our
    own words around argparse's message.
    """

    lang = "en"

    def error(self, message: str) -> None:  # type: ignore[override]
        from tui.core.safe.masking import mask  # argparse echoes stray words: one may be a key

        message = mask(message)
        self.print_usage(sys.stderr)
        sys.stderr.write(text("cli.error", self.lang, prog=self.prog, message=message) + "\n")
        sys.stderr.write(text("cli.try_help", self.lang, prog=self.prog) + "\n")
        raise SystemExit(EXIT_USAGE)

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """A word in a subcommand's place that names none (``gateway-doctor chek``) is
        refused in a few lines of our own, not argparse's usage and choice list."""
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            self.not_a_command(str(value), list(action.choices))
        super()._check_value(action, value)

    def not_a_command(self, word: str, commands: list[str]) -> None:
        """Say ``word`` is not a command, the closest one (if any is close), the list of
        them, and leave with 2. difflib is imported only here (check's start stays lean)."""
        import difflib

        from tui.core.safe.masking import mask  # the word may be a pasted key
        from tui.core.safe.terminal import terminal_safe

        near = difflib.get_close_matches(word, commands, n=1)
        said = mask(word)
        first = (
            text("cli.not_a_command_near", self.lang, prog=self.prog, word=said, command=near[0])
            if near
            else text("cli.not_a_command", self.lang, prog=self.prog, word=said)
        )
        names = text("cli.command_sep", self.lang).join(commands)
        sys.stderr.write(terminal_safe(first) + "\n")
        sys.stderr.write(text("cli.commands", self.lang, names=names) + "\n")
        sys.stderr.write(text("cli.try_help", self.lang, prog=self.prog) + "\n")
        raise SystemExit(EXIT_USAGE)


def argv_lang(argv: Sequence[str]) -> str:
    """The language asked for: ``--lang X`` / ``--lang=X`` anywhere before ``--``, else
    the locale. Known before parsing, so the help and usage errors use it too."""
    explicit = None
    words = list(argv)
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(words):
            explicit = words[i + 1]
        elif word.startswith("--lang="):
            explicit = word.partition("=")[2]
    return detect_lang(explicit if normalize_lang(explicit) else None)


def build_parser(lang: str = "en", argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given ``argv``, only the subcommands named in it get their
    options (the others only their name and help line, all the top-level help shows).

    Importing every subcommand's module and building its options took ~45 ms of each
    start, 1/6 of ``check``'s time to its first request (issue 14).
    """
    named = None if argv is None else set(argv)  # a word after "--" may name one too
    parser = _Parser(prog="gateway-doctor", description=text("cli.description", lang))
    parser.add_argument(
        "--version",
        action="version",
        version=f"gateway-doctor {__version__}",
        help=text("cli.argparse.version", lang),  # 3.11 fixes this default in English
    )
    console = importlib.import_module("tui.commands.console")
    console.add_arguments(parser, lang)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module, help_id) in SUBCOMMANDS.items():
        help_text = text(help_id, lang)
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if named is None or name in named:
            importlib.import_module(module).add_arguments(sp, lang)
    top = {
        a.dest for a in parser._actions if a.option_strings and a.dest not in ("help", "version")
    }
    _keep_top_level_values(sub, top)
    formatter = help_formatter(lang)  # Chinese headings end with "："
    for each in _parsers(parser):
        each.lang = lang  # type: ignore[attr-defined]
        each.formatter_class = formatter
    return parser


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``parser`` and every subcommand parser under it."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sp in dict.fromkeys(action.choices.values()):
                found += _parsers(sp)
    return found


def _keep_top_level_values(sub: argparse._SubParsersAction, dests: set[str]) -> None:
    """``gateway-doctor --base-url X check`` must check X.

    argparse lets a subcommand's defaults overwrite values already parsed from
    the top-level flags of the same name, so a flag placed before the
    subcommand was silently dropped (``check`` went to the default gateway).
    A subcommand flag not given now leaves the top-level value in place; one
    given after the subcommand still wins.
    """
    for sp in set(sub.choices.values()):
        for action in sp._actions:
            if isinstance(action, argparse._SubParsersAction):
                _keep_top_level_values(action, dests)
            elif action.option_strings and action.dest in dests:
                action.default = argparse.SUPPRESS


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever happens, leave with stdout flushed or silenced."""
    try:
        return _main(argv)
    except BrokenPipeError:  # argparse's usage/help into a closed pipe, say
        _silence(sys.stdout)
        _silence(sys.stderr)
        return 0
    except KeyboardInterrupt:  # Ctrl-C before the command ran (building the parser)
        try:
            words = sys.argv[1:] if argv is None else list(argv)
            sys.stderr.write(text("cli.interrupted", argv_lang(words)) + "\n")
        except (Exception, KeyboardInterrupt):  # noqa: BLE001 - a second Ctrl-C: just leave
            pass
        return 130
    finally:
        _flush_stdout()


def _main(argv: Sequence[str] | None) -> int:
    _replace_unencodable()
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = argv_lang(argv)
    with speaking(lang):  # argparse's own words too ("usage:", "options" …)
        parser = build_parser(lang, argv)
        args = _parse(parser, argv, lang)
    from tui.core.setup.logs import setup_logging  # GATEWAY_DOCTOR_LOG=path|1: masked log file

    setup_logging()
    command = getattr(args, "command", None)
    module = SUBCOMMANDS[command][0] if command else "tui.commands.console"
    try:
        return int(importlib.import_module(module).run(args) or 0)
    except BrokenPipeError:
        # Output piped into `head` and the like: the reader left, nothing is wrong.
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        sys.stderr.write(text("cli.interrupted", lang) + "\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a masked report, never a raw traceback
        if _interrupted(exc):  # Ctrl-C inside an import Python wrapped (a class body)
            sys.stderr.write(text("cli.interrupted", lang) + "\n")
            return 130
        from tui.core.setup.crash import save_crash_report, short_crash_message

        sys.stderr.write(short_crash_message(exc, save_crash_report(exc), lang) + "\n")
        return 70


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str], lang: str) -> argparse.Namespace:
    """Parse; a word no parser knows is reported with the usage of the subcommand it
    followed (``check --foo`` shows ``check``'s usage, not the top-level one)."""
    args, extras = parser.parse_known_args(argv)
    if extras:
        command = getattr(args, "command", None)
        owner = _subparser(parser, command) if command else None
        (owner or parser).error(text("cli.unrecognized", lang, args=" ".join(extras)))
    return args


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(name)
    return None


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` was caused by Ctrl-C: Python 3.11 wraps an interrupt raised while
    a class is created (Textual's ``Input``, imported by the console) in a RuntimeError."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _replace_unencodable() -> None:
    """Last net: a character stdout/stderr cannot encode (a lone surrogate, or
    Chinese on an ASCII locale) is written as an escape instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # closed, or not a text wrapper after all
                pass


def _flush_stdout() -> None:
    """Flush now, inside a try: a pipe closed early (``| head``, ``| true``) would
    otherwise fail in the interpreter's own final flush ("Exception ignored ...
    BrokenPipeError", exit 120) after every command, ``--help`` included."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:
            _silence(stream)
        except (OSError, ValueError):  # closed or unusable: nothing more to say
            pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    _silence(sys.stdout)


def _silence(stream: object) -> None:
    """Point ``stream``'s file descriptor at /dev/null (its reader has gone)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
