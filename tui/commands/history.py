"""``gateway-doctor history [--profile P] [--json] [--last N]``, ``history show N``,
``history diff A B``, ``history clear [--profile P] [--yes]`` (issue 18).

Runs are numbered oldest first (1, 2, …) as the list shows them. Everything
printed was masked when recorded and is masked and made terminal-safe again by
:func:`tui.commands.say`. This module must not import textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.commands import say, say_json
from tui.core.i18n import detect_lang
from tui.core.i18n.catalogue import Msg, render, text

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
DEFAULT_LAST = 20
_MARKS = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "–"}  # not-ui-text: status marks
_STRIP = 9
_COLUMNS = (("time", 19), ("verdict", 7), ("steps", _STRIP), ("kind", 7), ("target", 0))


def _h(part: str, lang: str, **params: object) -> str:
    return text(f"history.cli.{part}", lang, **params)


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    parser.add_argument("--lang", default=argparse.SUPPRESS, help=text("cli.common.lang", lang))
    parser.add_argument("--profile", metavar="NAME", help=_h("opt_profile", lang))
    parser.add_argument("--json", action="store_true", help=_h("opt_json", lang))
    parser.add_argument(
        "--last", metavar="N", default=str(DEFAULT_LAST), help=_h("opt_last", lang, default=20)
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    sp = sub.add_parser("show", help=_h("sub_show", lang))
    sp.add_argument("n", metavar="N", help=_h("arg_n", lang))
    sp.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=_h("opt_json", lang)
    )
    sp = sub.add_parser("diff", help=_h("sub_diff", lang))
    sp.add_argument("a", metavar="A", help=_h("arg_n", lang))
    sp.add_argument("b", metavar="B", help=_h("arg_n", lang))
    sp.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=_h("opt_json", lang)
    )
    sp = sub.add_parser("clear", help=_h("sub_clear", lang))
    sp.add_argument(
        "--profile", metavar="NAME", default=argparse.SUPPRESS, help=_h("opt_profile", lang)
    )
    sp.add_argument("--yes", "-y", action="store_true", help=_h("opt_yes", lang))
    for name in ("show", "diff", "clear"):  # `history diff 34 35 --lang zh-CN` works too
        sub.choices[name].add_argument(
            "--lang", default=argparse.SUPPRESS, help=text("cli.common.lang", lang)
        )


def strip(record: dict[str, Any]) -> str:
    """One mark per step (✓ ! ✗ –), padded: the run at a glance."""
    marks = "".join(_MARKS.get(s.get("status", ""), "?") for s in record.get("steps", []))
    marks = marks[:_STRIP] if len(marks) <= _STRIP else marks[: _STRIP - 1] + "…"
    return marks.ljust(_STRIP)


def _warn(problems: list[Msg], lang: str) -> None:
    for p in problems:
        say(_h("warning", lang, problem=render(p, lang)), err=True)


def _records(args: argparse.Namespace, lang: str) -> list[tuple[int, dict[str, Any]]]:
    """Every run with its number (for ``clear``)."""
    from tui.core.history import read_all

    history = read_all()
    _warn(history.warnings, lang)
    numbered = list(zip(history.numbers, history.records, strict=True))
    profile = getattr(args, "profile", None)
    if profile:
        numbered = [(n, r) for n, r in numbered if r.get("profile") == profile]
    return numbered


def _newest(args: argparse.Namespace, lang: str, last: int) -> list[tuple[int, dict[str, Any]]]:
    """The newest ``last`` runs (of ``--profile``), read backwards: a huge file costs
    no more than a small one."""
    from tui.core.history.store import numbered_last

    problems: list[Msg] = []
    profile = getattr(args, "profile", None)
    match = (lambda r: r.get("profile") == profile) if profile else None
    runs = numbered_last(last, match, warnings=problems)
    _warn(problems, lang)
    return runs


def _usage(lang: str, part: str, **params: object) -> int:
    say(_h(part, lang, **params), err=True)
    return EXIT_USAGE


def _number(value: str, lang: str) -> int | None:
    try:
        n = int(value)
    except ValueError:
        return None
    return n if n > 0 else None


def _target(record: dict[str, Any]) -> str:
    if record.get("profile"):
        return f"{record['profile']} ({record.get('base_url') or '-'})"
    return str(record.get("base_url") or "-")


def _empty(profile: str | None, lang: str) -> str:
    """Why the list is empty: no runs at all, none of this profile, or no such profile."""
    if not profile:
        return _h("empty", lang)
    from tui.core.setup.profiles import load_profile

    try:
        known = load_profile(profile) is not None
    except Exception:  # noqa: BLE001 - a corrupt config: say the plainer thing
        known = True
    return _h("no_runs_profile" if known else "no_such_profile", lang, profile=profile)


def _list(args: argparse.Namespace, lang: str) -> int:
    from tui.core.diagnosis.remediation import status_label
    from tui.core.history.shape import display
    from tui.core.i18n.width import pad

    last = _number(str(args.last), lang)
    if last is None:
        return _usage(lang, "bad_number", value=args.last)
    raw = _newest(args, lang, last)
    if args.json:
        say_json([{"n": n, **r} for n, r in raw])
        return EXIT_OK
    if not raw:
        say(_empty(getattr(args, "profile", None), lang))
        return EXIT_OK
    numbered = [(n, display(r)) for n, r in raw]
    head = [pad(_h(f"col_{c}", lang), w) for c, w in _COLUMNS]
    nw = max(3, len(str(numbered[-1][0])))  # run 30502 keeps the columns aligned
    say("#".rjust(nw) + "  " + "  ".join(head).rstrip())
    for n, r in numbered:
        when = str(r.get("time", ""))[:19].replace("T", " ")
        verdict = pad(status_label(str(r.get("verdict", "?")), lang), 7)
        row = _h(
            "row", lang, n=str(n).rjust(nw), time=when, verdict=verdict, strip=strip(r),
            kind=pad(str(r.get("kind", "?")), 7), target=_target(r),
        )  # fmt: skip
        say(row)
    return EXIT_OK


def _pick(value: str, lang: str) -> dict[str, Any] | int:
    """Run ``value`` (a number as the list shows it), shown safely; or an exit code."""
    from tui.core.history.shape import display
    from tui.core.history.store import record_at

    n = _number(value, lang)
    if n is None:
        return _usage(lang, "bad_number", value=value)
    problems: list[Msg] = []
    record, total = record_at(n, warnings=problems)
    _warn(problems, lang)
    if record is None:
        if n <= total:
            return _usage(lang, "unreadable_run", n=n)
        return _usage(lang, "no_such", n=n, total=total)
    return display(record)


def _show(args: argparse.Namespace, lang: str) -> int:
    record = _pick(args.n, lang)
    if isinstance(record, int):
        return record
    if args.json:
        say_json(record)
        return EXIT_OK
    for line in show_lines(int(args.n), record, lang):
        say(line)
    return EXIT_OK


def _kind(kind: Any, lang: str) -> str:
    from tui.core.i18n.catalogue import has

    return text(f"history.kind.{kind}", lang) if has(f"history.kind.{kind}", lang) else str(kind)


def _fields(record: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label id, value) for every field the record holds, in reading order; no nulls."""
    from tui.core.diagnosis.remediation import status_label

    r = record
    out: list[tuple[str, str]] = [("kind", _kind(r.get("kind"), lang))]
    out.append(("verdict", status_label(str(r.get("verdict") or "?"), lang)))
    for name in ("profile", "base_url", "model"):
        if r.get(name):
            out.append((name, str(r[name])))
    if r.get("key"):
        key_id = r.get("key_id")
        shown = str(r["key"])
        out.append(("key", text("core.paren", lang, text=shown, inner=key_id) if key_id else shown))
    if r.get("proxy"):
        source = r.get("proxy_source")
        proxy = str(r["proxy"])
        out.append(
            ("proxy", _h("show.from", lang, value=proxy, source=source) if source else proxy)
        )
    if isinstance(r.get("stream"), bool):
        out.append(("stream", _h("show.on" if r["stream"] else "show.off", lang)))
    for name in ("trust", "ca_bundle"):
        if r.get(name):
            out.append((name, str(r[name])))
    if r.get("addresses"):
        out.append(("addresses", ", ".join(r["addresses"])))
    tls = r.get("tls") or {}
    if tls.get("issuer"):
        out.append(("issuer", str(tls["issuer"])))
    if tls.get("not_after"):
        out.append(("not_after", str(tls["not_after"])))
    if r.get("server"):
        out.append(("server", str(r["server"])))
    models = r.get("models")
    if models and models.get("count") is not None:
        out.append(("models", _h("show.models_count", lang, count=models["count"])))
    balance = r.get("balance")
    if balance and balance.get("remaining") is not None:
        out.append(("balance", f"{balance['remaining']:g} {balance.get('unit') or ''}".rstrip()))
    for name in ("ttfb_ms", "ttft_ms"):
        if r.get(name) is not None:
            out.append((name, f"{r[name]:.0f} ms"))
    if r.get("version"):
        out.append(("version", str(r["version"])))
    return out


def show_lines(n: int, record: dict[str, Any], lang: str) -> list[str]:
    """``history show N`` as a readable record: labelled fields, aligned steps."""
    from tui.core.history import when_text
    from tui.core.history.shape import step_name
    from tui.core.i18n.width import cell_width as width
    from tui.core.i18n.width import pad

    lines = [_h("show.title", lang, n=n, when=when_text(str(record.get("time", ""))))]
    fields = [(_h(f"show.{name}", lang), value) for name, value in _fields(record, lang)]
    label_w = max(width(label) for label, _v in fields)
    lines += ["  " + pad(label, label_w) + "  " + value for label, value in fields]
    steps = record.get("steps") or []
    if steps:
        lines.append(_h("show.steps", lang))
        names = [step_name(s["id"], record.get("kind"), lang) for s in steps]
        name_w = max(width(x) for x in names)
        code_w = max(width(s.get("code") or "") for s in steps)
        for s, name in zip(steps, names, strict=True):
            ms = s.get("ms")
            took = f"{ms:.0f} ms" if isinstance(ms, int | float) else "-"
            mark = _MARKS.get(s.get("status", ""), "?")
            row = f"  {mark}  {pad(name, name_w)}  {pad(s.get('code') or '', code_w)}  {took}"
            lines.append(row.rstrip())
    return lines


def _diff(args: argparse.Namespace, lang: str) -> int:
    from tui.core.history import compare, step_changes, when_text
    from tui.core.history.shape import step_name

    a = _pick(args.a, lang)
    if isinstance(a, int):
        return a
    b = _pick(args.b, lang)
    if isinstance(b, int):
        return b
    from tui.core.diagnosis.remediation import status_label

    comparison = compare(a, b)
    same_kind = a.get("kind") == b.get("kind")
    # steps of a checklist and of a trial have other ids: compared one by one, a
    # trial's 'trial.stream.ok' would just look new. The verdicts say what matters.
    steps = step_changes(a, b) if same_kind else []
    va, vb = str(a.get("verdict") or "?"), str(b.get("verdict") or "?")
    if args.json:
        data = comparison.to_json()
        data["verdict"] = {"old": a.get("verdict"), "new": b.get("verdict")}
        data["kinds"] = {"old": a.get("kind"), "new": b.get("kind")}
        data["steps"] = [{"id": i, "old": o, "new": w} for i, o, w in steps]
        say_json(data)
        return EXIT_OK
    say(
        _h("diff_title", lang, a=args.a, b=args.b, when_a=when_text(str(a.get("time"))),
           when_b=when_text(str(b.get("time"))))
    )  # fmt: skip
    if va != vb:
        said = _h("diff_verdict", lang, old=status_label(va, lang), new=status_label(vb, lang))
        say(f"- {said}")
    if not same_kind:
        say("- " + _h("diff_kinds", lang, old=a.get("kind") or "?", new=b.get("kind") or "?"))
    for c in comparison.changes:
        say(f"- {render(c.message, lang)}")
    for step, old, new in steps:
        name = step_name(step, b.get("kind"), lang)
        say("- " + _h("step_change", lang, step=name, old=old, new=new))
    if not comparison.changes and not steps and va == vb and same_kind:
        say(_h("diff_none", lang))
    return EXIT_OK


def confirm(question: str, yes: bool) -> bool | None:
    """True/False from the user, or None when there is no terminal to ask on."""
    if yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    sys.stderr.write(question)
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, KeyboardInterrupt):
        return False
    return answer.strip().lower() in ("y", "yes", "是")  # not-ui-text: accepted answers


def _clear(args: argparse.Namespace, lang: str) -> int:
    from tui.core.history.store import clear

    profile = getattr(args, "profile", None)
    runs = _records(args, lang)
    if not runs:
        say(_empty(profile, lang))
        return EXIT_OK
    question = (
        _h("clear_ask_profile", lang, count=len(runs), profile=profile)
        if profile
        else _h("clear_ask", lang, count=len(runs))
    )
    answer = confirm(question, args.yes)
    if answer is None:
        return _usage(lang, "clear_needs_yes")
    if not answer:
        say(_h("kept", lang))
        return EXIT_OK
    keep = (lambda r: r.get("profile") != profile) if profile else None
    removed = clear(keep)
    say(_h("cleared", lang, count=removed))
    return EXIT_OK


_HANDLERS = {"show": _show, "diff": _diff, "clear": _clear}


def run(args: argparse.Namespace) -> int:
    lang = detect_lang(getattr(args, "lang", None))
    handler = _HANDLERS.get(getattr(args, "action", None) or "", _list)
    try:
        return handler(args, lang)
    except BrokenPipeError:
        raise  # `history | head`: the reader left; tui.cli ends quietly
    except OSError as exc:
        from tui.commands import error_text

        say(text("cli.common.error", lang, problem=error_text(exc, lang)), err=True)
        return EXIT_ERROR
