"""``gateway-doctor watch [--every 60s] [--count N]``: the checklist again and again.

A small availability and latency monitor for one gateway from a terminal: each
run is appended to the history and printed as one line; when the verdict or a
step's code changes, a line says so. Bounded: the interval is at least
:data:`MIN_INTERVAL` seconds, ``--count`` stops after N runs, Ctrl-C stops
cleanly. The exit code is the last run's (0 no failure, 1 a failure, 2 usage).
``--json`` prints one JSON record per line. This module must not import textual.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from tui.commands import check
from tui.commands.history import strip
from tui.core.i18n.catalogue import text

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
#: The shortest interval allowed (a monitor must not hammer a gateway); tests lower it.
MIN_INTERVAL = 10.0
#: The longest interval between runs (a day).
MAX_INTERVAL = 86_400.0
DEFAULT_EVERY = 60.0


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    check.add_arguments(parser, lang)
    parser.add_argument(
        "--every",
        metavar="DURATION",
        default=None,
        help=text("history.cli.opt_every", lang, minimum=int(MIN_INTERVAL), default=60),
    )
    parser.add_argument("--count", metavar="N", help=text("history.cli.opt_count", lang))


def parse_every(value: str) -> float | None:
    """``60``, ``60s``, ``5m``, ``1h`` → seconds; None when it is not a duration."""
    from tui.core.history.watching import parse_every as parse

    return parse(value)


def _say(message: str) -> None:
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe

    sys.stderr.write(terminal_safe(mask(message)) + "\n")


def _usage(lang: str, part: str, **params: object) -> int:
    _say(text("history.cli.line", lang, message=text(f"history.cli.{part}", lang, **params)))
    return EXIT_USAGE


def _out(line: str) -> None:
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe

    sys.stdout.write(terminal_safe(mask(line)) + "\n")
    sys.stdout.flush()


def _sleep(seconds: float) -> None:
    """Wait between runs (tests replace it to change the gateway between runs)."""
    time.sleep(seconds)


def _detail(report: Any, lang: str) -> str:
    from tui.core.diagnosis.remediation import check_title

    problem = report.first_problem()
    if problem is None:
        return text("history.cli.watch_all_passed", lang, ms=round(report.duration_ms))
    return text(
        "history.cli.watch_problem", lang, step=check_title(problem.id, lang), code=problem.code
    )


def _changes(prev: dict[str, Any] | None, record: dict[str, Any], lang: str) -> list[str]:
    from tui.core.diagnosis.remediation import check_title, status_label
    from tui.core.history import step_changes

    if prev is None:
        return []
    what = []
    if prev.get("verdict") != record.get("verdict"):
        old, new = status_label(str(prev["verdict"]), lang), status_label(record["verdict"], lang)
        what.append(text("history.cli.watch_verdict", lang, old=old, new=new))
    for step, old, new in step_changes(prev, record):
        if old.endswith(".skipped") or new.endswith(".skipped"):
            continue  # follows from another step's change, which is said
        what.append(
            text("history.cli.step_change", lang, step=check_title(step, lang), old=old, new=new)
        )
    return what


_WATCHED = ("base_url", "model", "proxy", "stream", "ca_bundle")


def _refresh(args: argparse.Namespace, resolved: Any, lang: str) -> Any:
    """The target again, the profile re-read (``profile edit`` while watching takes
    effect at the next run, and a line says what changed); the key read from stdin
    at the start is kept. Without a profile, or when it cannot be read, the target
    stays as it was."""
    from tui.core.setup.target import resolve_target

    old = resolved.target
    if not old.profile:
        return resolved
    try:
        fresh = resolve_target(
            base_url=args.base_url, model=args.model, profile=old.profile,
            timeout=args.timeout, proxy=args.proxy, ca_bundle=args.ca_bundle,
            insecure=args.insecure, stdin_key=old.api_key if args.api_key_stdin else None,
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - a config being rewritten: try again next run
        fresh = None
    if fresh is None or fresh.target.profile != old.profile:
        _usage(lang, "watch_profile_gone", profile=old.profile)
        return resolved
    what = [
        text("history.cli.watch_setting", lang, name=text(f"history.cli.show.{name}", lang),
             old=_shown(getattr(old, name, None), lang),
             new=_shown(getattr(fresh.target, name, None), lang))
        for name in _WATCHED
        if getattr(old, name, None) != getattr(fresh.target, name, None)
    ]  # fmt: skip
    if what:
        from tui.core.i18n.catalogue import join

        _usage(lang, "watch_profile_changed", profile=old.profile, what=join(what, lang))
    return fresh


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return text("history.cli.show.on" if value else "history.cli.show.off", lang)
    return str(value) if value not in (None, "") else text("history.none", lang)


def _started(target: Any, sources: dict[str, str], every: float, lang: str) -> str:
    """The header line: the profile watched, or the base URL when there is no profile
    or when a flag or the environment overrides the profile's (then the line says so:
    the profile's own gateway is not the one being watched)."""
    from tui.core.setup.target import overriding_source

    if over := overriding_source(target, sources):
        return text(
            "history.cli.watch_started_overridden", lang, target=target.base_url,
            every=f"{every:g}", source=over, profile=target.profile,
        )  # fmt: skip
    shown = target.profile or target.base_url
    return text("history.cli.watch_started", lang, target=shown, every=f"{every:g}")


