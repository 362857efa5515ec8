"""Benchmark: the console's first frame and "all checks done", each against a baseline.

Every process is fresh (imports included) and timed from its launch, against a
demo gateway started here on loopback. The console starts through ``tui.cli.main``
as ``gateway-doctor --base-url URL`` starts it (the parser, the target, the first
checks in a child process, then Textual), headless, with a state directory of its
own (no profiles, no history).

* first frame: the console's first painted main screen ÷ a minimal Textual
  app's (a Static and a Footer), target ≤ 1.5;
* all checks done: the console's first frame that shows the report ÷
  ``gateway-doctor check`` exiting, target ≤ 1.2.

The runs are interleaved (minimal app, console, check) so all three see the
same load; medians are printed. "First frame" is the first compositor update
of the screen handed to the driver (headless, so nothing is written).

The auto-pilot only watches: it polls with ``asyncio.sleep``, never with
``Pilot.pause``, which waits for every widget's queue and forces a compositor
refresh each time (every 2 ms that starved the app it measured: "checks done"
852 ms with it, 494 ms without, same code and minutes).
It runs twice: with the demo gateway answering after 200 ms (the gateway of issue
14's table, and of bench_check.py) and after 0 ms (``gateway-doctor demo``). With
200 ms, the child's checks mostly wait on the network while the console is built;
with 0 ms they are CPU-bound and share the 2 cores with the console and the
gateway.

Usage: python bench/bench_console.py [--runs N] [--scenario NAME] [--latency MS ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

FIRST_FRAME_TARGET = 1.5
CHECKS_DONE_TARGET = 1.2

#: Wraps ``App._display`` so the first update of a non-default screen is timed.
FRAME_HOOK = r"""
def hook(app, marks, t_start, want):
    display = app._display
    def timed(screen, renderable):
        if renderable is not None and want(screen):
            now = time.time() - t_start
            marks.setdefault("first_frame", now)
            if getattr(app, "report", None) is not None:
                marks.setdefault("checks_done", now)  # the first frame that shows them
        return display(screen, renderable)
    app._display = timed
"""

MINIMAL = (
    r"""
import asyncio, json, sys, time
t_start = float(sys.argv[1])
from textual.app import App
from textual.widgets import Footer, Static
"""
    + FRAME_HOOK
    + r"""
class Minimal(App):
    def compose(self):
        yield Static("hello")
        yield Footer()
marks = {}
app = Minimal()
hook(app, marks, t_start, lambda screen: True)
async def pilot(p):
    while "first_frame" not in marks:
        await asyncio.sleep(0.002)
    app.exit()
app.run(headless=True, auto_pilot=pilot, size=(140, 40))
print(json.dumps(marks))
"""
)

CONSOLE = (
    r"""
import sys, time
t_start = float(sys.argv[2])
url, key = sys.argv[1], sys.argv[3]
"""
    + FRAME_HOOK
    + r"""
# The console as `gateway-doctor --base-url URL` starts it (tui/cli.py: the parser, the
# target, the first checks in a child process, then Textual), headless: its app's run()
# is wrapped as tui/ui/app.py is imported, so nothing is imported sooner than it is.
import importlib.machinery, os
os.environ["OPENAI_API_KEY"] = key
marks = {}

def patch(cls):
    run = cls.run
    def headless(app, *args, **kwargs):
        import asyncio
        hook(app, marks, t_start, lambda screen: type(screen).__name__ == "MainScreen")
        async def pilot(p):
            while "checks_done" not in marks:
                await asyncio.sleep(0.002)
            app.exit()
        return run(app, headless=True, auto_pilot=pilot, size=(140, 40))
    cls.run = headless

class AfterApp:  # a meta path finder (importlib.abc would cost an import)
    def find_spec(self, name, path, target=None):
        if name != "tui.ui.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module
        def exec_module(module):
            load(module)
            patch(module.GatewayDoctorApp)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, AfterApp())
