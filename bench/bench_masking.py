"""Benchmark: masking stays linear whatever text a gateway sends.

Run: ``.venv/bin/python bench/bench_masking.py [MB]`` (default 8).

Masks MB of a realistic chat-completion body (JSON, repeated) and MB of each
adversarial shape that used to make a pattern backtrack (``-eyJ`` runs,
``a-a-…@``, long base64/hex runs, ``@``, ``-``, ``=``, ``%XX``, ``\\uXXXX``
and escape-sequence runs). A last, dense shape (a real ``"key": "…"`` field every 10 bytes) is
reported without a target: its cost is one Python call per secret. Each adversarial text starts with a line holding every pattern's
trigger word, so no pattern is skipped by the cheap pre-check. A key is
registered, as in the real program. Prints MB/s for each and the ratio of its
time to the plain one, next to the target (≤ 3×). Exit status 1 when a shape
misses the target.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.safe.masking import clear_secrets, mask, register_secret  # noqa: E402

FAKE_KEY = "sk-FAKE-bench-0000-1111-2222-3333"
TARGET = 3.0
TRIGGERS = (
    "Authorization: Bearer x api-key: x Cookie: a=b basic ?key=x "
    '"api_key": "x" http://u:p@h sk-x eyJ %41 \\u0041 \\/\n'
)


def plain_json(size: int) -> str:
    body = json.dumps(
        {
            "id": "chatcmpl-abc123def456",
            "object": "chat.completion",
            "created": 1767225600,
            "model": "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": "Hello! Streams arrive as small chunks; the gateway "
                        "answered in 240 ms. See https://example.com/docs?page=2 for more.",
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42},
        }
    )
    return _fill(body + "\n", size)


def _fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def adversarial(size: int) -> dict[str, str]:
    t = TRIGGERS
    return {
        "-eyJ run": _fill("-eyJ", size, t),
        "a-a-…@": _fill("a-", size, t, "@"),
        "http://a-a-…@": _fill("a-", size, t + "http://", "@"),
        "sk-a-a-…": _fill("a-", size, t + "sk-"),
        "eyJ.eyJ.": _fill("eyJa.", size, t),
        "base64 run": _fill("QUJDREVGR0hJSktMTU5PUA", size, t + "Bearer "),
        "hex run": _fill("0123456789abcdef", size, t),
        "@ run": _fill("@", size, t),
        "- run": _fill("-", size, t),
        "= run": _fill("=", size, t + "?key"),
        "://a: run": _fill("://a:", size, t),
        "%XX run": _fill("%73%6B%2D", size, t),
        "\\uXXXX run": _fill("\\u0073\\u006b", size, t),
        "\\x1b[ run": _fill("\x1b[0;", size, t),
        "\\x1b[1msk- run": _fill("\x1b[1msk-", size, t),
    }


def dense(size: int) -> dict[str, str]:
    """Real secrets every few bytes: each one costs a Python call (reported, no target)."""
    return {'"key": "\\" run': _fill('"key": "\\"', size, TRIGGERS)}


def timed(text: str, runs: int = 2) -> float:
    """Best of ``runs`` (the machine is shared; the minimum is the least noisy)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        mask(text)
        best = min(best, time.perf_counter() - start)
    return best


def paired(plain: str, text: str, runs: int = 3) -> tuple[float, float]:
    """Best of ``runs`` for each, measured in turn (A B A B …) so both see the same load."""
    best_plain = best_text = float("inf")
    for _ in range(runs):
        best_plain = min(best_plain, timed(plain, 1))
        best_text = min(best_text, timed(text, 1))
    return best_plain, best_text


def main(argv: list[str]) -> int:
    mb = float(argv[0]) if argv else 8.0
    size = int(mb * 1_000_000)
    clear_secrets()
    register_secret(FAKE_KEY)
    plain = plain_json(size)
    timed(plain[:10_000])  # warm the caches (patterns, secret plan)
    base = timed(plain, 3)
    print(f"masking {mb:g} MB each; target: adversarial time ≤ {TARGET:g}× plain")
    print(f"{'plain JSON':<18} {len(plain) / 1e6 / base:8.1f} MB/s")
    worst = 0.0
    for name, text in adversarial(size).items():
        # Plain measured in turn with each shape: the machine is shared, and a ratio of
        # two measurements taken seconds apart mostly measures the neighbours.
        local, took = paired(plain, text)
        ratio = took / local
        worst = max(worst, ratio)
        mark = "ok" if ratio <= TARGET else "SLOW"
        print(f"{name:<18} {len(text) / 1e6 / took:8.1f} MB/s  {ratio:5.2f}× plain  {mark}")
    print(f"worst ratio {worst:.2f}× (target ≤ {TARGET:g}×)")
    for name, text in dense(size).items():
        took = timed(text, 1)
        print(f"{name:<18} {len(text) / 1e6 / took:8.1f} MB/s  {took / base:5.2f}× plain  "
              f"(dense: {text.count('key')} real fields to mask; no target)")  # fmt: skip
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
