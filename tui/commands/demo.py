"""``gateway-doctor demo``: the console against the built-in demo gateway.

The demo gateway runs in-process on a free loopback port (its own thread and
event loop), so anyone can see every failure and its remediation without a
real key. ``--headless`` runs the checklist once and prints the text report
(``make check-demo``), or with ``--json``/``--markdown`` what ``check`` prints in
those forms; the exit code follows ``gateway-doctor check``: 0 when nothing failed,
1 when a check failed.
"""

from __future__ import annotations

import argparse
import gc
import sys

from tui.commands.console import add_console_flags, needs_terminal, theme_name
from tui.core.i18n.catalogue import render, text

HEADLESS_COMMAND = "gateway-doctor demo --headless"  # not-ui-text: a command name


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    parser.add_argument(
        "--scenario", default="healthy", metavar="NAME", help=text("cli.demo.scenario", lang)
    )
    parser.add_argument("--headless", action="store_true", help=text("cli.demo.headless", lang))
    # The console's own hint says "add --json for machines": the same forms as check's.
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=text("cli.demo.json", lang))
    out.add_argument("--markdown", action="store_true", help=text("cli.demo.markdown", lang))
    add_console_flags(parser, suppress=True, lang=lang)


def unknown_scenario(name: str, lang: str = "en") -> str | None:
    """A clear message when ``name`` is not a scenario, else None."""
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe
    from tui.demo.server import SCENARIOS

    if name in SCENARIOS:
        return None
    said = terminal_safe(mask(text("cli.demo.unknown_scenario", lang, name=name)))
    return said + "\n" + text("cli.demo.choose", lang, names=", ".join(SCENARIOS)) + "\n"


def run(args: argparse.Namespace) -> int:
    from tui.core.i18n import detect_lang

    lang = detect_lang(getattr(args, "lang", None))
    scenario = getattr(args, "scenario", "healthy") or "healthy"
    problem = unknown_scenario(scenario, lang)
    if problem:
        sys.stderr.write(problem)
        return 2
    timeout = getattr(args, "timeout", None)
    form = "json" if getattr(args, "json", False) else None
    form = "markdown" if getattr(args, "markdown", False) else form
    if args.headless or form:  # --json/--markdown alone: no console to open for them
        return run_headless(scenario, lang, timeout, form)
    problem = needs_terminal(lang, instead=HEADLESS_COMMAND)
    if problem:
        sys.stderr.write(problem)
        return 2
    gc.disable()  # while the console is built, as the console command does
    try:
        return _open(args, scenario, lang, timeout)
    finally:
        gc.enable()


def _open(args: argparse.Namespace, scenario: str, lang: str, timeout: float | None) -> int:
    from tui.demo.server import DemoStartError
    from tui.demo.start import start_demo

    try:
        gateway, target = start_demo(scenario, timeout)
    except DemoStartError as exc:
        sys.stderr.write(render(exc.message, lang) + "\n")
        return 1
    from tui.core.diagnosis.child_run import start_child_run

    child = start_child_run(target)  # the first checks, on the other core (as the console)
    try:
        from tui.ui.app import GatewayDoctorApp

        app = GatewayDoctorApp(
            target,
            sources={"base_url": "demo", "key": "demo"},
            # No --lang: the console's saved choice (else the locale), as the console does.
            lang=lang if getattr(args, "lang", None) else None,
            theme=theme_name(getattr(args, "theme", None)),
            demo=gateway,
            scenario=scenario,
            child_run=child,
        )
        app.run()
        return int(app.return_code or 0)
    finally:
        if child is not None:
            child.cancel()
        gateway.stop()


def run_headless(scenario: str, lang: str, timeout: float | None, form: str | None = None) -> int:
    """Check the demo gateway once and print the report: text, or ``form`` ("json",
    "markdown") as ``check --json``/``--markdown`` prints it."""
    import asyncio
    from types import SimpleNamespace

    from tui.commands.check import annotate, report_width, use_color, write_report
    from tui.core.diagnosis.engine import run_checks
    from tui.core.diagnosis.report import render_json, render_markdown, render_text
    from tui.core.net.exchange import ExchangeLog
    from tui.demo.server import DemoStartError
    from tui.demo.start import start_demo

    try:
        gateway, target = start_demo(scenario, timeout)
    except DemoStartError as exc:
        sys.stderr.write(render(exc.message, lang) + "\n")
        return 1
    log = ExchangeLog()
    try:
        report = asyncio.run(run_checks(target, log, lang=lang))
    finally:
        gateway.stop()
    # Where the settings came from, as the console names them for the demo.
    annotate(
        report, SimpleNamespace(sources={"base_url": "demo", "key": "demo"}, problems=[]), lang
    )
    if form == "json":
        write_report(render_json(report, lang=lang, log=log), json_text=True)
    elif form == "markdown":
        write_report(render_markdown(report, lang=lang, log=log))
    else:
        color, width = use_color(sys.stdout), report_width(sys.stdout)
        write_report(render_text(report, lang=lang, color=color, width=width, log=log), color=color)
    return 1 if report.verdict == "fail" else 0
