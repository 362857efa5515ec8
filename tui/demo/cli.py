"""``gateway-doctor demo-gateway``: run the simulated gateway in the foreground.

Prints the base URL and the demo key, binds loopback unless told otherwise,
and stops cleanly on Ctrl-C (exit 0). ``--list-scenarios`` prints what a
user would see in Chatbox for each fault scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import sys
from collections.abc import Callable

from tui.core.i18n import detect_lang
from tui.core.i18n.catalogue import text

DEFAULT_PORT = 8765


def _port_type(lang: str) -> Callable[[str], int]:
    def port(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                text("cli.demo_gateway.port_not_number", lang, value=value)
            ) from None
        if not 0 <= number <= 65535:
            raise argparse.ArgumentTypeError(
                text("cli.demo_gateway.port_range", lang, value=number)
            )
        return number

    return port


def _non_negative_type(lang: str) -> Callable[[str], float]:
    def non_negative(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                text("cli.demo_gateway.not_number", lang, value=value)
            ) from None
        if number < 0:
            raise argparse.ArgumentTypeError(text("cli.demo_gateway.negative", lang, value=value))
        return number

    return non_negative


def _scenario_type(lang: str) -> Callable[[str], str]:
    def scenario(value: str) -> str:
        from tui.demo.scenarios import SCENARIOS

        if value not in SCENARIOS:
            raise argparse.ArgumentTypeError(
                text(
                    "cli.demo_gateway.unknown_scenario",
                    lang,
                    name=value,
                    names=", ".join(SCENARIOS),
                )
            )
        return value

    return scenario


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    def h(part: str, **params: object) -> str:
        return text(f"cli.demo_gateway.opt_{part}", lang, **params)

    parser.add_argument("--host", default="127.0.0.1", help=h("host"))
    parser.add_argument(
        "--port", type=_port_type(lang), default=DEFAULT_PORT, help=h("port", port=DEFAULT_PORT)
    )
    parser.add_argument(
        "--scenario",
        type=_scenario_type(lang),
        default="healthy",
        metavar="NAME",
        help=h("scenario"),
    )
    parser.add_argument(
        "--latency", type=_non_negative_type(lang), default=0.0, metavar="MS", help=h("latency")
    )
    parser.add_argument(
        "--tokens-per-second",
        type=_non_negative_type(lang),
        default=50.0,
        metavar="N",
        help=h("tps"),
    )
    parser.add_argument("--list-scenarios", action="store_true", help=h("list"))


def list_scenarios(lang: str = "en") -> str:
    """One line per scenario: id, then what a user sees in Chatbox (in ``lang``)."""
    from tui.demo.scenarios import SCENARIOS

    width = max(len(s) for s in SCENARIOS)
    tag = " " + text("scenario.tag.hardening", lang)
    lines = []
    for s in SCENARIOS.values():
        lines.append(f"{s.id:<{width}}  {s.text('symptom', lang)}{tag if s.extra else ''}")
    return "\n".join(lines)


def _curl(base_url: str, key: str) -> str:
    """A command to copy (not prose): stream one reply from the demo gateway."""
    return (
        f"curl -N {base_url}/chat/completions -H 'Authorization: Bearer {key}' "
        "-H 'Content-Type: application/json' "  # not-ui-text: a shell command to copy
        """-d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}'"""
    )


def run(args: argparse.Namespace) -> int:
    lang = detect_lang(getattr(args, "lang", None))
    if args.list_scenarios:
        print(list_scenarios(lang))
        return 0
    from tui.demo.server import DEMO_KEY, DemoGateway

    gw = DemoGateway(
        host=args.host,
        port=args.port,
        scenario=args.scenario,
        latency_ms=args.latency,
        tokens_per_second=args.tokens_per_second,
    )

    def ready(g: DemoGateway) -> None:
        print(text("cli.demo_gateway.listening", lang, scenario=g.scenario))
        print("  " + text("cli.demo_gateway.base", lang, url=g.base_url))
        print("  " + text("cli.demo_gateway.key", lang, key=DEMO_KEY))
        print("  " + text("cli.demo_gateway.per", lang, url=g.scenario_url("<id>")))
        print("  " + text("cli.demo_gateway.try", lang, command=_curl(g.base_url, DEMO_KEY)))
        sys.stdout.flush()

    addr = f"{args.host}:{args.port}"
    try:
        asyncio.run(gw.serve_forever(on_ready=ready))
    except KeyboardInterrupt:
        print(text("cli.demo_gateway.stopped", lang))
        return 0
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            problem = text("cli.demo_gateway.in_use", lang, addr=addr)
        else:
            problem = text("cli.demo_gateway.bind", lang, addr=addr, err=exc.strerror or str(exc))
        sys.stderr.write(text("cli.demo_gateway.prog", lang, problem=problem) + "\n")
        return 2
    return 0
