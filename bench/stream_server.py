"""A loopback OpenAI-style gateway that streams N tokens at R tokens/s (bench helper).

Runs in its own process so its CPU does not share the benchmarked process's
GIL: ``python bench/stream_server.py --tokens 20000 --rate 10000`` prints the
port, then serves ``GET /models`` and streamed ``POST /chat/completions`` (one
long paragraph, no line breaks) until stdin closes. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading

WORDS = ("gateway", "stream", "token", "reply", "model", "doctor", "quick", "brown", "fox")
TICK = 0.01


def token(i: int) -> str:
    """One token of the paragraph: a word and a space, a sentence end now and then."""
    word = WORDS[i % len(WORDS)]
    return f"{word}. " if i % 17 == 16 else f"{word} "


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, args) -> None:  # noqa: ANN001
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path = lines[0].split(" ")[:2]
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            if method == "GET":
                body = json.dumps({"object": "list", "data": [{"id": "gpt-4o-mini"}]}).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
                continue
            await stream(writer, args.tokens, args.rate)
            return
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def stream(writer: asyncio.StreamWriter, tokens: int, rate: float) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        b"X-Request-Id: bench-1\r\nConnection: close\r\n\r\n"
    )
    loop = asyncio.get_running_loop()
    start = loop.time()
    sent = 0
    while sent < tokens:
        due = min(tokens, int((loop.time() - start) * rate) + 1)
        out = []
        for i in range(sent, due):
            chunk = {
                "id": "chatcmpl-bench",
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": token(i)}, "finish_reason": None}],
            }
            out.append(b"data: " + json.dumps(chunk).encode() + b"\n\n")
        sent = due
        writer.write(b"".join(out))
        await writer.drain()
        await asyncio.sleep(TICK)
    end = {
        "id": "chatcmpl-bench",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "length"}],
    }
    usage = {
        "id": "chatcmpl-bench",
        "choices": [],
        "usage": {"prompt_tokens": 5, "completion_tokens": tokens, "total_tokens": tokens + 5},
    }
    for obj in (end, usage):
        writer.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
    writer.write(b"data: [DONE]\n\n")
    await writer.drain()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=10000.0)
    args = parser.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, args), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    threading.Thread(
        target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(done.set)), daemon=True
    ).start()
    async with server:
        await done.wait()


if __name__ == "__main__":
    asyncio.run(main())
