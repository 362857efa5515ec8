"""``gateway-doctor check``: the checklist headless, for SSH, scripts and CI.

Exit codes (stable): 0 when no check fails (warnings allowed), 1 when any
check fails, 2 on a usage error. The key never comes from an argument (shell
history): ``GATEWAY_DOCTOR_API_KEY``, ``OPENAI_API_KEY``, the profile's keyring
entry, or stdin with ``--api-key-stdin``. Output: readable text (colour on a
TTY unless ``NO_COLOR``), ``--json`` (one object), or ``--markdown`` (ticket).
This module must not import textual.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import importlib
import os
import sys
import threading
import time
from typing import Any

from tui.commands.console import DEFAULT_TIMEOUT, timeout_type
from tui.core.i18n.catalogue import text

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    from tui.core.diagnosis.model import ALLTKN_BASE_URL, DEFAULT_MODEL

    def h(part: str, **params: object) -> str:
        return text(f"cli.opt.{part}", lang, **params)

    parser.add_argument(
        "--base-url", metavar="URL", help=h("base_url_check", default=ALLTKN_BASE_URL)
    )
    parser.add_argument("--model", metavar="NAME", help=h("model", model=DEFAULT_MODEL))
    parser.add_argument("--profile", metavar="NAME", help=h("profile"))
    add_connection_arguments(parser, lang)
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=h("json"))
    out.add_argument("--markdown", action="store_true", help=h("markdown"))
    add_key_arguments(parser, lang)


def add_connection_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """--timeout, --proxy, --ca-bundle, --insecure: how every network command connects."""

    def h(part: str, **params: object) -> str:
        return text(f"cli.opt.{part}", lang, **params)

    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=timeout_type(lang),
        help=h("timeout", default=DEFAULT_TIMEOUT),
    )
    parser.add_argument("--proxy", metavar="URL", help=h("proxy"))
    parser.add_argument("--ca-bundle", metavar="FILE", help=h("ca_bundle"))
    parser.add_argument("--insecure", action="store_true", help=h("insecure"))


def add_key_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """--lang and where the key comes from (stdin); a key on argv is caught to refuse it."""

    def h(part: str, **params: object) -> str:
        return text(f"cli.opt.{part}", lang, **params)

    parser.add_argument("--lang", metavar="en|zh-CN", help=h("lang"))
    parser.add_argument("--api-key-stdin", action="store_true", help=h("key_stdin_check"))
    # Caught only to refuse them clearly: argparse would echo the words back in
    # its usage error, and a word here is often a pasted key.
    parser.add_argument(
        "--api-key", "--key", dest="key_on_argv", nargs="?", const="", help=argparse.SUPPRESS
    )
    parser.add_argument("stray_args", nargs="*", help=argparse.SUPPRESS)


def _read_stdin_key(lang: str) -> str | None:
    if sys.stdin is None:
        return None
    try:
        if sys.stdin.isatty():
            return getpass.getpass(text("cli.check.key_prompt", lang), stream=sys.stderr)
        data = sys.stdin.read()
    except (OSError, EOFError, KeyboardInterrupt):
        return None
    lines = [ln for ln in data.splitlines() if ln.strip()]
    return lines[0] if len(lines) == 1 else data.strip("\r\n")


def _say(message: str, lang: str) -> None:
    """The one writer of messages to stderr: masked, then terminal-safe (a profile
    name, path or config value may hold a key or an escape sequence)."""
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe

    line = text("cli.check.line", lang, message=message)
    sys.stderr.write(terminal_safe(mask(line)) + "\n")


def _usage_error(lang: str, msg_id: str, **params: object) -> int:
    _say(text(msg_id, lang, **params), lang)
    return EXIT_USAGE


def write_report(report: str, *, json_text: bool = False, color: bool = False) -> None:
    """The one writer of the report to stdout, and its last net.

    The renderers already make the gateway's words terminal-safe; this pass
    (idempotent) guarantees it for whatever reaches stdout: JSON keeps valid
    escapes, text keeps only our own colour codes when ``color``.
    """
    from tui.core.safe.terminal import json_safe, terminal_safe

    report = json_safe(report) if json_text else terminal_safe(report, keep_sgr=color)
    sys.stdout.write(report.rstrip("\n") + "\n")
    sys.stdout.flush()


def use_color(stream: object) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


class _ReportImport:
    """Import the report renderers while the gateway is being waited for: started by
    the first answer (not before the first requests, which need the CPU themselves)."""

    def __init__(self) -> None:
        self._thread = threading.Thread(target=self._load, name="import-report", daemon=True)

    @staticmethod
    def _load() -> None:
        try:
            importlib.import_module("tui.core.diagnosis.report")
        except Exception:  # noqa: BLE001 - imported again (and reported) after the run
            pass

    def start(self, *_args: object) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def join(self) -> None:
        self.start()
        self._thread.join()


#: The text report is never wrapped narrower than this many cells.
NARROWEST = 40


def report_width(stream: object) -> int | None:
    """The width to wrap the text report at: the terminal's columns when ``stream`` is a
    terminal (80 when it cannot say), or ``COLUMNS`` when set, even for a pipe; never
    under NARROWEST. None otherwise: a pipe or a file gets the lines as they are."""
    import shutil

    columns = os.environ.get("COLUMNS", "").strip()
    isatty = getattr(stream, "isatty", None)
    if not (columns.isdigit() and int(columns) > 0) and not (isatty and isatty()):
        return None
    return max(NARROWEST, shutil.get_terminal_size((80, 24))[0])


#: Seconds of silence before ``check`` says on a terminal which steps it is waiting for.
PROGRESS_AFTER_S = 1.0


class _Running(dict[str, float]):
    """The engine's events as the steps running now: check id -> when it started."""

    def __call__(self, event: object) -> None:
        check_id = getattr(event, "check_id", None)  # CheckStarted
        if check_id is not None:
            self[check_id] = time.monotonic()
        else:  # CheckFinished
            self.pop(getattr(getattr(event, "result", None), "id", ""), None)


def wants_progress(args: argparse.Namespace, stream: object) -> bool:
    """The progress line: for the text report on a terminal only (never to a pipe,
    a file or CI, and never around ``--json`` or ``--markdown``)."""
    isatty = getattr(stream, "isatty", None)
    return not (args.json or args.markdown) and bool(isatty and isatty())


async def with_progress(run: Any, running: _Running, target: Any, lang: str) -> Any:
    """Await ``run`` (the checks); after PROGRESS_AFTER_S say on stderr what runs, once
    a second, and clear it before returning. The line's module is imported only then."""
    task = asyncio.ensure_future(run)
    # A hair past the whole second, so the first line says "1 s", not "0 s".
    done, _ = await asyncio.wait({task}, timeout=PROGRESS_AFTER_S + 0.05)
    if done:
        return task.result()
    from tui.commands.check_progress import ProgressLine

    line = ProgressLine(running, target, lang, sys.stderr)
    try:
        while not task.done():
            line.draw()
            await asyncio.wait({task}, timeout=1.0)
    finally:
        line.clear()
        if not task.done():  # interrupted: the checks stop with us
            task.cancel()
    return task.result()


def resolve(args: argparse.Namespace, lang: str) -> Any:
    """The target from the flags, env, profile and keyring, or an exit code (2) after
    saying what is wrong; warnings about the setup are said on stderr. Shared with
    ``watch``."""
    from tui.core.i18n import LANGS, normalize_lang
    from tui.core.i18n.catalogue import join, msg, render
    from tui.core.setup.target import resolve_target

    if args.key_on_argv is not None or args.stray_args:
        return _usage_error(lang, "cli.check.key_on_argv")
    if args.lang and normalize_lang(args.lang) not in LANGS:
        return _usage_error(lang, "cli.check.bad_lang", langs=", ".join(LANGS), value=args.lang)
    stdin_key = None
    if args.api_key_stdin:
        stdin_key = _read_stdin_key(lang)
        if stdin_key is None:
            return _usage_error(lang, "cli.check.no_stdin_key")
    resolved = resolve_target(
        base_url=args.base_url,
        model=args.model,
        profile=args.profile,
        timeout=args.timeout,
        proxy=args.proxy,
        ca_bundle=args.ca_bundle,
        insecure=args.insecure,
        stdin_key=stdin_key,
    )
    if args.ca_bundle and resolved.target.ca_bundle is None:
        return _usage_error(lang, "cli.check.no_ca_bundle", path=args.ca_bundle)
    if args.profile and resolved.target.profile is None:
        problems = [render(p, lang) for p in resolved.problems]
        detail = (
            join(problems, lang) if problems else msg("cli.check.no_profile", name=args.profile)
        )
        return _usage_error(lang, "cli.check.bad_profile", name=args.profile, problem=detail)
    for problem in resolved.problems:
        _say(text("cli.check.warning", lang, problem=render(problem, lang)), lang)
    return resolved


