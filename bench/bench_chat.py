"""Benchmark: does the chat pane keep up with a fast stream, and stay responsive?

A loopback gateway (``bench/stream_server.py``, its own process) streams one
long paragraph — no line breaks — of N tokens at R tokens/s. Each case reads
the stream twice, the same run:

1. with a bare ``httpx`` client that only reads the SSE stream, and
2. into the chat pane, headless (``App.run_test``), until the last token is
   rendered (the Markdown flushed and the stats line shown),

and prints ``pane time / bare time`` (target ≤ 1.2). While the pane streams,
a key is sent to the prompt box every 20 ms: the worst latency must stay
within 100 ms. After the last token, a 5 ms heartbeat on the UI loop measures
the longest freeze while the reply is stored and recorded (none over 50 ms).

Run: ``.venv/bin/python bench/bench_chat.py`` (exit status 1 if a limit fails).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from textual.app import App, ComposeResult
from textual.widgets import Input

from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.core.safe import json_parse as safe_json
from tui.ui.early import settle_gc
from tui.ui.paths import styles_dir
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_message import AssistantMessage

CASES = ((5000, 2000.0), (20000, 10000.0))
MAX_RATIO = 1.2
MAX_KEY_MS = 100.0
MAX_FREEZE_MS = 50.0
KEY_INTERVAL = 0.02
BEAT = 0.005
KEY = "sk-bench-0000000000000000000000000000"
SERVER = Path(__file__).with_name("stream_server.py")


class BenchApp(App):
    CSS_PATH = str(styles_dir() / "chat.tcss")

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target
        self.log_ = ExchangeLog()

    def compose(self) -> ComposeResult:
        yield ChatPane(self.target, self.log_, "en")


def start_server(tokens: int, rate: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), "--tokens", str(tokens), "--rate", str(rate)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}/v1"


async def bare_httpx(base: str) -> tuple[float, int]:
    """Seconds to read the whole stream with a plain client, and content chunks seen."""
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "b"}], "stream": True}
    chunks = 0
    async with httpx.AsyncClient(timeout=30, trust_env=False) as client:
        start = time.perf_counter()
        headers = {"Authorization": f"Bearer {KEY}"}
        async with client.stream(
            "POST", base + "/chat/completions", json=body, headers=headers
        ) as resp:
            async for line in resp.aiter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    data = safe_json.loads(line[6:])
                    if isinstance(data, dict) and data.get("choices"):
                        if data["choices"][0]["delta"].get("content"):
                            chunks += 1
        return time.perf_counter() - start, chunks


class Heartbeat:
    """Gaps between 5 ms ticks of the UI loop: how long it was held."""

    def __init__(self) -> None:
        self.gaps: list[tuple[float, float]] = []  # (when, gap)
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(BEAT)
            now = time.perf_counter()
            self.gaps.append((now, now - last - BEAT))
            last = now

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def worst(self, since: float, until: float) -> float:
        return max((g for t, g in self.gaps if since <= t <= until), default=0.0)


async def into_pane(base: str, tokens: int) -> dict[str, float]:
    target = Target(base_url=base, api_key=KEY, model="gpt-4o-mini", timeout=30, trust_env=False)
    app = BenchApp(target)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ChatPane)
        box = app.query_one("#chat-input", Input)
        box.focus()
        await pilot.pause(0.3)  # model list loaded, UI settled
        settle_gc()  # as the console does once its panes are built (tui/ui/early.py)
        beat = Heartbeat()
        beat.start()
        start = time.perf_counter()
        pane.send_prompt("benchmark")
        await pilot.pause(0)
        sent = 0
        latencies: list[float] = []
        while pane.busy:
            before = len(box.value)
            t0 = time.perf_counter()
            app.post_message(_key("x"))
            while len(box.value) == before and pane.busy:
                await asyncio.sleep(0.001)
            if len(box.value) > before:
                latencies.append(time.perf_counter() - t0)
            sent += 1
            await asyncio.sleep(KEY_INTERVAL)
        stored = time.perf_counter()
        await asyncio.sleep(1.0)  # the freeze window: storing, recording, the inspector's turn
        beat.stop()
        msg = app.query(AssistantMessage).last()
        reply = pane.session.history[-1].reply
        assert reply.ok, reply.error
        rendered = len(msg.body_source()) == len(reply.content)
        freeze = beat.worst(msg.rendered_at or stored, stored + 1.0)
    return {
        "elapsed": (msg.rendered_at or 0) - start,
        "complete": (msg.finished_at or 0) - start,
        "tokens": reply.stats.completion_tokens or 0,
        "rendered": float(rendered),
        "keys_sent": sent,
        "keys_handled": len(latencies),
        "key_p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "key_max_ms": max(latencies) * 1000 if latencies else float("nan"),
        "freeze_ms": freeze * 1000,
    }


def _key(char: str):
    from textual import events

    return events.Key(char, char)


async def run_case(tokens: int, rate: float) -> bool:
    proc, base = start_server(tokens, rate)
    try:
        bare, chunks = await bare_httpx(base)
        pane = await into_pane(base, tokens)
    finally:
        proc.communicate("", timeout=10)
    ratio = pane["elapsed"] / bare
    print(f"== {tokens:,} tokens at {rate:,.0f} tokens/s, one paragraph (loopback gateway)")
    print(f"bare httpx read:                 {bare:6.3f} s  ({chunks} content chunks)")
    print(
        f"chat pane, last token rendered:  {pane['elapsed']:6.3f} s  "
        f"(fully rendered: {bool(pane['rendered'])})"
    )
    print(f"chat pane, stats shown:          {pane['complete']:6.3f} s")
    print(f"ratio pane / bare:               {ratio:6.3f}  (target ≤ {MAX_RATIO})")
    print(
        f"key presses during the stream: {pane['keys_handled']:.0f} handled of "
        f"{pane['keys_sent']:.0f}; latency p50 {pane['key_p50_ms']:.1f} ms, "
        f"worst {pane['key_max_ms']:.1f} ms  (target ≤ {MAX_KEY_MS:.0f} ms)"
    )
    print(
        f"longest UI freeze after the stream: {pane['freeze_ms']:.1f} ms  "
        f"(target ≤ {MAX_FREEZE_MS:.0f} ms)"
    )
    ok = ratio <= MAX_RATIO and pane["key_max_ms"] <= MAX_KEY_MS
    ok = ok and pane["freeze_ms"] <= MAX_FREEZE_MS
    ok = ok and pane["keys_handled"] >= max(1, pane["keys_sent"] - 1)
    return ok and bool(pane["rendered"]) and chunks == tokens


async def main() -> int:
    ok = True
    for tokens, rate in CASES:
        ok = await run_case(tokens, rate) and ok
    print("OK" if ok else "ABOVE TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
