"""``gateway-doctor profile list|add|edit|remove|use|show|import-chatbox``."""

from __future__ import annotations

import argparse
import sys

from tui.commands import say, say_json
from tui.core.i18n import detect_lang, translate

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

_T = {
    "none": {
        "en": "No profiles yet. Create one: gateway-doctor profile add work --preset alltkn",
        "zh-CN": "还没有配置。创建一个：gateway-doctor profile add work --preset alltkn",
    },
    "added": {"en": "Profile '{name}' saved.", "zh-CN": "已保存配置 '{name}'。"},
    "key_hint": {
        "en": "Store its key (hidden prompt): gateway-doctor key set --profile {name}",
        "zh-CN": "保存其密钥（隐藏输入）：gateway-doctor key set --profile {name}",
    },
    "key_hint_no_keyring": {
        "en": "This system has no OS keyring, so the key cannot be stored here. Give it to "
        "gateway-doctor with GATEWAY_DOCTOR_API_KEY, or pipe it: "
        "`pass show gw | gateway-doctor check --profile {name} --api-key-stdin`",
        "zh-CN": "本机没有系统密钥环，无法在此保存密钥。请通过环境变量 GATEWAY_DOCTOR_API_KEY 提供，"
        "或用管道传入：`pass show gw | gateway-doctor check --profile {name} --api-key-stdin`",
    },
    "removed": {"en": "Profile '{name}' removed.", "zh-CN": "已删除配置 '{name}'。"},
    "active": {"en": "Active profile: {name}", "zh-CN": "当前配置：{name}"},
    "no_active": {
        "en": "No active profile. Pick one: gateway-doctor profile use NAME",
        "zh-CN": "没有当前配置。请选择：gateway-doctor profile use NAME",
    },
    "unknown_preset": {
        "en": "Unknown preset '{preset}'. Choose one of: {ids}",
        "zh-CN": "未知预设 '{preset}'。可选：{ids}",
    },
    "nothing": {
        "en": "Nothing to change: give at least one option (e.g. --model NAME).",
        "zh-CN": "没有要修改的内容：请至少给出一个选项（如 --model NAME）。",
    },
    "imported": {
        "en": "Imported from {path}:",
        "zh-CN": "已从 {path} 导入：",
    },
    "skipped": {"en": "Skipped:", "zh-CN": "已跳过："},
    "key_not_stored": {"en": "key NOT stored: no keyring", "zh-CN": "密钥未保存：无密钥环"},
    "keys_not_stored": {
        "en": "{n} key(s) could not be stored: this system has no OS keyring. The profiles "
        "are saved. Give the key with GATEWAY_DOCTOR_API_KEY (in your shell profile), press k "
        "in the console, or install a keyring backend (headless Linux: pip install keyrings.alt, "
        "which keeps keys in a file in your home directory, not encrypted by the OS).",
        "zh-CN": "有 {n} 个密钥无法保存：本机没有系统密钥环。配置已保存。请通过环境变量 "
        "GATEWAY_DOCTOR_API_KEY（写入 shell 配置文件）提供密钥，或在控制台按 k 输入，"
        "或安装密钥环后端（无图形界面的 Linux：pip install keyrings.alt，"
        "它把密钥存放在主目录下的文件中，不受系统加密保护）。",
    },
    "nothing_imported": {
        "en": "No OpenAI-compatible provider with an address or key was found.",
        "zh-CN": "没有找到填写了地址或密钥的 OpenAI 兼容服务商。",
    },
}


_LABELS = {
    "en": ("Name", "Base URL", "Model", "Proxy", "CA bundle", "Client", "Key"),
    "zh-CN": ("名称", "基础地址", "模型", "代理", "CA 证书", "客户端", "密钥"),
}
_WHERE = {
    "en": {"keyring": "OS keyring", "none": "not stored", "unavailable": "no keyring here"},
    "zh-CN": {"keyring": "系统密钥环", "none": "未保存", "unavailable": "此处无密钥环"},
}