def run(args: argparse.Namespace) -> int:
    from tui.core.diagnosis.engine import run_checks
    from tui.core.diagnosis.remediation import status_label
    from tui.core.history import append_record, build_record, report_result
    from tui.core.i18n import detect_lang
    from tui.core.i18n.catalogue import join, render
    from tui.core.i18n.width import pad
    from tui.core.net.exchange import ExchangeLog

    lang = detect_lang(args.lang)
    if args.markdown:
        return _usage(lang, "watch_no_markdown")
    if args.every is None:  # no --every: the config's watch_every, else 60 s
        from tui.core.history import watching

        setting, problem = watching.watch_every()
        if problem is not None:
            _say(text("history.cli.line", lang, message=render(problem, lang)))
        args.every = f"{max(setting, MIN_INTERVAL):g}"
    every = parse_every(str(args.every))
    if every is None:
        return _usage(lang, "bad_every", value=args.every)
    if every < MIN_INTERVAL:
        return _usage(lang, "every_too_short", value=args.every, minimum=f"{MIN_INTERVAL:g}")
    if every > MAX_INTERVAL:  # time.sleep overflows near 3e10 s; a day is plenty
        message = text("cli.watch_every_too_long", lang, value=args.every, maximum=24)
        _say(text("history.cli.line", lang, message=message))
        return EXIT_USAGE
    count = None
    if args.count is not None:
        count = int(args.count) if str(args.count).isascii() and str(args.count).isdigit() else 0
        if count <= 0:
            return _usage(lang, "bad_count", value=args.count)
    resolved = check.resolve(args, lang)
    if isinstance(resolved, int):
        return resolved
    target = resolved.target
    _say(text("history.cli.line", lang, message=_started(target, resolved.sources, every, lang)))
    prev: dict[str, Any] | None = None
    code, runs = EXIT_OK, 0
    try:
        while count is None or runs < count:
            started = time.monotonic()
            if runs:
                resolved = _refresh(args, resolved, lang)
                target = resolved.target
            report = asyncio.run(run_checks(target, ExchangeLog(), lang=lang))
            check.annotate(report, resolved, lang)
            record = build_record("check", target, report_result(report, resolved.sources))
            problem = append_record(record)
            if problem is not None:
                _usage(lang, "warning", problem=render(problem, lang))
            runs += 1
            code = EXIT_FAIL if report.verdict == "fail" else EXIT_OK
            if args.json:
                _out(json.dumps(record, ensure_ascii=False))
            else:
                clock = time.strftime("%H:%M:%S", time.localtime())
                verdict = pad(status_label(report.verdict, lang), 7)
                line = text(
                    "history.cli.watch_line", lang, time=clock, verdict=verdict,
                    strip=strip(record), detail=_detail(report, lang),
                )  # fmt: skip
                _out(line)
                what = _changes(prev, record, lang)
                if what:
                    _out(text("history.cli.watch_changed", lang, what=join(what, lang)))
            prev = record
            if count is not None and runs >= count:
                break
            _sleep(max(0.0, every - (time.monotonic() - started)))
    except KeyboardInterrupt:
        pass
    _usage(lang, "watch_stopped", count=runs)
    return code
