"""Write the README screenshots: ``python -m tui.ui.screenshots DIR``.

Runs the console headless (``App.run_test``) against the demo gateway started
in-process, with the real engine, chat and inspector panes, and saves SVGs:
all passed, auth failure expanded, stream failure expanded, narrow 80×24 and
Chinese. The demo port is random, so the target bar shows it; that is fine
for pictures (the snapshot tests pin everything instead).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

SHOTS = [
    # (file stem, scenario, size, lang)
    ("all-passed", "healthy", (140, 40), "en"),
    ("auth-failure", "invalid_key", (140, 40), "en"),
    ("stream-failure", "stream_cut", (140, 40), "en"),
    ("narrow-80x24", "invalid_key", (80, 24), "en"),
    ("chinese", "key_disabled", (140, 40), "zh-CN"),
]


async def _shot(
    gateway, out: Path, stem: str, scenario: str, size: tuple[int, int], lang: str
) -> Path:
    from tui.core.diagnosis.model import DEFAULT_MODEL, Target
    from tui.core.safe import masking
    from tui.demo.server import DEMO_KEY
    from tui.ui.app import GatewayDoctorApp

    masking.register_secret(DEMO_KEY)
    target = Target(
        base_url=gateway.scenario_url(scenario),
        api_key=DEMO_KEY,
        model=DEFAULT_MODEL,
        timeout=10,
        profile="demo",
        trust_env=False,
    )
    app = GatewayDoctorApp(
        target,
        sources={"base_url": "demo", "key": "demo"},
        lang=lang,
        demo=gateway,
        scenario=scenario,
        system_copy=lambda text: None,
        animate_spinner=False,
    )
    async with app.run_test(size=size) as pilot:
        for _ in range(300):
            if app.report is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        app.save_screenshot(filename=f"{stem}.svg", path=str(out))
    return out / f"{stem}.svg"


async def write_all(out: Path) -> list[Path]:
    """Start a demo gateway, take every screenshot, stop it."""
    from tui.demo.server import DemoGateway

    out.mkdir(parents=True, exist_ok=True)
    gateway = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=400)
    gateway.start_in_thread()
    try:
        return [await _shot(gateway, out, *shot) for shot in SHOTS]
    finally:
        gateway.stop()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m tui.ui.screenshots DIR\n")  # not-ui-text: dev script
        return 2
    for path in asyncio.run(write_all(Path(args[0]))):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
