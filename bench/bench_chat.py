"""Benchmark: does the chat pane keep up with a fast stream, and stay responsive?

Streams a 5,000-token reply at 2,000 tokens/s from the demo gateway twice:

1. with a bare ``httpx`` client that only reads the SSE stream, and
2. into the chat pane, headless (``App.run_test``), until the last token is
   rendered (the Markdown stream flushed and the stats line shown),

and prints ``pane time / bare time``; the ratio must stay under 1.2. While the
pane streams, key presses are sent to the prompt box every 20 ms; the bench
counts how many were handled during the stream and their worst latency.

Run: ``.venv/bin/python bench/bench_chat.py`` (exit status 1 if a limit fails).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

import httpx
from textual.app import App, ComposeResult
from textual.widgets import Input

from tui.core.exchange import ExchangeLog
from tui.core.model import Target
from tui.demo import responses
from tui.demo.server import DEMO_KEY, DemoGateway
from tui.ui.paths import styles_dir
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_message import AssistantMessage

TOKENS = 5000
RATE = 2000.0
MAX_RATIO = 1.2
KEY_INTERVAL = 0.02


class BenchApp(App):
    CSS_PATH = str(styles_dir() / "chat.tcss")

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        yield ChatPane(self.target, ExchangeLog(), "en")


async def bare_httpx(gw: DemoGateway) -> tuple[float, int]:
    """Seconds to read the whole stream with a plain client, and content chunks seen."""
    body = {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "benchmark"}],
        "stream": True,
        "max_tokens": TOKENS,
        "stream_options": {"include_usage": True},
    }
    headers = {"Authorization": f"Bearer {DEMO_KEY}"}
    chunks = 0
    async with httpx.AsyncClient(timeout=30) as client:
        start = time.perf_counter()
        async with client.stream(
            "POST", gw.base_url + "/chat/completions", json=body, headers=headers
        ) as resp:
            async for line in resp.aiter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    data = json.loads(line[6:])
                    if data.get("choices") and data["choices"][0]["delta"].get("content"):
                        chunks += 1
        return time.perf_counter() - start, chunks


async def into_pane(gw: DemoGateway) -> dict[str, float]:
    target = Target(base_url=gw.base_url, api_key=DEMO_KEY, model="gpt-4o-mini", timeout=30)
    app = BenchApp(target)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ChatPane)
        box = app.query_one("#chat-input", Input)
        app.query_one("#chat-max", Input).value = str(TOKENS)
        box.focus()
        await pilot.pause(0.2)  # model list loaded, UI settled
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
        msg = app.query(AssistantMessage).last()
        elapsed = msg.rendered_at - start
        complete = msg.finished_at - start
        reply = pane.session.history[-1].reply
        assert reply.ok, reply.error
        tokens = reply.stats.completion_tokens or 0
        rendered = len(msg.body.source) == len(reply.content)
    return {
        "elapsed": elapsed,
        "complete": complete,
        "tokens": tokens,
        "rendered": float(rendered),
        "keys_sent": sent,
        "keys_handled": len(latencies),
        "key_p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "key_max_ms": max(latencies) * 1000 if latencies else float("nan"),
    }


def _key(char: str):
    from textual import events

    return events.Key(char, char)


async def main() -> int:
    assert responses.MAX_TOKENS_CAP >= TOKENS, "the demo caps replies below the benchmark size"
    gw = DemoGateway(tokens_per_second=RATE)
    gw.start_in_thread()
    try:
        bare, chunks = await bare_httpx(gw)
        pane = await into_pane(gw)
    finally:
        gw.stop()
    ratio = pane["elapsed"] / bare
    print(f"stream: {TOKENS} tokens at {RATE:.0f} tokens/s from the demo gateway")
    print(f"bare httpx read:         {bare:6.3f} s  ({chunks} content chunks)")
    print(
        f"chat pane, last token rendered: {pane['elapsed']:6.3f} s  "
        f"({pane['tokens']:.0f} tokens, fully rendered: {bool(pane['rendered'])})"
    )
    print(f"chat pane, reply complete (stats shown): {pane['complete']:6.3f} s")
    print(f"ratio pane / bare:       {ratio:6.3f}  (limit < {MAX_RATIO})")
    print(
        f"key presses during the stream: {pane['keys_handled']:.0f} handled of "
        f"{pane['keys_sent']:.0f} sent; latency p50 {pane['key_p50_ms']:.1f} ms, "
        f"max {pane['key_max_ms']:.1f} ms"
    )
    ok = ratio < MAX_RATIO and pane["keys_handled"] >= max(1, pane["keys_sent"] - 1)
    ok = ok and bool(pane["rendered"]) and chunks == TOKENS
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