def annotate(report: Any, resolved: Any, lang: str) -> None:
    """Where each setting came from, into the config step's evidence (shared with watch)."""
    from tui.core.i18n.catalogue import render

    config = report.by_id("config")
    if config is not None:
        # "key" would be masked as a secret-looking JSON field: name it key_source.
        config.evidence["sources"] = {
            ("key_source" if k == "key" else k): v for k, v in resolved.sources.items()
        }
        if resolved.problems:
            config.evidence["resolve_problems"] = [render(p, lang) for p in resolved.problems]


def record(report: object, sources: dict[str, str], lang: str) -> None:
    """Append the run to the history and keep what changed since the last passing run
    for the renderers (issue 18); a history problem is a warning, never a failure."""
    from tui.core.history import record_and_compare, remember, report_result
    from tui.core.i18n.catalogue import render

    target = getattr(report, "target", None)
    comparison, problem = record_and_compare("check", target, report_result(report, sources))
    remember(report, comparison)
    if problem is not None:
        _say(text("cli.check.warning", lang, problem=render(problem, lang)), lang)


def run(args: argparse.Namespace) -> int:
    import tui.core.net  # noqa: F401 - first: it keeps httpx's CLI and HTTP/2 out

    gc.disable()  # importing makes no garbage worth collecting
    try:
        import tui.core.setup.target  # noqa: F401 - imported with the collector off
        from tui.core.diagnosis.engine import run_checks
        from tui.core.i18n import detect_lang
        from tui.core.net.exchange import ExchangeLog
    finally:
        gc.enable()

    lang = detect_lang(args.lang)
    resolved = resolve(args, lang)
    if isinstance(resolved, int):
        return resolved

    log = ExchangeLog()
    gc.freeze()  # what was imported stays: later collections need not walk it again
    loading = _ReportImport()
    log.subscribe(loading.start)
    if wants_progress(args, sys.stderr):
        running = _Running()
        checks = run_checks(resolved.target, log, on_event=running, lang=lang)
        report = asyncio.run(with_progress(checks, running, resolved.target, lang))
    else:
        report = asyncio.run(run_checks(resolved.target, log, lang=lang))
    log.unsubscribe(loading.start)
    loading.join()
    from tui.core.diagnosis.report import render_json, render_markdown, render_text

    annotate(report, resolved, lang)
    record(report, resolved.sources, lang)
    color = use_color(sys.stdout) and not (args.json or args.markdown)
    if args.json:
        output = render_json(report, lang=lang, log=log)
    elif args.markdown:
        output = render_markdown(report, lang=lang, log=log)
    else:
        output = render_text(
            report, lang=lang, color=color, width=report_width(sys.stdout), log=log
        )
    write_report(output, json_text=args.json, color=color)
    # Nothing is left to free: without this the interpreter's last collections walk
    # every object of every imported module (60-90 ms of a ~1 s run).
    gc.freeze()
    return EXIT_FAIL if report.verdict == "fail" else EXIT_OK
