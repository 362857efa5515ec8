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

from tui.core.i18n import detect_lang

DEFAULT_PORT = 8765

_TEXT = {
    "en": {
        "listening": "Demo gateway listening (scenario: {scenario}). Press Ctrl-C to stop.",
        "base": "Base URL (API host):",
        "key": "API key:",
        "per": "Per-request scenario:",
        "try": "Try:",
        "stopped": "Demo gateway stopped.",
        "in_use": "cannot listen on {addr}: the port is already in use. Pick another with --port N, "
        "or --port 0 for a free one.",
        "bind": "cannot listen on {addr}: {err}. Check --host and --port.",
    },
    "zh-CN": {
        "listening": "演示网关已启动（场景：{scenario}）。按 Ctrl-C 停止。",
        "base": "Base URL（API 地址）：",
        "key": "API 密钥：",
        "per": "按请求选择场景：",
        "try": "试试：",
        "stopped": "演示网关已停止。",
        "in_use": "无法监听 {addr}：端口已被占用。请用 --port N 换一个端口，或用 --port 0 自动选择空闲端口。",
        "bind": "无法监听 {addr}：{err}。请检查 --host 和 --port。",
    },
}


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number 0-65535, got {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535 (0 = any free port), got {port}")
    return port


def _non_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return number


def _scenario(value: str) -> str:
    from tui.demo.scenarios import SCENARIOS

    if value not in SCENARIOS:
        raise argparse.ArgumentTypeError(
            f"unknown scenario {value!r}; see --list-scenarios (valid: {', '.join(SCENARIOS)})"
        )
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port to bind (default: {DEFAULT_PORT}; 0 = any free port, printed at start)",
    )
    parser.add_argument(
        "--scenario",
        type=_scenario,
        default="healthy",
        metavar="NAME",
        help="scenario for paths without /scenario/<id> (default: healthy)",
    )
    parser.add_argument(
        "--latency",
        type=_non_negative,
        default=0.0,
        metavar="MS",
        help="extra delay before every response's headers, in milliseconds",
    )
    parser.add_argument(
        "--tokens-per-second",
        type=_non_negative,
        default=50.0,
        metavar="N",
        help="streaming speed (default: 50; 0 = as fast as possible)",
    )
    parser.add_argument(
        "--list-scenarios",
        action="store_true",
        help="print every scenario with the symptom a user sees in Chatbox, then exit",
    )


def list_scenarios(lang: str = "en") -> str:
    """One line per scenario: id, then what a user sees in Chatbox."""
    from tui.demo.scenarios import SCENARIOS

    width = max(len(s) for s in SCENARIOS)
    lines = []
    for s in SCENARIOS.values():
        symptom = s.symptom_zh if lang == "zh-CN" else s.symptom
        tag = " [hardening]" if s.extra else ""
        lines.append(f"{s.id:<{width}}  {symptom}{tag}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    lang = detect_lang(getattr(args, "lang", None))
    text = _TEXT[lang]
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
        print(text["listening"].format(scenario=g.scenario))
        print(f"  {text['base']} {g.base_url}")
        print(f"  {text['key']} {DEMO_KEY}")
        print(f"  {text['per']} {g.scenario_url('<id>')}")
        print(
            f"  {text['try']} curl -N {g.base_url}/chat/completions "
            f"-H 'Authorization: Bearer {DEMO_KEY}' -H 'Content-Type: application/json' "
            """-d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}'"""
        )
        sys.stdout.flush()

    addr = f"{args.host}:{args.port}"
    try:
        asyncio.run(gw.serve_forever(on_ready=ready))
    except KeyboardInterrupt:
        print(text["stopped"])
        return 0
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            sys.stderr.write(f"gateway-doctor demo-gateway: {text['in_use'].format(addr=addr)}\n")
        else:
            err = exc.strerror or str(exc)
            sys.stderr.write(
                f"gateway-doctor demo-gateway: {text['bind'].format(addr=addr, err=err)}\n"
            )
        return 2
    return 0
