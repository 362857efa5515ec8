"""Write the README screenshots: ``python -m tui.ui.screenshots DIR``.

Runs the console headless (``App.run_test``) against the demo gateway started
in-process, with the real engine, chat and inspector panes, and saves SVGs:
all passed, auth failure expanded, stream failure expanded, narrow 80×24,
Chinese, a failed roll-out trial (pane 4) and the run history (pane 5, after a
few runs). The demo port is random, so the target bar shows it; that is fine
for pictures (the snapshot tests pin everything instead). History is written
to a temporary state directory, never the user's.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

SHOTS: list[tuple[str, str, tuple[int, int], str, str]] = [
    # (file stem, scenario, size, lang, what to do before the picture)
    ("all-passed", "healthy", (140, 40), "en", ""),
    ("auth-failure", "invalid_key", (140, 40), "en", ""),
    ("stream-failure", "stream_cut", (140, 40), "en", ""),
    ("narrow-80x24", "invalid_key", (80, 24), "en", ""),
    ("chinese", "key_disabled", (140, 40), "zh-CN", ""),
    ("trial-failure", "trial_body_limit", (140, 40), "en", "trial"),
    ("history", "healthy", (140, 40), "en", "history"),
]


async def _until(pilot, done, seconds: float = 60.0) -> None:  # noqa: ANN001
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


async def _trial(app, pilot) -> None:  # noqa: ANN001
    """Pane 4, g, the budget answered y, until the trial is done."""
    await pilot.press("4")
    await pilot.pause(0.3)
    await pilot.press("g")
    await _until(pilot, lambda: app.screen is not app.main, 20)
    await pilot.press("y")
    view = app.main.query_one("#trial").query_children().first()
    await _until(pilot, lambda: getattr(view, "state", "") == "done", 120)


async def _history(app, pilot) -> None:  # noqa: ANN001
    """Three more runs of the checklist, then pane 5."""
    for _ in range(3):
        await _until(pilot, lambda: not app.main.running, 30)
        app.run_all()
        await pilot.pause(0.5)
        await _until(pilot, lambda: app.report is not None and not app.main.running, 30)
    await pilot.pause(0.5)
    await pilot.press("5")


_BEFORE = {"trial": _trial, "history": _history}


async def _shot(
    gateway,  # noqa: ANN001
    out: Path,
    stem: str,
    scenario: str,
    size: tuple[int, int],
    lang: str,
    before: str = "",
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
        if before:
            await _BEFORE[before](app, pilot)
            await pilot.pause(0.5)
        app.save_screenshot(filename=f"{stem}.svg", path=str(out))
    return out / f"{stem}.svg"


async def write_all(out: Path) -> list[Path]:
    """Start a demo gateway, take every screenshot, stop it."""
    import os
    import tempfile

    from tui.core.setup.state import STATE_ENV
    from tui.demo.server import DemoGateway

    out.mkdir(parents=True, exist_ok=True)
    gateway = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=400)
    gateway.start_in_thread()
    saved = os.environ.get(STATE_ENV)
    try:
        with tempfile.TemporaryDirectory() as state:
            os.environ[STATE_ENV] = state  # runs are recorded: not into the user's history
            return [await _shot(gateway, out, *shot) for shot in SHOTS]
    finally:
        gateway.stop()
        if saved is None:
            os.environ.pop(STATE_ENV, None)
        else:
            os.environ[STATE_ENV] = saved


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
