"""``gateway-doctor models``: the gateway's models, and with ``--probe`` which ones work.

Lists the models with owner, context length and price where the gateway publishes
them; ``--probe`` sends each (``--match GLOB`` / ``--models a,b``) a one-token request
and reports works / code / latency (TTFT with ``--stream``) / request id, sorted by
status then latency. ``--profiles a,b`` (or ``all``: every profile with the same base
URL) probes each profile's key against each model: a key × model grid.

Exit codes: 0 the list was read, or at least one model works; 1 no list, or no model
works; 2 usage error (also: more than 10 models to probe without a TTY and without
``--yes``); 130 interrupted (Ctrl-C) — what was measured is printed first.
Same target flags and key sources as ``check``; the key never comes from argv.
This module must not import textual.
"""

from __future__ import annotations

import argparse
import asyncio
import fnmatch
import importlib
import os
import sys
from typing import Any

from tui.commands.check import (
    _read_stdin_key,
    add_connection_arguments,
    add_key_arguments,
    use_color,
    write_report,
)
from tui.core.i18n.catalogue import text

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Probing more models than this asks first (``--yes`` for scripts).
ASK_ABOVE = 10


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    from tui.core.diagnosis.model import ALLTKN_BASE_URL
    from tui.core.models import DEFAULT_CONCURRENCY, MAX_CONCURRENCY

    def h(part: str, **params: object) -> str:
        return text(f"cli.opt.{part}", lang, **params)

    def m(part: str, **params: object) -> str:
        return text(f"cli.models.{part}", lang, **params)

    parser.add_argument(
        "--base-url", metavar="URL", help=h("base_url_check", default=ALLTKN_BASE_URL)
    )
    parser.add_argument("--profile", metavar="NAME", help=h("profile"))
    parser.add_argument("--profiles", metavar="A,B|all", help=m("profiles"))
    parser.add_argument("--probe", action="store_true", help=m("probe"))
    parser.add_argument("--match", metavar="GLOB", help=m("match"))
    parser.add_argument("--models", metavar="A,B,C", help=m("models"))
    parser.add_argument("--stream", action="store_true", help=m("stream"))
    parser.add_argument("--group", metavar="NAME", help=m("group"))
    parser.add_argument(
        "--concurrency",
        metavar="N",
        default=str(DEFAULT_CONCURRENCY),
        help=m("concurrency", default=DEFAULT_CONCURRENCY, max=MAX_CONCURRENCY),
    )
    parser.add_argument("--yes", "-y", action="store_true", help=m("yes"))
    add_connection_arguments(parser, lang)
    parser.add_argument("--json", action="store_true", help=h("json"))
    parser.add_argument("--csv", action="store_true", help=m("csv"))
    add_key_arguments(parser, lang)


def _say(lang: str, msg_id: str, **params: object) -> None:
    """A line to stderr: masked, terminal-safe, in ``lang``."""
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe

    line = text("cli.models.line", lang, message=text(msg_id, lang, **params))
    sys.stderr.write(terminal_safe(mask(line)) + "\n")
    sys.stderr.flush()


def _usage(lang: str, msg_id: str, **params: object) -> int:
    _say(lang, msg_id, **params)
    return EXIT_USAGE


def _width() -> int | None:
    """The terminal's columns when stdout is one (the table is fitted to it), else None."""
    out = sys.stdout
    if out is None or not out.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(",") if p.strip()]


def _targets(args: argparse.Namespace, lang: str, stdin_key: str | None) -> list[Any] | int:
    """The targets to probe with (one per key), or an exit code after saying why."""
    from tui.core.i18n.catalogue import join, msg, render
    from tui.core.setup.profiles import list_profiles
    from tui.core.setup.target import KEY_ENV_VARS, resolve_target

    flags = {
        "base_url": args.base_url,
        "timeout": args.timeout,
        "proxy": args.proxy,
        "ca_bundle": args.ca_bundle,
        "insecure": args.insecure,
    }
    first = resolve_target(profile=args.profile, stdin_key=stdin_key, **flags)
    if args.ca_bundle and first.target.ca_bundle is None:
        return _usage(lang, "cli.check.no_ca_bundle", path=args.ca_bundle)
    if args.profile and first.target.profile is None:
        problems = [render(p, lang) for p in first.problems]
        detail = (
            join(problems, lang) if problems else msg("cli.check.no_profile", name=args.profile)
        )
        return _usage(lang, "cli.check.bad_profile", name=args.profile, problem=detail)
    for problem in first.problems:
        _say(lang, "cli.models.warning", problem=render(problem, lang))
    if not args.profiles:
        return [first.target]
    names = _split(args.profiles)
    if names == ["all"]:
        url = first.target.base_url.rstrip("/")
        names = [p.name for p in list_profiles() if p.base_url.rstrip("/") == url]
        if not names:
            return _usage(lang, "cli.models.no_profiles", url=url)
    env = {k: v for k, v in os.environ.items() if k not in KEY_ENV_VARS}
    targets = []
    for name in dict.fromkeys(names):
        got = resolve_target(profile=name, env=env, **flags)
        if got.target.profile is None:
            problems = [render(p, lang) for p in got.problems]
            detail = join(problems, lang) if problems else msg("cli.check.no_profile", name=name)
            return _usage(lang, "cli.models.bad_profiles", name=name, problem=detail)
        if not got.target.api_key:
            _say(lang, "cli.models.no_key", name=name)
            continue
        targets.append(got.target)
    return targets


