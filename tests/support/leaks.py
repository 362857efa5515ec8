"""Finding a key in output: the key itself or any 8-character piece of it."""

from __future__ import annotations

from collections.abc import Iterable

from tests.conftest import CANARY_KEY


def pieces(key: str, n: int = 8) -> set[str]:
    """Every ``n``-character slice of ``key`` (the whole key when it is shorter)."""
    return {key[i : i + n] for i in range(max(1, len(key) - n + 1))}


def leaks(texts: Iterable[str | bytes], key: str = CANARY_KEY) -> list[str]:
    """Every piece of ``key`` (8 characters or more) found in ``texts``."""
    found: set[str] = set()
    for text in texts:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        found |= {p for p in pieces(key) if p in text}
    return sorted(found)
