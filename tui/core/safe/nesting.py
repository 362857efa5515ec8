"""How deeply a TOML or JSON text nests, measured without recursion.

Why: ``tomllib`` and ``json`` parse nested tables, arrays and objects
recursively, so a hostile or broken file nested thousands of levels deep ends
in ``RecursionError`` (or exhausts memory) instead of a clear message. The
readers call :func:`text_depth` first and refuse a file deeper than
:data:`MAX_DEPTH`; :func:`data_depth` bounds code that walks parsed data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["MAX_DEPTH", "data_depth", "text_depth"]

#: gateway-doctor's own config nests 3 levels, a Chatbox config.json about 8.
MAX_DEPTH = 100


_TOKENS = re.compile(r'"""|\'\'\'|\\.|["\'#\n\[\]{}]', re.DOTALL)


def text_depth(text: str, *, comments: bool = False) -> int:
    """The deepest ``[``/``{`` nesting in ``text``, outside quoted strings.

    Only used to word an error, so approximate is fine: ``comments`` skips
    ``#`` to end of line (TOML); escapes are honoured everywhere, which is
    close enough for TOML's literal strings.
    """
    depth = deepest = 0
    quote = ""
    in_comment = False
    for match in _TOKENS.finditer(text):
        tok = match.group()
        if in_comment:
            in_comment = tok != "\n"
        elif quote:
            if tok == quote:
                quote = ""
        elif tok in ('"', "'", '"""', "'''"):
            quote = tok
        elif tok == "#" and comments:
            in_comment = True
        elif tok in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif tok in "]}":
            depth = max(0, depth - 1)
    return deepest


def data_depth(value: Any, limit: int = 1 << 30) -> int:
    """Nesting depth of parsed dicts/lists (iterative); stops once past ``limit``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest
