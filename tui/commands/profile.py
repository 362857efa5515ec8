"""``gateway-doctor profile list|add|edit|remove|use|show|import-chatbox``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.commands import error_text, say, say_json
from tui.core.i18n import detect_lang
from tui.core.i18n.catalogue import join, render, text
from tui.core.i18n.width import cell_width, pad

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

#: Labels of ``profile show``, in order (``cli.profile.label.<part>``).
_LABELS = ("name", "base_url", "model", "proxy", "ca_bundle", "client", "key")
_WHERE = {
    "keyring": "cli.common.where_keyring_short",
    "none": "cli.common.where_none",
    "unavailable": "cli.common.where_unavailable",
}


def _t(key: str, lang: str, **kw: object) -> str:
    """Message ``cli.profile.<key>``, masked: the names filled in are typed by the user
    (a pasted key, say)."""
    from tui.core.safe.masking import mask

    return mask(text(f"cli.profile.{key}", lang, **kw))


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    from tui.core.diagnosis.model import ALLTKN_BASE_URL

    def h(part: str, **params: object) -> str:
        return text(f"cli.profile.{part}", lang, **params)

    parser.add_argument("--lang", default=argparse.SUPPRESS, help=text("cli.common.lang", lang))
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    sp = sub.add_parser("list", help=h("list"))
    sp.add_argument("--json", action="store_true", help=h("json"))
    for name in ("add", "edit"):
        sp = sub.add_parser(name, help=h(name))
        sp.add_argument("name")
        sp.add_argument("--preset", help=h("opt_preset", ids=_PRESET_EXAMPLES))
        sp.add_argument("--base-url", help=h("opt_base_url", example=ALLTKN_BASE_URL))
        sp.add_argument("--model")
        sp.add_argument("--proxy", help=h("opt_proxy"))
        sp.add_argument("--ca-bundle", help=h("opt_ca_bundle"))
        sp.add_argument("--client-label", help=h("opt_client_label"))
        sp.add_argument(
            "--stream",
            choices=("on", "off"),
            metavar="STREAM",
            help=text("history.opt_stream", lang),
        )
        sp.add_argument("--use", action="store_true", help=h("opt_use"))
    sp = sub.add_parser("remove", help=h("remove"))
    sp.add_argument("name")
    sp.add_argument("--keep-key", action="store_true", help=h("keep_key"))
    sp = sub.add_parser("use", help=h("use"))
    sp.add_argument("name")
    sp = sub.add_parser("show", help=h("show"))
    sp.add_argument("name", nargs="?")
    sp.add_argument("--json", action="store_true", help=h("json"))
    sp = sub.add_parser("import-chatbox", help=h("import"))
    sp.add_argument("--from", dest="from_file", metavar="FILE", help=h("opt_from"))
    sp.add_argument("--prefix", default="chatbox", help=h("opt_prefix"))
    sp.add_argument("--overwrite", action="store_true", help=h("opt_overwrite"))
    sp.add_argument("--dry-run", action="store_true", help=h("opt_dry_run"))
    sp = sub.add_parser("restore-last-good", help=text("history.restore.cmd", lang))
    sp.add_argument("name", nargs="?")
    sp.add_argument("--yes", "-y", action="store_true", help=text("history.cli.opt_yes", lang))


#: Presets named in ``--preset``'s help (a few; ``profile add --preset x`` lists them all).
_PRESET_EXAMPLES = "alltkn, openai, openrouter, deepseek, siliconflow"  # not-ui-text: preset ids


def run(args: argparse.Namespace) -> int:
    """Run one profile action; errors are one clear line on stderr, never a traceback."""
    from tui.core.setup.chatbox_import import ChatboxImportError
    from tui.core.setup.keys import KeyStoreError
    from tui.core.setup.profiles import ConfigError, ProfileError

    lang = detect_lang(getattr(args, "lang", None))
    action = getattr(args, "action", None)
    handler = _HANDLERS.get(action or "")
    if handler is None:
        actions = "{" + ",".join(_HANDLERS) + "}"
        sys.stderr.write(text("cli.profile.usage", lang, actions=actions) + "\n")
        return EXIT_USAGE
    try:
        return handler(args, lang)
    except (ConfigError, ProfileError, ChatboxImportError, KeyStoreError, ValueError) as exc:
        say(text("cli.common.error", lang, problem=error_text(exc, lang)), err=True)
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


def _fields_from(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in ("base_url", "model", "proxy", "ca_bundle", "client_label"):
        v = getattr(args, attr, None)
        if v is not None:
            out[attr] = v
    if getattr(args, "stream", None) is not None:
        out["stream"] = args.stream == "on"
    return out


def _apply_preset(args: argparse.Namespace, fields: dict[str, Any], lang: str) -> bool:
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
        problem = text("cli.common.no_profile_named", lang, name=name)
        say(text("cli.common.error", lang, problem=problem), err=True)
        return EXIT_ERROR
    key = get_key(prof.name)
    expected, rows = preview_for_profile(prof)
    if args.json:
        data = {
            **_as_dict(prof),
            "key": {
                "masked": key.masked,
                "source": key.source,
                "error": key.error and render(key.error, lang),
            },
            "request_url": expected,
            "clients": [{"client": r.client, "url": r.url, "warnings": r.warnings} for r in rows],
        }
        say_json(data)
        return EXIT_OK
    where_id = _WHERE.get(key.source)
    where = text(where_id, lang) if where_id else key.source
    values = [
        prof.name,
        prof.base_url,
        prof.model or "-",
        prof.proxy or "-",
        prof.ca_bundle or "-",
        prof.client_label or "-",
        text("cli.profile.key_where", lang, masked=key.masked, where=where),
    ]
    parts = list(_LABELS)
    if prof.client_host:
        parts.append("client_host")
        path = prof.client_path or "-"
        values.append(text("cli.profile.client_path", lang, host=prof.client_host, path=path))
    labels = [text(f"cli.profile.label.{part}", lang) for part in parts]
    # the stream setting, after the proxy: restore-last-good and the history change it
    at = parts.index("proxy") + 1
    labels.insert(at, text("history.cli.show.stream", lang))
    values.insert(at, text("history.cli.show." + ("on" if prof.stream else "off"), lang))
    width = max(cell_width(lbl) for lbl in labels) + 3
    for lbl, val in zip(labels, values, strict=True):
        say(pad(text("cli.profile.label", lang, label=lbl), width) + val)
    say()
    say(text("cli.profile.urls", lang))
    from tui.core.setup.client_urls import warning_text

    for r in rows:
        notes = [render(warning_text(w, lang, expected=expected), lang) for w in r.warnings]
        note = join(notes, lang) if notes else text("cli.profile.url_ok", lang)
        say(f"  {pad(r.client, 14)} {r.url}  [{note}]")
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
        shown = render(note, lang)
        if _no_keyring(note):
            # One line per profile; the why and the way out once, below.
            shown, no_keyring = _t("key_not_stored", lang), no_keyring + 1
        row = {"name": prof.name, "base_url": prof.base_url, "model": prof.model or "-"}
        say(_t("imported_row", lang, **row, note=shown))
    if result.skipped:
        say(_t("skipped", lang))
        for what, why in result.skipped:
            say(_t("skipped_row", lang, what=what, why=render(why, lang)))
    if no_keyring:
        say(_t("keys_not_stored", lang, n=no_keyring))
        return EXIT_ERROR  # the profiles exist, but they cannot work without their keys yet
    return EXIT_OK if result.imported or not result.skipped else EXIT_ERROR


def _no_keyring(note: object) -> bool:
    """Whether an import note says the key was not stored for want of a keyring."""
    if isinstance(note, str):  # the notes before they became messages
        return note.startswith("key NOT stored") and "keyring" in note  # not-ui-text: match
    return getattr(note, "id", None) == "setup.chatbox.no_keyring"


def _restore(args: argparse.Namespace, lang: str) -> int:
    """``restore-last-good``: the profile back to its last passing run (issue 18)."""
    from tui.commands.history import confirm
    from tui.core.history import when_text
    from tui.core.history.restore import apply_plan, key_notes, plan_restore
    from tui.core.setup.profiles import active_profile_name, load_profile

    def r(part: str, **kw: object) -> str:
        return text(f"history.restore.{part}", lang, **kw)

    name = args.name or active_profile_name()
    if not name:
        say(r("no_profile"), err=True)
        return EXIT_USAGE
    profile = load_profile(name)
    if profile is None:  # the same usage line as ``check --profile nosuch``
        problem = text("setup.target.no_profile", lang, name=name)
        say(text("cli.check.bad_profile", lang, name=name, problem=problem), err=True)
        return EXIT_USAGE
    plan = plan_restore(profile)
    if plan is None:
        say(r("no_run", profile=name), err=True)
        return EXIT_ERROR
    when = when_text(str(plan.record.get("time", "")))
    for field in plan.masked:
        say(r("masked", name=field), err=True)
    for field in plan.unsafe:
        say(r("unsafe", name=field), err=True)
    keys = [render(note, lang) for note in key_notes(plan)]  # the key is not that run's
    if not plan.changes:
        say(r("same", profile=name, when=when))
        for line in keys:
            say(line)
        return EXIT_OK
    say(r("plan", profile=name, when=when))
    none = text("history.none", lang)
    for field, now, then in plan.changes:
        say(r("change", name=field, old=now or none, new=then or none))
    if plan.record.get("key_id"):
        from tui.core.safe.terminal import one_line

        key_id, shown = str(plan.record["key_id"]), str(plan.record.get("key") or none)
        say(r("key", key_id=one_line(key_id), shown=one_line(shown)))
    for line in keys:
        say(line)
    answer = confirm(r("ask"), args.yes)
    if answer is None:
        say(r("needs_yes"), err=True)
        return EXIT_USAGE
    if not answer:
        say(text("history.cli.kept", lang))
        return EXIT_OK
    apply_plan(plan)
    say(r("done", profile=name))
    return EXIT_OK


_HANDLERS = {
    "list": _list,
    "add": _add,
    "edit": _edit,
    "remove": _remove,
    "use": _use,
    "show": _show,
    "import-chatbox": _import_chatbox,
    "restore-last-good": _restore,
}
