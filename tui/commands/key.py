"""``gateway-doctor key set|delete|status [--profile NAME]``.

``set`` reads the key from a hidden prompt, or from stdin when stdin is not a
terminal; never from the command line, where it would stay in shell history
and show up in ``ps``. ``status`` shows only the masked key and where it is.
"""

from __future__ import annotations

import argparse
import os
import sys

from tui.commands import say
from tui.core.i18n import detect_lang, pick, translate

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

_T = {
    "prompt": {
        "en": "API key for profile '{name}' (input hidden): ",
        "zh-CN": "配置 '{name}' 的 API 密钥（输入不显示）：",
    },
    "argv": {
        "en": "Never put a key on the command line (it stays in shell history and is visible "
        "in ps). Run 'gateway-doctor key set' and paste it at the hidden prompt, or pipe it: "
        "pass show gw | gateway-doctor key set",
        "zh-CN": "不要在命令行中写密钥（会留在 shell 历史中，且 ps 可见）。请运行 "
        "'gateway-doctor key set' 在隐藏提示处粘贴，或通过管道传入。",
    },
    "empty_stdin": {
        "en": "No key on standard input. Pipe the key in, or run in a terminal to be prompted.",
        "zh-CN": "标准输入中没有密钥。请通过管道传入，或在终端中运行以便提示输入。",
    },
    "stored": {
        "en": "Key {masked} stored for profile '{name}' in the OS keyring ({backend}).",
        "zh-CN": "已将密钥 {masked} 保存到系统密钥环（{backend}），配置：'{name}'。",
    },
    "deleted": {
        "en": "Key for profile '{name}' deleted from the OS keyring.",
        "zh-CN": "已从系统密钥环删除配置 '{name}' 的密钥。",
    },
    "no_stored": {
        "en": "No key stored for profile '{name}'.",
        "zh-CN": "配置 '{name}' 没有保存的密钥。",
    },
    "no_profile": {
        "en": "No profile to use. Create one first: gateway-doctor profile add work --preset "
        "alltkn (or pass --profile NAME).",
        "zh-CN": "没有可用的配置。请先创建：gateway-doctor profile add work --preset alltkn"
        "（或使用 --profile NAME）。",
    },
    "unknown_profile": {
        "en": "No profile named '{name}'. See 'gateway-doctor profile list'.",
        "zh-CN": "找不到配置 '{name}'。请查看 'gateway-doctor profile list'。",
    },
    "nothing_to_delete": {
        "en": "This system has no OS keyring ({reason}), so no key can be stored for profile "
        "'{name}': there is nothing to delete.",
        "zh-CN": "本机没有系统密钥环（{reason}），配置 '{name}' 不可能保存过密钥，无需删除。",
    },
    "env_set": {
        "en": "Note: GATEWAY_DOCTOR_API_KEY is set ({masked}) and is used instead of the keyring.",
        "zh-CN": "注意：已设置 GATEWAY_DOCTOR_API_KEY（{masked}），将优先于密钥环使用。",
    },
}

_STATUS_LABELS = {
    "en": ("profile:", "key:", "where:"),
    "zh-CN": ("配置：", "密钥：", "位置："),
}

_WHERE = {
    "keyring": {"en": "OS keyring ({backend})", "zh-CN": "系统密钥环（{backend}）"},
    "none": {"en": "not stored", "zh-CN": "未保存"},
    "unavailable": {"en": "no keyring available", "zh-CN": "无可用密钥环"},
}


def _t(key: str, lang: str, **kw: str) -> str:
    """A message, masked: the names filled in are typed by the user (a pasted key, say)."""
    from tui.core.safe.masking import mask

    return mask(translate(_T, key, lang, **kw))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", default=argparse.SUPPRESS, help="en or zh-CN")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    for name, help_text in (
        ("set", "store a key (hidden prompt, or stdin when piped)"),
        ("delete", "remove the stored key"),
        ("status", "show the masked key and where it is stored"),
    ):
        sp = sub.add_parser(name, help=help_text)
        sp.add_argument("--profile", help="profile name (default: the active one)")
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
                reason = info.reason or "?"
                if args.action == "delete":
                    say(_t("nothing_to_delete", lang, reason=reason, name=name))
                    return EXIT_OK
                say(unavailable_help(reason, lang), err=True)
                return EXIT_ERROR
        if args.action == "set":
            return _set(name, lang)
        if args.action == "delete":
            return _delete(name, lang)
        return _status(name, lang)
    except (ConfigError, KeyStoreError, ValueError) as exc:
        say(f"error: {exc}", err=True)
        return getattr(exc, "exit_code", EXIT_ERROR)  # 2: the config file itself is unusable


def _profile_name(args: argparse.Namespace, lang: str) -> str | None:
    from tui.core.setup.profiles import active_profile_name, load_profile

    name = args.profile or active_profile_name()
    if not name:
        say(_t("no_profile", lang), err=True)
        return None
    if load_profile(name) is None:
        say(_t("unknown_profile", lang, name=name), err=True)
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
    where = pick(_WHERE[found.source], lang).format(backend=info.name)
    labels = _STATUS_LABELS.get(lang, _STATUS_LABELS["en"])
    width = max(len(lbl) for lbl in labels) + 1
    for label, value in zip(labels, (name, found.masked, where), strict=True):
        say(f"{label:<{width}}{value}")
    if found.source == "unavailable" and not info.available:
        say(unavailable_help(info.reason, lang))
    elif found.error:
        say(found.error)
    env_key = os.environ.get("GATEWAY_DOCTOR_API_KEY", "").strip()
    if env_key:
        say(_t("env_set", lang, masked=mask_key(env_key)))
    return EXIT_OK
