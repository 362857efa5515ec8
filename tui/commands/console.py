"""``gateway-doctor`` with no subcommand: open the console for the active target.

The target comes from flags, else the environment (``OPENAI_BASE_URL``,
``OPENAI_API_KEY``), else the active profile. With nothing configured the
console says what is missing and offers the demo. Textual is imported only
when the console actually opens, so the headless commands stay fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

MAX_TIMEOUT = 600.0


def timeout_seconds(text: str) -> float:
    """argparse type for ``--timeout`` (console, demo and check share it)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected seconds as a number, got {text!r} (e.g. --timeout 15)"
        ) from None
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"expected 0 < seconds <= {MAX_TIMEOUT:g}, got {text}")
    return value


def add_console_flags(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    """``--lang``/``--theme``/``--timeout``; ``suppress`` keeps top-level values (subcommands)."""
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--lang", default=default, metavar="LANG", help="en or zh-CN (default: from the locale)"
    )
    parser.add_argument(
        "--theme",
        default=default,
        metavar="THEME",
        help="dark or light (or any Textual theme name)",
    )
    parser.add_argument(
        "--timeout",
        default=default,
        type=timeout_seconds,
        metavar="SECONDS",
        help="per-request timeout in seconds (default 15)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Top-level flags of ``gateway-doctor`` (the console)."""
    parser.add_argument(
        "--base-url", metavar="URL", help="gateway API root, e.g. https://api.alltkn.com/api/v1"
    )
    parser.add_argument("--model", metavar="MODEL", help="model to test (default gpt-4o-mini)")
    parser.add_argument("--profile", metavar="NAME", help="saved profile to use")
    parser.add_argument("--proxy", metavar="URL", help="HTTP(S) proxy URL to use")
    parser.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="CA certificates (PEM) to trust instead of the system store; else SSL_CERT_FILE",
    )
    parser.add_argument(
        "--insecure", action="store_true", help="do not verify TLS certificates (diagnosis only)"
    )
    parser.add_argument(
        "--api-key-stdin",
        action="store_true",
        help="read the API key from standard input, for this session only (never saved; "
        "works without a keyring)",
    )
    add_console_flags(parser)


def theme_name(value: str | None) -> str | None:
    """``dark``/``light`` → Textual theme names; others pass through."""
    return {"dark": "textual-dark", "light": "textual-light"}.get(value or "", value)


def needs_terminal() -> str | None:
    """A message when stdin/stdout is not a terminal, else None."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return None
    return (
        "gateway-doctor: the console needs an interactive terminal.\n"
        "For scripts, SSH without a TTY or CI use: gateway-doctor check  (add --json for machines)\n"
    )


def run(args: argparse.Namespace) -> int:
    from tui.core.i18n import detect_lang
    from tui.core.setup.target import resolve_target

    stdin_key = None
    if getattr(args, "api_key_stdin", False):
        stdin_key, problem = read_stdin_key()
        if problem:
            sys.stderr.write(problem)
            return 2
    problem = needs_terminal()
    if problem:
        sys.stderr.write(problem)
        return 2
    kwargs = {
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
        sys.stderr.write(f"gateway-doctor: --ca-bundle: no such file: {path}\n")
        return 2
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
        lang=detect_lang(getattr(args, "lang", None)),
        theme=theme_name(getattr(args, "theme", None)),
        resolve_kwargs={k: v for k, v in kwargs.items() if v is not None},
        first_run=first_run,
    )
    if stdin_key:  # kept if the session switches profile and back
        app.session_keys[resolved.target.profile or ""] = stdin_key
    app.run()
    return int(app.return_code or 0)


#: a key is short; a pipe that never ends is not a key
MAX_STDIN_KEY = 64 * 1024


def read_stdin_key() -> tuple[str | None, str | None]:
    """``--api-key-stdin``: the key, or a message. From a pipe, then stdin is
    reattached to the terminal (``/dev/tty``) so the console can read the keyboard;
    from a terminal, a hidden prompt."""
    import getpass
    import os

    from tui.core.setup.keys import normalise_key

    try:
        if sys.stdin is not None and sys.stdin.isatty():
            text = getpass.getpass("API key (hidden; this session only): ", stream=sys.stderr)
        elif sys.stdin is not None:
            data = sys.stdin.read(MAX_STDIN_KEY)
            lines = [ln for ln in data.splitlines() if ln.strip()]
            text = lines[0] if len(lines) == 1 else data.strip("\r\n")
            tty = os.open("/dev/tty", os.O_RDWR)
            try:
                os.dup2(tty, 0)
            finally:
                os.close(tty)
        else:
            text = ""
    except (OSError, EOFError, KeyboardInterrupt):
        return None, (
            "gateway-doctor: --api-key-stdin: the console needs a terminal to type in, and "
            "there is none here. For scripts use: gateway-doctor check --api-key-stdin\n"
        )
    try:
        return normalise_key(text), None
    except ValueError as exc:
        return None, f"gateway-doctor: --api-key-stdin: {exc}\n"