def _choose(catalog: dict[str, Any], args: argparse.Namespace) -> list[str]:
    if args.models:
        return list(dict.fromkeys(_split(args.models)))
    names = list(catalog)
    if args.match:
        pattern = args.match.lower()
        names = [n for n in names if fnmatch.fnmatchcase(n.lower(), pattern)]
    return names


def _confirm(lang: str, requests: int, models: int, keys: int) -> int | None:
    """None to go on; else the exit code (declined, or no TTY to ask on)."""
    stdin = sys.stdin
    one = "_one_key" if keys == 1 else ""  # "48 models × 1 keys" read wrong
    if stdin is None or not stdin.isatty():
        return _usage(
            lang, f"cli.models.need_yes{one}", requests=requests, models=models, keys=keys
        )
    sys.stderr.write(
        text(f"cli.models.ask{one}", lang, requests=requests, models=models, keys=keys)
    )
    sys.stderr.flush()
    try:
        answer = stdin.readline().strip().lower()
    except (OSError, KeyboardInterrupt):
        answer = ""
    if answer in ("y", "yes", "是"):  # not-ui-text: answers accepted, not shown
        return None
    _say(lang, "cli.models.declined")
    return EXIT_FAIL


async def _catalog(target: Any, group: str | None = None) -> Any:
    from tui.core.models.catalog import fetch_catalog_result
    from tui.core.net.exchange import ExchangeLog
    from tui.core.net.http import GatewayClient

    async with GatewayClient(target, ExchangeLog()) as client:
        return await fetch_catalog_result(client, target, group=group)


class _Progress:
    """``probing: N of M probed…`` on one rewritten stderr line, only on a terminal and
    only for the table (nothing with --json / --csv or when stderr is a file or pipe):
    a slow gateway otherwise showed nothing for seconds after ``y``."""

    def __init__(self, lang: str, total: int, on: bool) -> None:
        self.lang, self.total, self.on, self.done = lang, total, on, 0
        self.show()

    def show(self) -> None:
        if self.on:
            line = text("cli.models.progress", self.lang, done=self.done, total=self.total)
            sys.stderr.write("\r\x1b[K" + line)
            sys.stderr.flush()

    def step(self) -> None:
        self.done += 1
        self.show()

    def clear(self) -> None:
        if self.on:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _progress_wanted(args: argparse.Namespace) -> bool:
    err = sys.stderr
    return not (args.json or args.csv) and err is not None and err.isatty()


async def _probe_all(
    targets: list[Any], models: list[str], listed: set[str] | None, args: Any, conc: int
) -> tuple[list[Any], bool]:
    """Each key's results; Ctrl-C stops every request and keeps what was measured."""
    from tui.core.models.keyid import key_label
    from tui.core.models.probe import probe_models, with_skipped
    from tui.core.models.render import KeyRun
    from tui.core.net.exchange import ExchangeLog
    from tui.core.net.http import GatewayClient

    runs = []
    for t in targets:
        masked, fingerprint = key_label(t.api_key)
        runs.append(KeyRun(t.profile, masked, fingerprint))
    interrupted = False
    lang = getattr(args, "lang_shown", "en")
    progress = _Progress(lang, len(models) * len(targets), _progress_wanted(args))

    def got(run: Any) -> Any:
        def keep(result: Any) -> None:
            run.results.append(result)
            progress.step()

        return keep

    try:
        for run, t in zip(runs, targets, strict=True):
            async with GatewayClient(t, ExchangeLog()) as client:
                await probe_models(
                    client,
                    models,
                    concurrency=conc,
                    stream=args.stream,
                    timeout=t.timeout * 2,
                    listed=listed,
                    on_result=got(run),
                )
    except asyncio.CancelledError:
        interrupted = True
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
    finally:
        progress.clear()
    for run in runs:
        run.results = with_skipped(models, run.results)
    return runs, interrupted


def _remember(targets: list[Any], runs: list[Any], result: dict[str, Any], lang: str) -> None:
    """The results into the state dir (for the picker) and the run history when there is one."""
    from tui.core.i18n.catalogue import render
    from tui.core.models.memory import remember
    from tui.core.setup.errors import error_text

    for t, run in zip(targets, runs, strict=True):
        try:
            warning = remember(t, run.results)
        except OSError as exc:
            _say(lang, "cli.models.memory_failed", problem=error_text(exc, lang))
            continue
        if warning is not None:
            _say(lang, "cli.models.warning", problem=render(warning, lang))
        own = [k for k in result.get("keys", []) if k["key_id"] == run.key_id]
        mine = {"steps": own[0]["steps"], "working": own[0]["working"]} if own else {"steps": []}
        # each key's history record holds that key's results only
        said = _record_history(t, {**result, **mine, "steps_scope": "one_key"})
        if said is not None:
            _say(lang, "cli.models.warning", problem=render(said, lang))


