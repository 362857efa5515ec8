"""Benchmark: peak memory of `check` against hostile streams vs. a normal stream.

Runs ``gateway-doctor check`` in a subprocess (``python -m tui``) against an
in-bench loopback gateway whose streamed completion is, in turn: a normal
stream, a flood of ``:`` comments, endless content events one byte per HTTP
chunk, and one endless line. Floods last as long as the stream step lets them
(twice ``--timeout``: 30 s by default). Prints each run's wall time, peak RSS
(``os.wait4`` rusage of that child alone), the ratio to the normal stream and
the stream step's verdict.

    .venv/bin/python bench/bench_stream_memory.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE_KEY = "sk-FAKE-bench-0000-1111-2222-3333-4444"
JSON_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {n}\r\n\r\n"
SSE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
CHUNKED_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    b"Connection: close\r\n\r\n"
)
MODELS = json.dumps({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]})
COMPLETION = json.dumps(
    {
        "id": "c",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "pong"},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }
)  # fmt: skip


def delta(text: str, finish: str | None = None) -> bytes:
    choice = {"index": 0, "delta": {"content": text} if text else {}, "finish_reason": finish}
    return b"data: " + json.dumps({"choices": [choice]}).encode() + b"\n\n"


async def normal(w: asyncio.StreamWriter) -> None:
    w.write(SSE_HEAD)
    for i in range(60):
        w.write(delta(f" {i + 1}"))
        await w.drain()
        await asyncio.sleep(0.02)
    w.write(delta("", "stop") + b"data: [DONE]\n\n")
    await w.drain()


async def comments(w: asyncio.StreamWriter) -> None:
    w.write(SSE_HEAD)
    block = b":\n" * 32768
    while True:
        w.write(block)
        await w.drain()


async def bytes_flood(w: asyncio.StreamWriter) -> None:
    w.write(CHUNKED_HEAD)
    body = delta("x") * 8
    frames = b"".join(b"1\r\n" + body[i : i + 1] + b"\r\n" for i in range(len(body)))
    while True:
        w.write(frames)
        await w.drain()


async def endless_line(w: asyncio.StreamWriter) -> None:
    w.write(SSE_HEAD + b"data: ")
    block = b"a" * 65536
    while True:
        w.write(block)
        await w.drain()


MODES = {"normal": normal, "comments": comments, "bytes": bytes_flood, "line": endless_line}


async def handle(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = (await r.readuntil(b"\r\n\r\n")).decode("latin-1")
            target = head.split(" ")[1]
            length = 0
            for line in head.split("\r\n"):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":")[1])
            body = await r.readexactly(length) if length else b""
            mode = target.strip("/").split("/")[0]
            if target.endswith("/chat/completions") and json.loads(body or b"{}").get("stream"):
                await MODES[mode](w)
                return
            text = MODELS if target.endswith("/models") else COMPLETION
            if not target.endswith(("/models", "/chat/completions")):
                text = '{"error": {"message": "not found"}}'
            w.write((JSON_HEAD.format(n=len(text)) + text).encode())
            await w.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        w.close()


def start_server() -> int:
    ready: list[int] = []
    event = threading.Event()

    def run() -> None:
        async def main() -> None:
            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            ready.append(server.sockets[0].getsockname()[1])
            event.set()
            await asyncio.Event().wait()

        asyncio.run(main())

    threading.Thread(target=run, daemon=True).start()
    event.wait(10)
    return ready[0]


def run_check(url: str, timeout: float, home: str) -> tuple[float, float, dict]:
    """(wall seconds, peak RSS in MB, stream check) of one ``check --json`` child."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        GATEWAY_DOCTOR_API_KEY=FAKE_KEY,
        GATEWAY_DOCTOR_CONFIG=f"{home}/config.toml",
        GATEWAY_DOCTOR_STATE_DIR=f"{home}/state",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    cmd = [sys.executable, "-m", "tui", "check", "--json", "--base-url", url,
           "--timeout", f"{timeout:g}"]  # fmt: skip
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        _pid, _status, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0  # reaped by wait4
        wall = time.perf_counter() - t0
        out.seek(0)
        report = json.loads(out.read())
    stream = next(c for c in report["checks"] if c["id"] == "stream")
    return wall, usage.ru_maxrss / 1024, stream


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0, help="how long each flood runs")
    args = ap.parse_args()
    port = start_server()
    timeout = args.seconds / 2  # the stream step lasts at most twice --timeout
    rows = []
    with tempfile.TemporaryDirectory() as home:
        for mode in MODES:
            url = f"http://127.0.0.1:{port}/{mode}/v1"
            wall, rss, stream = run_check(url, timeout, home)
            rows.append((mode, wall, rss, stream))
            print(f"  {mode}: {wall:.1f} s, {rss:.1f} MB", file=sys.stderr)
    base = rows[0][2]
    print(f"check --timeout {timeout:g} (stream step up to {args.seconds:g} s), peak RSS per run")
    print(f"{'stream':<10} {'wall s':>7} {'peak MB':>8} {'ratio':>6}  verdict")
    for mode, wall, rss, stream in rows:
        detail = stream["detail"][:90]
        print(f"{mode:<10} {wall:>7.1f} {rss:>8.1f} {rss / base:>6.2f}  {stream['code']}: {detail}")


if __name__ == "__main__":
    main()
