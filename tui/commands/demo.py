"""``gateway-doctor demo``: the console against the built-in demo gateway.

The demo gateway runs in-process on a free loopback port (its own thread and
event loop), so anyone can see every failure and its remediation without a
real key. ``--headless`` runs the checklist once and prints the text report
(``make check-demo``); the exit code follows ``gateway-doctor check``: 0 when
nothing failed, 1 when a check failed.
"""

from __future__ import annotations

import argparse
import sys

from tui.commands.console import add_console_flags, needs_terminal, theme_name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario",
        default="healthy",
        metavar="NAME",
        help="fault scenario to start with (see gateway-doctor demo-gateway --list)",
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="run the checks once and print the text report instead of the console",
    )
    add_console_flags(parser, suppress=True)


def unknown_scenario(name: str) -> str | None:
    """A clear message when ``name`` is not a scenario, else None."""
    from tui.demo.server import SCENARIOS

    if name in SCENARIOS:
        return None
    return (
        f"gateway-doctor demo: unknown scenario {name!r}.\nChoose one of: {', '.join(SCENARIOS)}\n"
    )


def run(args: argparse.Namespace) -> int:
    from tui.core.i18n import detect_lang

    scenario = getattr(args, "scenario", "healthy") or "healthy"
    problem = unknown_scenario(scenario)
    if problem:
        sys.stderr.write(problem)
        return 2
    lang = detect_lang(getattr(args, "lang", None))
    timeout = getattr(args, "timeout", None)
    if args.headless:
        return run_headless(scenario, lang, timeout)
    problem = needs_terminal()
    if problem:
        sys.stderr.write(problem.replace("gateway-doctor check", "gateway-doctor demo --headless"))
        return 2
    from tui.demo.start import start_demo

    gateway, target = start_demo(scenario, timeout)
    try:
        from tui.ui.app import GatewayDoctorApp

        app = GatewayDoctorApp(
            target,
            sources={"base_url": "demo", "key": "demo"},
            lang=lang,
            theme=theme_name(getattr(args, "theme", None)),
            demo=gateway,
            scenario=scenario,
        )
        app.run()
        return int(app.return_code or 0)
    finally:
        gateway.stop()


def run_headless(scenario: str, lang: str, timeout: float | None) -> int:
    """Check the demo gateway once and print the text report."""
    import asyncio

    from tui.commands.check import use_color
    from tui.core.diagnosis.engine import run_checks
    from tui.core.diagnosis.report import render_text
    from tui.core.net.exchange import ExchangeLog
    from tui.demo.start import start_demo

    gateway, target = start_demo(scenario, timeout)
    try:
        report = asyncio.run(run_checks(target, ExchangeLog()))
    finally:
        gateway.stop()
    sys.stdout.write(render_text(report, lang=lang, color=use_color(sys.stdout)).rstrip() + "\n")
    return 1 if report.verdict == "fail" else 0
