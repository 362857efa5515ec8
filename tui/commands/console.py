"""``gateway-doctor`` with no subcommand: open the console for the active target.

The target comes from flags, else the environment (``OPENAI_BASE_URL``,
``OPENAI_API_KEY``), else the active profile. With nothing configured the
console says what is missing and offers the demo. Textual is imported only
when the console actually opens, so the headless commands stay fast.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from typing import Any

from tui.core.i18n.catalogue import text

MAX_TIMEOUT = 600.0
DEFAULT_TIMEOUT = 15.0


def timeout_seconds(value: str, lang: str = "en") -> float:
    """argparse type for ``--timeout`` (console, demo and check share it)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            text("cli.opt.timeout_not_number", lang, value=value)
        ) from None
    if not 0 < number <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            text("cli.opt.timeout_range", lang, max=MAX_TIMEOUT, value=value)
        )
    return number


def timeout_type(lang: str) -> Callable[[str], float]:
    """:func:`timeout_seconds` with its errors in ``lang``."""

    def timeout(value: str) -> float:
        return timeout_seconds(value, lang)

    return timeout


def add_console_flags(
    parser: argparse.ArgumentParser, suppress: bool = False, lang: str = "en"
) -> None:
    """``--lang``/``--theme``/``--timeout``; ``suppress`` keeps top-level values (subcommands)."""
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument("--lang", default=default, metavar="LANG", help=text("cli.opt.lang", lang))
    parser.add_argument(
        "--theme", default=default, metavar="THEME", help=text("cli.opt.theme", lang)
    )
    parser.add_argument(
        "--timeout",
        default=default,
        type=timeout_type(lang),
        metavar="SECONDS",
        help=text("cli.opt.timeout", lang, default=DEFAULT_TIMEOUT),
    )


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    """Top-level flags of ``gateway-doctor`` (the console)."""
    from tui.core.diagnosis.model import ALLTKN_BASE_URL, DEFAULT_MODEL

    def h(part: str, **params: object) -> str:
        return text(f"cli.opt.{part}", lang, **params)

    parser.add_argument("--base-url", metavar="URL", help=h("base_url", example=ALLTKN_BASE_URL))
    parser.add_argument("--model", metavar="MODEL", help=h("model", model=DEFAULT_MODEL))
    parser.add_argument("--profile", metavar="NAME", help=h("profile"))
    parser.add_argument("--proxy", metavar="URL", help=h("proxy"))
    parser.add_argument("--ca-bundle", metavar="FILE", help=h("ca_bundle"))
    parser.add_argument("--insecure", action="store_true", help=h("insecure"))
    parser.add_argument("--api-key-stdin", action="store_true", help=h("key_stdin"))
    add_console_flags(parser, lang=lang)


def theme_name(value: str | None) -> str | None:
    """``dark``/``light`` → Textual theme names; others pass through."""
    return {"dark": "textual-dark", "light": "textual-light"}.get(value or "", value)


CHECK_COMMAND = "gateway-doctor check"  # not-ui-text: a command name


def needs_terminal(lang: str = "en", instead: str = CHECK_COMMAND) -> str | None:
    """A message when stdin/stdout is not a terminal (naming the command to use
    ``instead``), else None."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return None
    return (
        text("cli.console.needs_terminal", lang)
        + "\n"
        + text("cli.console.use_instead", lang, command=instead)
        + "\n"
    )


def run(args: argparse.Namespace) -> int:
    """Open the console. The garbage collector is paused while it is imported and built
    (~40 ms of a ~360 ms start: importing makes no garbage worth collecting); the console
    turns it back on after its first frame (tui/ui/app.py), and so does every way out."""
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    from tui.core.i18n import detect_lang
    from tui.core.setup.target import resolve_target

    lang = detect_lang(getattr(args, "lang", None))
    stdin_key = None
    if getattr(args, "api_key_stdin", False):
        stdin_key, problem = read_stdin_key(lang)
        if problem:
            sys.stderr.write(problem)
            return 2
    problem = needs_terminal(lang)
    if problem:
        sys.stderr.write(problem)
        return 2
    kwargs: dict[str, Any] = {
        "base_url": getattr(args, "base_url", None),
        "model": getattr(args, "model", None),
        "profile": getattr(args, "profile", None),
        "timeout": getattr(args, "timeout", None),
        "proxy": getattr(args, "proxy", None),
        "ca_bundle": getattr(args, "ca_bundle", None),
        "insecure": bool(getattr(args, "insecure", False)),
    }
    resolved = resolve_target(**kwargs, stdin_key=stdin_key)
    if kwargs["ca_bundle"] and resolved.target.ca_bundle is None:
        from tui.core.safe.masking import mask
        from tui.core.safe.terminal import terminal_safe

        path = terminal_safe(mask(str(kwargs["ca_bundle"])))
        sys.stderr.write(text("cli.console.no_ca_bundle", lang, path=path) + "\n")
        return 2
    # The first checks start now, in a child process on the other core, while Textual
    # is imported and the console built (tui/core/diagnosis/child_run.py).
    child = None
    if len(resolved.missing) < 2:
        from tui.core.diagnosis.child_run import start_child_run

        child = start_child_run(resolved.target)
    from tui.core.setup.profiles import ConfigError, list_profiles
    from tui.ui.app import GatewayDoctorApp

    try:
        first_run = not list_profiles()
    except ConfigError:
        first_run = False  # a broken config file is reported, never replaced by a wizard

    app = GatewayDoctorApp(
        resolved.target,
        sources=resolved.sources,
        problems=resolved.problems,
        # no --lang: the language chosen in the console last time, else the environment's
        lang=lang if getattr(args, "lang", None) else None,
        theme=theme_name(getattr(args, "theme", None)),
        resolve_kwargs={k: v for k, v in kwargs.items() if v is not None},
        first_run=first_run,
        child_run=child,
    )
    if stdin_key:  # kept if the session switches profile and back
        app.session_keys[resolved.target.profile or ""] = stdin_key
    try:
        app.run()
    finally:
        if child is not None:  # not taken (the console could not start), or done
            child.cancel()
    return int(app.return_code or 0)


#: a key is short; a pipe that never ends is not a key
MAX_STDIN_KEY = 64 * 1024


def read_stdin_key(lang: str = "en") -> tuple[str | None, str | None]:
    """``--api-key-stdin``: the key, or a message. From a pipe, then stdin is
    reattached to the terminal (``/dev/tty``) so the console can read the keyboard;
    from a terminal, a hidden prompt."""
    import getpass
    import os

    from tui.core.setup.keys import normalise_key

    try:
        if sys.stdin is not None and sys.stdin.isatty():
            typed = getpass.getpass(text("cli.console.key_prompt", lang), stream=sys.stderr)
        elif sys.stdin is not None:
            data = sys.stdin.read(MAX_STDIN_KEY)
            lines = [ln for ln in data.splitlines() if ln.strip()]
            typed = lines[0] if len(lines) == 1 else data.strip("\r\n")
            tty = os.open("/dev/tty", os.O_RDWR)
            try:
                os.dup2(tty, 0)
            finally:
                os.close(tty)
        else:
            typed = ""
    except (OSError, EOFError, KeyboardInterrupt):
        return None, text("cli.console.key_no_terminal", lang) + "\n"
    try:
        return normalise_key(typed), None
    except ValueError as exc:
        from tui.commands import error_text

        return None, text("cli.console.key_invalid", lang, problem=error_text(exc, lang)) + "\n"
