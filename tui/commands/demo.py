"""``gateway-doctor demo``: the console against the built-in demo gateway.

The demo gateway runs in-process on a free loopback port (its own thread and
event loop), so anyone can see every failure and its remediation without a
real key. ``--headless`` runs the checklist once and prints the text report
(``make check-demo``); the exit code follows ``gateway-doctor check``: 0 when
nothing failed, 1 when a check failed.
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
    if args.headless:
        return run_headless(scenario, lang, timeout)
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


def run_headless(scenario: str, lang: str, timeout: float | None) -> int:
    """Check the demo gateway once and print the text report."""
    import asyncio

    from tui.commands.check import report_width, use_color
    from tui.core.diagnosis.engine import run_checks
    from tui.core.diagnosis.report import render_text
    from tui.core.net.exchange import ExchangeLog
    from tui.demo.server import DemoStartError
    from tui.demo.start import start_demo

    try:
        gateway, target = start_demo(scenario, timeout)
    except DemoStartError as exc:
        sys.stderr.write(render(exc.message, lang) + "\n")
        return 1
    try:
        report = asyncio.run(run_checks(target, ExchangeLog(), lang=lang))
    finally:
        gateway.stop()
    color, width = use_color(sys.stdout), report_width(sys.stdout)
    sys.stdout.write(render_text(report, lang=lang, color=color, width=width).rstrip() + "\n")
    return 1 if report.verdict == "fail" else 0