import tui.commands.console as console_command
console_command.needs_terminal = lambda *a, **k: None  # headless: no terminal needed
from tui import cli
code = cli.main(["--base-url", url])
import json
print(json.dumps(marks))
"""
)


def isolated_env() -> dict[str, str]:
    """This process's environment with a home, config and state of the run's own (the
    console and check read profiles and write history), no proxy, no key variable."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    for name in ("OPENAI_API_KEY", "GATEWAY_DOCTOR_API_KEY", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env.update(HOME=_STATE, XDG_CONFIG_HOME=_STATE, GATEWAY_DOCTOR_STATE_DIR=_STATE, NO_COLOR="1")
    return env


_STATE = tempfile.mkdtemp(prefix="bench-console-")


def _child(code: str, *args: str) -> dict[str, float]:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", code, *args[:1], repr(start), *args[1:]]
        if args
        else [sys.executable, "-c", code, repr(start)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=isolated_env(),
    )
    marks = json.loads(proc.stdout.strip().splitlines()[-1])
    marks["exit"] = time.time() - start
    return marks


def minimal_once() -> dict[str, float]:
    return _child(MINIMAL)


def console_once(url: str, key: str) -> dict[str, float]:
    return _child(CONSOLE, url, key)


def check_once(url: str, key: str) -> dict[str, float]:
    env = {**isolated_env(), "OPENAI_API_KEY": key}
    start = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "check", "--base-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    proc.stdout.read(1)
    first = time.time() - start
    proc.communicate(timeout=120)
    return {"first_output": first, "exit": time.time() - start}


def median_ms(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs) * 1000


def measure(latency_ms: int, scenario: str, runs: int) -> tuple[float, float]:
    """Print one table (minimal app, console, check, interleaved) at this gateway latency;
    return (first frame ratio, checks done ratio)."""
    from tui.demo.server import DEMO_KEY, DemoGateway

    gateway = DemoGateway(host="127.0.0.1", port=0, latency_ms=latency_ms, tokens_per_second=2000)
    gateway.start_in_thread()
    minimal, console, check = [], [], []
    try:
        url = gateway.scenario_url(scenario)
        for _ in range(runs):
            minimal.append(minimal_once())
            console.append(console_once(url, DEMO_KEY))
            check.append(check_once(url, DEMO_KEY))
    finally:
        gateway.stop()
    print(
        f"demo gateway scenario {scenario!r}, {latency_ms} ms per response; "
        f"median of {runs} interleaved runs (ms from process launch, imports included)"
    )
    print(f"{'':30}{'first frame/output':>20}{'checks done':>14}{'exit':>10}")
    print(f"{'minimal Textual app':30}{median_ms(minimal, 'first_frame'):>20.0f}{'':>14}")
    print(
        f"{'console (headless Textual)':30}{median_ms(console, 'first_frame'):>20.0f}"
        f"{median_ms(console, 'checks_done'):>14.0f}{median_ms(console, 'exit'):>10.0f}"
    )
    print(
        f"{'gateway-doctor check':30}{median_ms(check, 'first_output'):>20.0f}"
        f"{median_ms(check, 'exit'):>14.0f}{median_ms(check, 'exit'):>10.0f}"
    )
    frame = median_ms(console, "first_frame") / median_ms(minimal, "first_frame")
    done = median_ms(console, "checks_done") / median_ms(check, "exit")
    for what, ratio, target in (
        ("first frame, console / minimal Textual app:", frame, FIRST_FRAME_TARGET),
        ("all checks done, console / check:", done, CHECKS_DONE_TARGET),
    ):
        verdict = "OK" if ratio <= target else "ABOVE TARGET"
        print(f"{what:<45}{ratio:5.2f}  (target ≤ {target}: {verdict})")
    print()
    return frame, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario", default="healthy")
    parser.add_argument(
        "--latency",
        type=int,
        action="append",
        help="demo latency in ms, repeatable (default: 200, issue 14's gateway, then 0, "
        "the built-in demo's)",
    )
    args = parser.parse_args()
    for latency in args.latency or [200, 0]:
        measure(latency, args.scenario, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
