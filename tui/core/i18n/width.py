"""Terminal cell width of text, so columns line up with Chinese labels.

Core code must not import textual or rich; this tiny helper covers what the
renderers need: East Asian wide/fullwidth characters take two cells,
combining marks and zero-width characters none.
"""

from __future__ import annotations

import unicodedata


def char_width(ch: str) -> int:
    """Cells one character occupies in a terminal."""
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff":
        return 0
    if unicodedata.category(ch) in {"Cc", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1


def clusters(text: str) -> list[tuple[int, int, int]]:
    """``text`` as ``(start, end, cells)`` spans a line must never split.

    A span is one visible character with the zero-width characters after it
    (combining marks, variation selectors, joiners); a zero-width joiner also
    takes the character it joins. Zero-width characters at the very start
    form a span of their own. The spans cover ``text`` without gaps.
    """
    spans: list[tuple[int, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        w = char_width(ch)
        if w == 0 and spans:
            start, _, cells = spans[-1]
            end = i + 2 if ch == "\u200d" and i + 1 < n else i + 1
            spans[-1] = (start, end, cells)
            i = end
            continue
        spans.append((i, i + 1, w))
        i += 1
    return spans


def cell_width(text: str) -> int:
    """Cells ``text`` occupies (CJK characters count twice)."""
    return sum(char_width(ch) for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces on the right to ``width`` cells."""
    return text + " " * max(0, width - cell_width(text))


def truncate(text: str, width: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``width`` cells, marking the cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    limit = max(0, width - cell_width(ellipsis))
    for ch in text:
        w = char_width(ch)
        if used + w > limit:
            break
        out.append(ch)
        used += w
    return "".join(out) + ellipsis


def columns(rows: list[list[str]], gap: str = "  ") -> list[str]:
    """Rows of cells laid out in aligned columns (the last column is not padded)."""
    if not rows:
        return []
    n = max(len(r) for r in rows)
    widths = [max((cell_width(r[i]) for r in rows if i < len(r)), default=0) for i in range(n)]
    out = []
    for r in rows:
        cells = [pad(c, widths[i]) if i < len(r) - 1 else c for i, c in enumerate(r)]
        out.append(gap.join(cells).rstrip())
    return out
