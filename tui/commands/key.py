"""``gateway-doctor key set|delete|status [--profile NAME]``.

``set`` reads the key from a hidden prompt, or from stdin when stdin is not a
terminal; never from the command line, where it would stay in shell history
and show up in ``ps``. ``status`` shows only the masked key and where it is.
"""

from __future__ import annotations

import argparse
import os
import sys

from tui.commands import error_text, say
from tui.core.i18n import detect_lang
from tui.core.i18n.catalogue import render, text
from tui.core.i18n.width import cell_width, pad

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

_WHERE = {
    "keyring": "cli.common.where_keyring",
    "none": "cli.common.where_none",
    "unavailable": "cli.common.where_unavailable",
}


def _t(key: str, lang: str, **kw: object) -> str:
    """Message ``cli.key.<key>``, masked: the names filled in are typed by the user (a
    pasted key, say)."""
    from tui.core.safe.masking import mask

    return mask(text(f"cli.key.{key}", lang, **kw))


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    parser.add_argument("--lang", default=argparse.SUPPRESS, help=text("cli.common.lang", lang))
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    for name in ("set", "delete", "status"):
        sp = sub.add_parser(name, help=text(f"cli.key.{name}", lang))
        sp.add_argument("--profile", help=text("cli.key.opt_profile", lang))
        if name == "set":
            # Caught only to refuse it clearly (argparse would echo the key back).
            sp.add_argument("key_on_argv", nargs="*", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    """Run one key action; never a traceback, never a full key in the output."""
    from tui.core.setup.config import ConfigError
    from tui.core.setup.keys import KeyStoreError

    lang = detect_lang(getattr(args, "lang", None))
    try:
        if getattr(args, "action", None) == "set" and args.key_on_argv:
            from tui.core.safe.masking import register_secret

            for word in args.key_on_argv:
                register_secret(word)
            say(_t("argv", lang), err=True)
            return EXIT_USAGE
        name = _profile_name(args, lang)
        if name is None:
            return EXIT_ERROR
        if args.action in ("set", "delete"):
            from tui.core.setup.keys import backend_info, unavailable_help

            info = backend_info()
            if not info.available:  # say so before asking for a key, in the user's language
                reason = render(info.reason, lang) or text("cli.key.unknown_reason", lang)
                if args.action == "delete":
                    say(_t("nothing_to_delete", lang, reason=reason, name=name))
                    return EXIT_OK
                say(render(unavailable_help(reason, lang), lang), err=True)
                return EXIT_ERROR
        if args.action == "set":
            return _set(name, lang)
        if args.action == "delete":
            return _delete(name, lang)
        return _status(name, lang)
    except (ConfigError, KeyStoreError, ValueError) as exc:
        say(text("cli.common.error", lang, problem=error_text(exc, lang)), err=True)
        return getattr(exc, "exit_code", EXIT_ERROR)  # 2: the config file itself is unusable


def _profile_name(args: argparse.Namespace, lang: str) -> str | None:
    from tui.core.safe.masking import mask
    from tui.core.setup.profiles import active_profile_name, load_profile

    name = args.profile or active_profile_name()
    if not name:
        say(_t("no_profile", lang), err=True)
        return None
    if load_profile(name) is None:
        say(mask(text("cli.common.no_profile_named", lang, name=name)), err=True)
        return None
    return name


def _read_key(name: str, lang: str) -> str | None:
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        try:
            return getpass.getpass(_t("prompt", lang, name=name))
        except EOFError:
            return None
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line or None


def _set(name: str, lang: str) -> int:
    from tui.core.safe.masking import mask_key, register_secret
    from tui.core.setup.keys import backend_info, normalise_key, set_key

    key = _read_key(name, lang)
    if key is None or not key.strip():
        say(_t("empty_stdin", lang), err=True)
        return EXIT_ERROR
    register_secret(key)
    set_key(name, key)
    stored = normalise_key(key)
    say(_t("stored", lang, masked=mask_key(stored), name=name, backend=backend_info().name))
    return EXIT_OK


def _delete(name: str, lang: str) -> int:
    from tui.core.setup.keys import delete_key

    if delete_key(name):
        say(_t("deleted", lang, name=name))
    else:
        say(_t("no_stored", lang, name=name))
    return EXIT_OK


def _status(name: str, lang: str) -> int:
    from tui.core.safe.masking import mask_key
    from tui.core.setup.keys import backend_info, get_key, unavailable_help

    found = get_key(name)
    info = backend_info()
    where = text(_WHERE.get(found.source, "cli.common.where_none"), lang, backend=info.name)
    labels = [_t(f"label.{part}", lang) for part in ("profile", "key", "where")]
    width = max(cell_width(lbl) for lbl in labels) + 1
    for label, value in zip(labels, (name, found.masked, where), strict=True):
        say(pad(label, width) + str(value))
    if found.source == "unavailable" and not info.available:
        say(render(unavailable_help(info.reason, lang, action="status"), lang))
    elif found.error:
        say(render(found.error, lang))
    env_key = os.environ.get("GATEWAY_DOCTOR_API_KEY", "").strip()
    if env_key:
        say(_t("env_set", lang, masked=mask_key(env_key)))
    return EXIT_OK
