"""Benchmark: the inspector with 10,000 exchanges stays responsive.

Run: ``.venv/bin/python bench/bench_inspector.py [N]`` (default N = 10000).

Prints, for a headless app (``App.run_test``):

* the time to stream N exchanges into a mounted pane (incremental ``add_row``),
* the time to rebuild the list for a filter over N exchanges,
* the time to select and render one exchange with N in the log, against a
  baseline measured in the same run with a 10-exchange log, as a ratio
  (close to 1.0 means the detail does not slow down as the log grows),
* memory: the Python heap held by N exchanges plus the pane (tracemalloc).
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from tui.core.exchange import Exchange, ExchangeLog, SseEvent  # noqa: E402
from tui.ui.paths import stylesheets  # noqa: E402
from tui.ui.widgets.inspector import InspectorPane  # noqa: E402

FAKE_KEY = "sk-FAKE-bench-0000-1111-2222-3333"


class BenchApp(App):
    CSS_PATH = [str(p) for p in stylesheets()]

    def __init__(self, log: ExchangeLog) -> None:
        super().__init__()
        self.exchange_log = log

    def compose(self) -> ComposeResult:
        yield InspectorPane(self.exchange_log, "en", id="inspector-pane")


def make_exchange(i: int) -> Exchange:
    """A realistic mix: JSON answers, SSE streams, errors and failures."""
    kind = i % 10
    ex = Exchange(
        id=f"ex-{i:05d}",
        step=("auth", "balance", "model", "stream", "chat")[i % 5],
        started_at=f"2025-01-02T03:{(i // 60) % 60:02d}:{i % 60:02d}.000Z",
        method="POST" if kind < 7 else "GET",
        url=f"http://127.0.0.1:8000/v1/chat/completions?n={i}",
        request_headers=[
            ("host", "127.0.0.1:8000"),
            ("authorization", f"Bearer {FAKE_KEY}"),
            ("content-type", "application/json"),
        ],
        request_body=b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}',
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        response_headers=[("content-type", "application/json"), ("x-request-id", f"req-{i}")],
        response_body=b'{"id":"chatcmpl-1","choices":[{"message":{"content":"%d"}}]}' % i,
        body_size=60,
        timings={"connect": 1.0, "ttfb": 100.0, "transfer": 5.0, "total": 106.0},
        duration_ms=106.0,
    )
    if kind == 3:
        ex.streamed = True
        ex.response_headers = [("content-type", "text/event-stream")]
        ex.sse_events = [
            SseEvent(10.0 * k, '{"choices":[{"delta":{"content":"tok"}}]}') for k in range(20)
        ]
        ex.response_body = b"".join(b"data: %s\n\n" % e.data.encode() for e in ex.sse_events)
    elif kind == 5:
        ex.status, ex.reason = 429, "Too Many Requests"
    elif kind == 8:
        ex.status, ex.reason, ex.response_headers, ex.response_body = None, "", [], b""
        ex.error, ex.error_kind = "connect timed out", "connect_timeout"
    return ex


def make_log(n: int) -> ExchangeLog:
    log = ExchangeLog()
    for i in range(1, n + 1):
        log.add(make_exchange(i))
    return log


async def wait_rows(pilot, pane: InspectorPane, n: int) -> None:
    table = pane.query_one(DataTable)
    while table.row_count < n:
        await pilot.pause(0.001)


async def time_select(log: ExchangeLog, ids: list[str]) -> float:
    """Median seconds to select and render one exchange (show_exchange + refresh)."""
    app = BenchApp(log)
    samples = []
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(InspectorPane)
        await pilot.pause()
        for eid in ids:
            t0 = time.perf_counter()
            pane.show_exchange(eid)
            await pilot.pause()
            samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


async def time_stream_in(n: int) -> tuple[float, float]:
    """Seconds to stream ``n`` exchanges into a mounted pane; seconds for one filter rebuild."""
    log = ExchangeLog()
    app = BenchApp(log)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(InspectorPane)
        t0 = time.perf_counter()
        for i in range(1, n + 1):
            log.add(make_exchange(i))
            if i % 500 == 0:
                await pilot.pause(0)  # let the UI take batches, as it would live
        await wait_rows(pilot, pane, n)
        await pilot.pause()
        fill = time.perf_counter() - t0
        t1 = time.perf_counter()
        pane._filter_text = "stream"
        pane._rebuild()
        await pilot.pause()
        rebuild = time.perf_counter() - t1
    return fill, rebuild


async def measure_memory(n: int) -> tuple[float, float]:
    """MiB held by ``n`` exchanges, and MiB more once the pane lists them all."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    log = make_log(n)
    exchanges = tracemalloc.get_traced_memory()[0] - base
    app = BenchApp(log)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(InspectorPane)
        await wait_rows(pilot, pane, n)
        await pilot.pause()
        gc.collect()
        with_pane = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return exchanges / 2**20, (with_pane - exchanges) / 2**20


async def main(n: int) -> None:
    picks = [f"ex-{i:05d}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    baseline = await time_select(make_log(10), picks)
    big_picks = [f"ex-{i:05d}" for i in (n // 2, 1, n, n // 3, 2 * n // 3, 4, 7, 9, 3, n - 1)]
    big = await time_select(make_log(n), big_picks)
    fill, rebuild = await time_stream_in(n)
    mem_ex, mem_pane = await measure_memory(n)
    print(f"inspector benchmark, {n} exchanges")
    print(f"  stream {n} exchanges into the list : {fill:8.3f} s ({fill / n * 1e6:.0f} µs each)")
    print(f"  rebuild the list for a filter      : {rebuild:8.3f} s")
    print(f"  select + render one (10 in log)    : {baseline * 1000:8.1f} ms  (baseline)")
    print(f"  select + render one ({n} in log) : {big * 1000:8.1f} ms")
    print(f"  ratio {n} / 10                   : {big / baseline:8.2f}x")
    print(f"  memory: exchanges {mem_ex:.1f} MiB, inspector list +{mem_pane:.1f} MiB (tracemalloc)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