def _record_history(target: Any, result: dict[str, Any]) -> Any:
    """``tui.core.history.record_run`` (issue 18): its warning, or None."""
    try:
        history = importlib.import_module("tui.core.history")
    except ImportError:
        return None
    record = getattr(history, "record_run", None)
    if not callable(record):
        return None
    try:
        return record("models", target, result)
    except Exception:  # noqa: BLE001 - history is a side record; the probe's output stands
        return None


def run(args: argparse.Namespace) -> int:
    from tui.core.i18n import LANGS, detect_lang, normalize_lang
    from tui.core.models import MAX_CONCURRENCY
    from tui.core.models.render import render_csv, render_text, result_json

    lang = detect_lang(args.lang)
    args.lang_shown = lang
    if args.key_on_argv is not None or args.stray_args:
        return _usage(lang, "cli.check.key_on_argv")
    if args.lang and normalize_lang(args.lang) not in LANGS:
        return _usage(lang, "cli.check.bad_lang", langs=", ".join(LANGS), value=args.lang)
    if args.json and args.csv:
        return _usage(lang, "cli.models.json_and_csv")
    raw = str(args.concurrency).strip()
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_CONCURRENCY:
        return _usage(lang, "cli.models.bad_concurrency", max=MAX_CONCURRENCY, value=raw[:40])
    conc = int(raw)
    if not args.probe:  # --match / --models also narrow the list
        for flag, given in (("--profiles", args.profiles), ("--stream", args.stream)):
            if given:
                return _usage(lang, "cli.models.needs_probe", flag=flag)
    stdin_key = None
    if args.api_key_stdin:
        stdin_key = _read_stdin_key(lang)
        if stdin_key is None:
            return _usage(lang, "cli.check.no_stdin_key")
    targets = _targets(args, lang, stdin_key)
    if isinstance(targets, int):
        return targets
    if not targets:
        return _usage(lang, "cli.models.no_key_any")
    from tui.core.i18n.catalogue import render
    from tui.core.safe.masking import mask

    url = mask(targets[0].base_url)
    group = (args.group or "").strip() or None
    if group is not None and (len(group) > 64 or not group.isprintable()):
        return _usage(lang, "cli.models.bad_group")
    cat = asyncio.run(_catalog(targets[0], group))
    if cat.error is not None and not (args.probe and args.models):
        _say(lang, "cli.models.no_list", problem=render(cat.error, lang))
        if args.probe:
            _say(lang, "cli.models.no_list_hint")
        return EXIT_FAIL
    runs: list[Any] = []
    interrupted = False
    if not args.probe and (args.match or args.models):
        wanted = set(_choose(cat.models, args))
        if not wanted & set(cat.models):
            pattern = args.match or args.models
            _say(lang, "cli.models.none_matched", pattern=pattern, count=len(cat.models))
            return EXIT_FAIL
        cat.models = {k: v for k, v in cat.models.items() if k in wanted}
    if args.probe:
        models = _choose(cat.models, args)
        if not models:
            _say(
                lang,
                "cli.models.none_matched",
                pattern=args.match or args.models,
                count=len(cat.models),
            )
            return EXIT_FAIL
        requests = len(models) * len(targets)
        if len(models) > ASK_ABOVE and not args.yes:
            refused = _confirm(lang, requests, len(models), len(targets))
            if refused is not None:
                return refused
        listed = set(cat.models) if cat.error is None else None
        runs, interrupted = asyncio.run(_probe_all(targets, models, listed, args, conc))
    works = any(r.status == "pass" for run in runs for r in run.results)
    code = EXIT_INTERRUPTED if interrupted else (EXIT_OK if works or not runs else EXIT_FAIL)
    result = result_json(
        catalog=cat.models, runs=runs, url=url, sources=cat.sources, stream=args.stream,
        interrupted=interrupted, exit_code=code, price_note=cat.price_note,
        skipped=cat.skipped,
    )  # fmt: skip
    if runs:
        _remember(targets, runs, result, lang)
    if args.json:
        import json

        write_report(json.dumps(result, ensure_ascii=False, indent=2), json_text=True)
    elif args.csv:
        write_report(render_csv(catalog=cat.models, runs=runs))
    else:
        color = use_color(sys.stdout)
        out = render_text(
            catalog=cat.models, runs=runs, lang=lang, url=url, sources=cat.sources,
            color=color, stream=args.stream, price_note=cat.price_note, width=_width(),
            skipped=cat.skipped,
        )  # fmt: skip
        write_report(out, color=color)
    if interrupted:  # last, under the table, where the eye is after Ctrl-C
        sys.stdout.flush()
        done = sum(1 for run in runs for r in run.results if r.status != "skip")
        _say(lang, "cli.models.interrupted", done=done, total=len(runs) * len(runs[0].results))
    return code
