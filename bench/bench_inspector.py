"""Benchmark: the inspector at 100,000 exchanges against the same pane at 10.

Run: ``.venv/bin/python bench/bench_inspector.py [N]`` (default N = 100000).

For a headless app (``App.run_test``, 160x50) holding the inspector pane, with
10 exchanges and then with N in the same run, it times (median of 5, each up to
the next drawn screen):

* filter: a word typed in the filter box takes effect (``stream``: a fifth match),
* clear filter: the box emptied again (every exchange listed),
* new row: one exchange recorded until it is listed, selected and drawn (follow
  mode; its detail is rendered a frame later, as each selection's is),
* select: jump to one exchange and render its detail,

and prints each as a ratio to the 10-exchange case next to the target of issue
14, plus the process's resident memory (VmRSS) with N exchanges listed.

Exchanges are recorded as masked already (the key in them is in its masked
form, every string their own object as after masking): masking is the
recorder's cost (bench_masking), about 0.5 ms each, 50 s for 100,000.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402

from tests.support.exchange_mix import mixed_exchange  # noqa: E402
from tui.core.net.exchange import Exchange, ExchangeLog  # noqa: E402
from tui.core.safe.masking import mask  # noqa: E402
from tui.ui.paths import stylesheets  # noqa: E402
from tui.ui.widgets.inspector import InspectorPane  # noqa: E402
from tui.ui.widgets.inspector_list import ExchangeList  # noqa: E402

FAKE_KEY = "sk-FAKE-bench-0000-1111-2222-3333"
#: the Authorization value as recording leaves it (masked once, here)
MASKED_AUTH = mask(f"Bearer {FAKE_KEY}")
TARGETS = {"filter": 0.3, "clear": 0.3, "new_row": 0.05}
TARGET_RSS_MIB = 200
REPEAT = 5


class BenchApp(App):
    CSS_PATH = [str(p) for p in stylesheets()]

    def __init__(self, log: ExchangeLog) -> None:
        super().__init__()
        self.exchange_log = log

    def compose(self) -> ComposeResult:
        yield InspectorPane(self.exchange_log, "en", id="inspector-pane")


def make_exchange(i: int) -> Exchange:
    """A realistic mix: JSON answers, SSE streams, 429s and connect timeouts."""
    return mixed_exchange(i, MASKED_AUTH)


def make_log(n: int) -> ExchangeLog:
    log = ExchangeLog()
    for i in range(1, n + 1):
        log.add(make_exchange(i), premasked=True)
    return log


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def drawn(pilot) -> None:
    """Let every widget take its messages, then update the screen (what a terminal gets).

    ``pilot.pause()`` minus its wait for an idle CPU (sleeps that measure the machine).
    """
    await pilot._wait_for_screen()  # noqa: SLF001
    pilot.app.screen._on_timer_update()  # noqa: SLF001


async def timed(pilot, action: Callable[[], Awaitable[None] | None]) -> float:
    t0 = time.perf_counter()
    result = action()
    if result is not None:
        await result
    await drawn(pilot)
    return time.perf_counter() - t0


async def measure(n: int) -> dict[str, float]:
    """Median seconds per operation with ``n`` exchanges, and VmRSS (MiB) once listed."""
    log = make_log(n)
    app = BenchApp(log)
    out: dict[str, list[float]] = {"filter": [], "clear": [], "new_row": [], "select": []}
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(InspectorPane)
        table = pane.query_one(ExchangeList)
        await drawn(pilot)
        assert table.row_count == n, (table.row_count, n)
        next_id = n + 1
        for k in range(-1, REPEAT):  # the first round warms up (imports, caches)
            out["filter"].append(await timed(pilot, lambda: pane._set_filter("stream")))  # noqa: SLF001
            assert 0 < table.row_count < n, table.row_count  # step "stream": a fifth
            out["clear"].append(await timed(pilot, lambda: pane._set_filter("")))  # noqa: SLF001
            assert table.row_count == n + k + 1

            async def record() -> None:
                nonlocal next_id
                ex = make_exchange(next_id)
                next_id += 1
                log.add(ex, premasked=True)
                while table.row_count == 0 or table.key_at(table.cursor_row) != ex.id:
                    await asyncio.sleep(0)

            out["new_row"].append(await timed(pilot, record))
            pick = f"ex-{(n * (k + 2)) // (REPEAT + 2) or 1:06d}"
            out["select"].append(await timed(pilot, lambda: pane.show_exchange(pick)))  # noqa: B023
            pane.action_toggle_follow()  # show_exchange stopped following: follow again
        gc.collect()
        result = {name: statistics.median(v[1:]) for name, v in out.items()}
        result["rss"] = rss_mib()
    return result


async def main(n: int) -> None:
    small = await measure(10)
    big = await measure(n)
    print(f"inspector benchmark: {n} exchanges against 10 (same run, median of {REPEAT})")
    rows = (
        ("filter (a word typed)", "filter"),
        ("clear filter", "clear"),
        ("new row (recorded → listed)", "new_row"),
        ("select + render one", "select"),
    )
    for label, key in rows:
        target = TARGETS.get(key)
        verdict = ""
        if target is not None:
            ok = "ok" if big[key] <= target else "OVER"
            verdict = f"  target ≤ {target * 1000:.0f} ms: {ok}"
        print(
            f"  {label:30} {big[key] * 1000:8.1f} ms  (10: {small[key] * 1000:6.1f} ms, "
            f"ratio {big[key] / small[key]:6.2f}x){verdict}"
        )
    ok = "ok" if big["rss"] <= TARGET_RSS_MIB else "OVER"
    print(
        f"  {'resident memory (VmRSS)':30} {big['rss']:8.1f} MiB (10: {small['rss']:6.1f} MiB, "
        f"ratio {big['rss'] / small['rss']:6.2f}x)  target ≤ {TARGET_RSS_MIB} MiB: {ok}"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