def _t(key: str, lang: str, **kw: str) -> str:
    """A message, masked: the names filled in are typed by the user (a pasted key, say)."""
    from tui.core.safe.masking import mask

    return mask(translate(_T, key, lang, **kw))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", default=argparse.SUPPRESS, help="en or zh-CN")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    sp = sub.add_parser("list", help="list profiles (* = active)")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    for name, help_text in (("add", "create a profile"), ("edit", "change a profile")):
        sp = sub.add_parser(name, help=help_text)
        sp.add_argument("name")
        sp.add_argument("--preset", help="alltkn, openai, openrouter, deepseek, siliconflow, ...")
        sp.add_argument("--base-url", help="e.g. https://api.alltkn.com/api/v1")
        sp.add_argument("--model")
        sp.add_argument("--proxy", help="http://host:port ('' to clear)")
        sp.add_argument("--ca-bundle", help="PEM file with extra root certificates ('' to clear)")
        sp.add_argument("--client-label", help="which client the user has, e.g. Chatbox")
        sp.add_argument("--use", action="store_true", help="make it the active profile")
    sp = sub.add_parser("remove", help="delete a profile and its stored key")
    sp.add_argument("name")
    sp.add_argument("--keep-key", action="store_true", help="leave the key in the keyring")
    sp = sub.add_parser("use", help="make a profile the active one")
    sp.add_argument("name")
    sp = sub.add_parser("show", help="show a profile (the key only masked)")
    sp.add_argument("name", nargs="?")
    sp.add_argument("--json", action="store_true")
    sp = sub.add_parser("import-chatbox", help="turn Chatbox's providers into profiles")
    sp.add_argument("--from", dest="from_file", metavar="FILE", help="Chatbox config.json")
    sp.add_argument("--prefix", default="chatbox", help="profile name prefix (default chatbox)")
    sp.add_argument("--overwrite", action="store_true", help="replace same-named profiles")
    sp.add_argument("--dry-run", action="store_true", help="show what would be imported")


def run(args: argparse.Namespace) -> int:
    """Run one profile action; errors are one clear line on stderr, never a traceback."""
    from tui.core.setup.chatbox_import import ChatboxImportError
    from tui.core.setup.keys import KeyStoreError
    from tui.core.setup.profiles import ConfigError, ProfileError

    lang = detect_lang(getattr(args, "lang", None))
    action = getattr(args, "action", None)
    handler = _HANDLERS.get(action or "")
    if handler is None:
        sys.stderr.write(
            "usage: gateway-doctor profile {list,add,edit,remove,use,show,import-chatbox}\n"
        )
        return EXIT_USAGE
    try:
        return handler(args, lang)
    except (ConfigError, ProfileError, ChatboxImportError, KeyStoreError, ValueError) as exc:
        say(f"error: {exc}", err=True)
        return getattr(exc, "exit_code", EXIT_ERROR)  # 2: the file itself is unusable


def _list(args: argparse.Namespace, lang: str) -> int:
    from tui.core.setup.profiles import active_profile_name, list_profiles

    profiles = list_profiles()
    active = active_profile_name() if profiles else None
    if args.json:
        rows = [{**_as_dict(p), "active": p.name == active} for p in profiles]
        say_json(rows)
        return EXIT_OK
    if not profiles:
        say(_t("none", lang))
        return EXIT_OK
    width = max(len(p.name) for p in profiles)
    for p in profiles:
        mark = "*" if p.name == active else " "
        model = p.model or "-"
        say(f"{mark} {p.name:<{width}}  {p.base_url}  {model}")
    return EXIT_OK


def _as_dict(p: object) -> dict[str, object]:
    from dataclasses import asdict

    return asdict(p)  # type: ignore[call-overload]


def _fields_from(args: argparse.Namespace) -> dict[str, str]:
    out = {}
    for attr in ("base_url", "model", "proxy", "ca_bundle", "client_label"):
        v = getattr(args, attr, None)
        if v is not None:
            out[attr] = v
    return out


def _apply_preset(args: argparse.Namespace, fields: dict[str, str], lang: str) -> bool:
    """Fill base URL and model from ``--preset`` (flags win); False for an unknown preset."""
    from tui.core.setup.presets import get_preset, preset_ids

    if not args.preset:
        return True
    preset = get_preset(args.preset)
    if preset is None:
        say(_t("unknown_preset", lang, preset=args.preset, ids=", ".join(preset_ids())), err=True)
        return False
    fields.setdefault("base_url", preset.base_url)
    fields.setdefault("model", preset.default_model)
    return True


def _add(args: argparse.Namespace, lang: str) -> int:
    from tui.core.setup.profiles import Profile, add_profile

    fields = _fields_from(args)
    if not _apply_preset(args, fields, lang):
        return EXIT_USAGE
    if not args.preset and "base_url" not in fields:
        from tui.core.diagnosis.model import ALLTKN_BASE_URL, DEFAULT_MODEL

        fields["base_url"] = ALLTKN_BASE_URL
        fields.setdefault("model", DEFAULT_MODEL)
    for opt in ("proxy", "ca_bundle"):
        if fields.get(opt) == "":
            fields.pop(opt)
    add_profile(Profile(name=args.name, **fields), make_active=args.use)
    say(_t("added", lang, name=args.name.strip()))
    from tui.core.setup.keys import backend_info

    hint = "key_hint" if backend_info().available else "key_hint_no_keyring"
    say(_t(hint, lang, name=args.name.strip()))
    return EXIT_OK


