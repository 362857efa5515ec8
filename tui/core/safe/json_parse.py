"""JSON from the network, parsed without letting the sender crash us.

Why: ``json.loads`` parses arrays and objects recursively, so a gateway that
answers ``{"error": [[[…]]]}`` a thousand levels deep (2 KB) raised
``RecursionError`` through every check and the console; data a few hundred
levels deep parses, but then breaks the code that walks it (``json.dumps``,
``repr``, masking). Every body, SSE event or error text from the network goes
through :func:`parse` / :func:`loads`: a text nested deeper than
:data:`MAX_NET_DEPTH` is refused before parsing, and any parse failure
(``ValueError``, ``RecursionError``, ``MemoryError``, bad UTF-8) is "not JSON",
never an exception. Parsed values are therefore at most that deep, so walks
over them are bounded.

The depth pre-check runs at C speed (counts, one regex, ``translate``,
``replace``); no Python loop per character, even for an 8 MB body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from tui.core.i18n.catalogue import Msg, msg, raw, text

__all__ = [
    "MAX_NET_DEPTH",
    "Parsed",
    "json_depth",
    "loads",
    "nested_msg",
    "nested_note",
    "note_in",
    "parse",
]

#: OpenAI-style answers nest about 6 levels; tool-call arguments a few more.
MAX_NET_DEPTH = 64

#: Every byte but brackets and quotes (deleted to get the shape of a text).
_NOT_SHAPE = bytes(b for b in range(256) if b not in b'[]{}"')
#: Objects and arrays nest alike: one pair of brackets for both.
_SQUARE = bytes.maketrans(b"{}", b"[]")
#: Openers become +1, closers -1 (as signed bytes) for a C-speed running sum.
_SIGNS = bytes.maketrans(b"[]", b"\x01\xff")
#: The running sum that words the depth looks at this many brackets at most.
_SUM_WINDOW = 1 << 20


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed value, or why there is none (``too_deep`` is the depth found)."""

    value: Any = None
    ok: bool = False
    too_deep: int = 0

    @property
    def note(self) -> str:
        """Why a refused text was not read, in English ("" when it was JSON or plainly not)."""
        return nested_note(self.too_deep) if self.too_deep else ""

    @property
    def message(self) -> Msg | None:
        """:attr:`note` as a message (None when there is nothing to say)."""
        return nested_msg(self.too_deep) if self.too_deep else None


def _raw(data: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    return bytes(data)


def json_depth(data: bytes | bytearray | memoryview | str, limit: int = MAX_NET_DEPTH) -> int:
    """The bracket nesting depth of ``data`` when it is deeper than ``limit``, else 0.

    Brackets inside strings do not count. Approximate on broken JSON, which
    the parser refuses anyway.
    """
    raw = _raw(data)
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return 0
    # Escaped backslashes and quotes go first, then strings (between quotes).
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    shape = b"".join(unescaped.translate(None, _NOT_SHAPE).split(b'"')[::2]).translate(_SQUARE)
    passes = 0
    while passes < limit:  # each pass removes exactly one level of balanced pairs
        inner = shape.replace(b"[]", b"")
        if not inner:
            return 0
        if inner == shape:
            break
        shape, passes = inner, passes + 1
    # Valid JSON is balanced, so brackets left over mean too deep (or not JSON).
    signed = memoryview(shape[:_SUM_WINDOW].translate(_SIGNS)).cast("b")
    # Past the window, the unclosed brackets at the end still bound the depth from below.
    unclosed = shape.count(b"[") - shape.count(b"]")
    depth = passes + max(max(accumulate(signed), default=0), unclosed)
    return depth if depth > limit else 0


def parse(data: bytes | bytearray | memoryview | str | None, limit: int = MAX_NET_DEPTH) -> Parsed:
    """``data`` as JSON, refusing anything nested deeper than ``limit`` levels."""
    if data is None or not len(data):
        return Parsed()
    try:
        depth = json_depth(data, limit)
        if depth:
            return Parsed(too_deep=depth)
        return Parsed(json.loads(bytes(data) if isinstance(data, memoryview) else data), ok=True)
    except (ValueError, RecursionError, MemoryError, TypeError):
        return Parsed()  # UnicodeDecodeError and JSONDecodeError are ValueErrors


def loads(data: bytes | bytearray | memoryview | str | None) -> Any:
    """``data`` as JSON, or ``None`` when it is not (or too deeply nested) JSON."""
    return parse(data).value


def nested_msg(depth: int) -> Msg:
    """Our note on a text nested ``depth`` levels deep (not read)."""
    return msg("body.json_too_deep", depth=depth)


def nested_note(depth: int, lang: str = "en") -> str:
    """:func:`nested_msg` written in ``lang``."""
    return text("body.json_too_deep", lang, depth=depth)


def _note_pattern() -> re.Pattern[str]:
    """The English note with its number as a group (built from the catalogue's sentence)."""
    template = raw("body.json_too_deep", "en")
    head, _, tail = str(template).partition("{depth:,}")
    return re.compile(re.escape(head) + r"([\d,]+)" + re.escape(tail))


def note_in(text_: str, lang: str) -> str:
    """``text_`` with the English note of :func:`nested_note` written in ``lang``.

    For text that quotes the note as a fact (a chat error's message); a message
    renders itself.
    """
    if lang == "en":
        return text_

    def written(m: re.Match[str]) -> str:
        return nested_note(int(m.group(1).replace(",", "")), lang)

    return _note_pattern().sub(written, text_)
