"""Finding a key in output: the key itself or any 8-character piece of it, in any form.

A gateway may echo the key upper- or lower-cased, spaced out, split by
invisible characters, backwards, JSON-escaped
(``\\u0073k-…``, ``\\/``), percent-encoded or base64-encoded (alone, as
``Bearer <key>``, or inside a longer blob). :func:`leaks` looks for pieces
case-insensitively in the text with those escapes decoded, and for pieces of
the key's base64 text (standard and URL-safe, at each of the three byte
alignments a blob can put it at) and of its hex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tests.conftest import CANARY_KEY
from tui.core.safe.key_forms import SPACERS, base64_middles

_NO_SPACERS = str.maketrans("", "", SPACERS)
_ESCAPE = re.compile(r"\\{1,3}u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})|\\{1,3}(/)")


def pieces(key: str, n: int = 8) -> set[str]:
    """Every ``n``-character slice of ``key`` (the whole key when it is shorter)."""
    return {key[i : i + n] for i in range(max(1, len(key) - n + 1))}


def base64_pieces(key: str, n: int = 8) -> set[str]:
    """``n``-character pieces of the key's base64 text at every alignment."""
    out: set[str] = set()
    for middle in base64_middles(key.encode("utf-8")):
        out |= pieces(middle, n)
    return out


def decoded(text: str) -> str:
    """``text`` with ``\\uXXXX``, ``%XX`` and ``\\/`` escapes decoded (one level)."""

    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1), 16))
        if m.group(2):
            return chr(int(m.group(2), 16))
        return "/"

    return _ESCAPE.sub(one, text)


def leaks(texts: Iterable[str | bytes], key: str = CANARY_KEY) -> list[str]:
    """Every piece of ``key`` (8 characters or more) found in ``texts``, in any form.

    Plain pieces are reported as is; pieces of the key's base64 or hex text as
    ``base64:<piece>`` / ``hex:<piece>`` (16 hex digits: 8 bytes).
    """
    plain = {p: p.lower() for p in pieces(key)}
    b64 = base64_pieces(key)
    hex_pieces = pieces(key.encode("utf-8").hex(), 16)  # 8 bytes of the key
    found: set[str] = set()
    for text in texts:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        low = decoded(text).lower()
        # spaced out or split by invisible characters, or written backwards: still the key
        squeezed = low.translate(_NO_SPACERS)
        found |= {p for p, p_low in plain.items() if p_low in squeezed or p_low[::-1] in low}
        found |= {f"base64:{p}" for p in b64 if p in text}
        found |= {f"hex:{p}" for p in hex_pieces if p in low}
    return sorted(found)