def _edit(args: argparse.Namespace, lang: str) -> int:
    from tui.core.setup.profiles import edit_profile, set_active

    fields = _fields_from(args)
    if not _apply_preset(args, fields, lang):
        return EXIT_USAGE
    if not fields and not args.use:
        say(_t("nothing", lang), err=True)
        return EXIT_USAGE
    if fields:
        edit_profile(args.name, **fields)
    if args.use:
        set_active(args.name)
    say(_t("added", lang, name=args.name))
    return EXIT_OK


def _remove(args: argparse.Namespace, lang: str) -> int:
    from tui.core.setup.keys import KeyStoreError, delete_key
    from tui.core.setup.profiles import remove_profile

    remove_profile(args.name)
    say(_t("removed", lang, name=args.name))
    if not args.keep_key:
        try:
            delete_key(args.name)
        except KeyStoreError:
            pass  # no keyring: there is no stored key to remove
    return EXIT_OK


def _use(args: argparse.Namespace, lang: str) -> int:
    from tui.core.setup.profiles import set_active

    set_active(args.name)
    say(_t("active", lang, name=args.name))
    return EXIT_OK


def _show(args: argparse.Namespace, lang: str) -> int:
    from tui.core.setup.client_urls import preview_for_profile
    from tui.core.setup.keys import get_key
    from tui.core.setup.profiles import active_profile_name, load_profile

    name = args.name or active_profile_name()
    if not name:
        say(_t("no_active", lang), err=True)
        return EXIT_ERROR
    prof = load_profile(name)
    if prof is None:
        from tui.core.setup.profiles import ProfileError

        raise ProfileError(
            f"No profile named '{name}'. See 'gateway-doctor profile list'. / 找不到配置 '{name}'。"
        )
    key = get_key(prof.name)
    expected, rows = preview_for_profile(prof)
    if args.json:
        data = {
            **_as_dict(prof),
            "key": {"masked": key.masked, "source": key.source, "error": key.error},
            "request_url": expected,
            "clients": [{"client": r.client, "url": r.url, "warnings": r.warnings} for r in rows],
        }
        say_json(data)
        return EXIT_OK
    labels = _LABELS.get(lang, _LABELS["en"])
    where = _WHERE.get(lang, _WHERE["en"]).get(key.source, key.source)
    values = (
        prof.name,
        prof.base_url,
        prof.model or "-",
        prof.proxy or "-",
        prof.ca_bundle or "-",
        prof.client_label or "-",
        f"{key.masked} ({where})",
    )
    width = max(len(lbl) for lbl in labels) + 2
    for lbl, val in zip(labels, values, strict=True):
        say(f"{lbl + ':':<{width}}{val}")
    if prof.client_host:
        say(f"{'Client API Host:':<{width}}{prof.client_host}  path: {prof.client_path or '-'}")
    say()
    say("Request URL each client would build / 各客户端将请求的地址:")
    from tui.core.setup.client_urls import warning_text

    for r in rows:
        note = "; ".join(warning_text(w, lang, expected=expected) for w in r.warnings) or "ok"
        say(f"  {r.client:<14} {r.url}  [{note}]")
    return EXIT_OK


def _import_chatbox(args: argparse.Namespace, lang: str) -> int:
    from tui.core.setup.chatbox_import import import_chatbox

    result = import_chatbox(
        args.from_file, prefix=args.prefix, overwrite=args.overwrite, dry_run=args.dry_run
    )
    if not result.imported and not result.skipped:
        say(_t("nothing_imported", lang))
        return EXIT_OK
    say(_t("imported", lang, path=str(result.path)))
    no_keyring = 0
    for prof, note in result.imported:
        if note.startswith(_NOT_STORED) and "keyring" in note:
            # One line per profile; the why and the way out once, below.
            note, no_keyring = _t("key_not_stored", lang), no_keyring + 1
        say(f"  {prof.name}: {prof.base_url}  model={prof.model or '-'}  ({note})")
    if result.skipped:
        say(_t("skipped", lang))
        for what, why in result.skipped:
            say(f"  {what}: {why}")
    if no_keyring:
        say(_t("keys_not_stored", lang, n=no_keyring))
        return EXIT_ERROR  # the profiles exist, but they cannot work without their keys yet
    return EXIT_OK if result.imported or not result.skipped else EXIT_ERROR


_NOT_STORED = "key NOT stored: "


_HANDLERS = {
    "list": _list,
    "add": _add,
    "edit": _edit,
    "remove": _remove,
    "use": _use,
    "show": _show,
    "import-chatbox": _import_chatbox,
}
