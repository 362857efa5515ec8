"""Start the built-in demo gateway in this process and make a target for it.

Shared by the ``demo`` command and the console's own "start the demo" action, so the
console never imports the command layer.
"""

from __future__ import annotations

from tui.core.diagnosis.model import DEFAULT_MODEL, Target
from tui.core.safe import masking
from tui.demo.server import DEMO_KEY, DemoGateway


def start_demo(
    scenario: str = "healthy", timeout: float | None = None
) -> tuple[DemoGateway, Target]:
    """Start a demo gateway on a free loopback port; return it and a target for it."""
    gateway = DemoGateway(host="127.0.0.1", port=0, scenario="healthy")
    gateway.start_in_thread()
    masking.register_secret(DEMO_KEY)
    target = Target(
        base_url=gateway.scenario_url(scenario),
        api_key=DEMO_KEY,
        model=DEFAULT_MODEL,
        timeout=timeout or 15.0,
        profile="demo",
        trust_env=False,  # loopback: a corporate proxy must not get in the way
    )
    return gateway, target
