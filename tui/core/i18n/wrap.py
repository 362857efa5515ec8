"""Line breaking by terminal cells for Chinese and mixed Chinese/English text.

Rich and Textual wrap at whitespace only (``rich._wrap.divide_line`` splits
words with ``\\s*\\S+\\s*``; Textual's ``Content`` calls the same function, and
Rich's maintainer confirms Rich "isn't aware of the rules regarding wrapping
Chinese, and will wrap on spaces only", Textualize/rich#2494). An unspaced
Chinese run is then one long "word": it moves whole to the next line, or is
folded starting on a fresh one, and the line before it ends half empty.

This module decides where a line may break, as a pure function:

* between any two CJK characters (Han, kana, Hangul, full-width forms), and
  between a CJK character and a Latin word next to it;
* after whitespace and after full-width punctuation;
* never inside a Latin word, unless the word alone is longer than the line
  (then it starts on a new line and is folded, as Rich does);
* never before closing punctuation (，。：；！？）」…%) nor after opening
  punctuation (（「“), if the line can be filled otherwise (kinsoku-lite): the
  punctuation stays with the character it belongs to;
* never inside a character with its combining marks or zero-width joiners,
  nor through a wide character; a zero-width space (U+200B) is a break.

:func:`break_offsets` has the contract of Rich's ``divide_line`` (the string
indices where new lines start), so the UI hands it to Rich and Textual as
their line divider (``tui/ui/cjk_wrap.py``) and every widget, the Markdown of
a chat reply and a toast included, breaks Chinese the same way, re-wrapping on
resize because the divider runs at render time with the current width.

Why not the alternatives: inserting U+200B between CJK characters does not
help, since ``'\\u200b'.isspace()`` is False and Rich's regex never breaks there
(and it would travel into copies, exports and summaries); wrapping into
pre-broken lines, or a custom renderable, covers only the call sites that
remember to use it and cannot reach Textual's Markdown, toasts or option lists.

Core code must not import rich or textual, so cell widths come from
:mod:`.width`; the UI passes Rich's own grapheme measure instead, so the lines
it gets are exactly as wide as Rich will draw them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from tui.core.i18n.width import clusters as _cell_clusters

#: (start, end, cells) spans a line must never split (see :func:`.width.clusters`).
Clusters = Callable[[str], Sequence[tuple[int, int, int]]]

#: Scripts and punctuation written without spaces between words (and Hangul,
#: which CSS and UAX #14 also break between syllables): code point ranges.
_CJK_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)
#: Texts up to this long are looked at character by character; longer ones by a regex.
_SHORT = 512


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return code >= 0x1100 and any(lo <= code <= hi for lo, hi in _CJK_RANGES)


@functools.cache
def _cjk() -> re.Pattern[str]:
    """The ranges as one class, for long texts. Compiling it takes ~4 ms (sre walks
    every code point of the ranges), so not at every start: the console's lines
    (marks, dots and dashes are not ASCII either) are short (issue 14)."""
    return re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")


#: No line starts with these (closing brackets, stops, iteration marks, small kana,
#: units and percent that follow a number).
_CLOSE = frozenset(
    ")]},.;:!?%"
    "，。、：；！？）］｝」』】〕〗〙〛〉》｠｡､･・ー…‥々〻ゝゞヽヾ”’％‰℃°"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
)
#: No line ends with these (opening brackets and quotes, currency before a number).
_OPEN = frozenset("([{（［｛「『【〔〖〘〚〈《｟“‘￥＄")
#: Dashes that come in pairs (——): never split between two of them.
_DASH = frozenset("—―")

_SPACE, _WIDE, _OPENING, _CLOSING, _OTHER = range(5)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a character of a script written without spaces."""
    if text.isascii():
        return False
    if len(text) <= _SHORT:
        return any(_is_cjk(ch) for ch in text)
    return _cjk().search(text) is not None


def _kind(text: str, span: tuple[int, int, int]) -> int:
    ch = text[span[0]]
    if ch.isspace():
        return _SPACE
    if ch in _OPEN:
        return _OPENING
    if ch in _CLOSE:
        return _CLOSING
    if span[2] >= 2 or _is_cjk(ch):
        return _WIDE
    return _OTHER


def _wide_or_quote(text: str, span: tuple[int, int, int]) -> bool:
    return span[2] >= 2 or text[span[0]] in "“”‘’"


def _can_break(
    text: str, spans: Sequence[tuple[int, int, int]], kinds: list[int], i: int, lead: int
) -> bool:
    """May a line start with span ``i``? (``lead``: the first span that is not a space)"""
    here, before = kinds[i], kinds[i - 1]
    if here == _SPACE or before == _OPENING:
        return False  # spaces end a line; kinsoku: opening punctuation stays with what follows
    if here == _CLOSING and (before != _SPACE or spans[i][2] >= 2):
        return False  # kinsoku: closing punctuation stays with what it closes (after a
        # space only a full-width one: a narrow one may start a line there, as in Rich)
    if "\u200b" in text[spans[i - 1][0] : spans[i - 1][1]]:
        return True
    if before == _SPACE:
        return i > lead  # not right after a leading indent
    if text[spans[i][0]] in _DASH and text[spans[i - 1][0]] in _DASH:
        return False
    if before == _CLOSING and here == _OPENING:  # ”“ and ）（ may part, ")(" may not
        return _wide_or_quote(text, spans[i - 1]) or _wide_or_quote(text, spans[i])
    wide_before = before == _WIDE or (before == _CLOSING and spans[i - 1][2] >= 2)
    wide_here = here == _WIDE or (here == _OPENING and spans[i][2] >= 2)
    return wide_before or wide_here


def _pieces(text: str, spans: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Span index ranges that stay on one line (a piece's trailing spaces included)."""
    kinds = [_kind(text, s) for s in spans]
    lead = next((i for i, k in enumerate(kinds) if k != _SPACE), len(kinds))
    out, start = [], 0
    for i in range(1, len(spans)):
        if _can_break(text, spans, kinds, i, lead):
            out.append((start, i))
            start = i
    if spans:
        out.append((start, len(spans)))
    return out


def break_offsets(
    text: str, width: int, fold: bool = True, clusters: Clusters | None = None
) -> list[int]:
    """Indices of ``text`` (one line, no newline) where new lines start at ``width`` cells.

    The contract of Rich's ``divide_line``: every line but its trailing spaces
    fits ``width``; with ``fold`` False a word longer than the line is not
    folded but left to the caller to crop. ``clusters`` measures the text
    (default :func:`.width.clusters`).
    """
    width = max(1, width)
    spans = (clusters or _cell_clusters)(text)
    offsets: list[int] = []
    used = 0  # cells on the current line
    for first, last in _pieces(text, spans):
        body = last
        while body > first and text[spans[body - 1][0]].isspace():
            body -= 1
        body_cells = sum(s[2] for s in spans[first:body])
        all_cells = body_cells + sum(s[2] for s in spans[body:last])
        start = spans[first][0]
        if used + body_cells <= width:
            used += all_cells
            continue
        if start and used:
            offsets.append(start)
        used = all_cells
        if body_cells <= width or not fold:
            continue
        # Longer than a line: fold it at span boundaries (wide characters stay whole).
        # Spaces end a line, except an indent longer than the line: it folds as Rich
        # folds it ("   a" at 2 cells: "  " then " a").
        used, blank = 0, True
        for s in spans[first:last]:
            space = text[s[0]].isspace()
            if used and used + s[2] > width and (not space or blank):
                offsets.append(s[0])
                used = 0
            used += s[2]
            blank = blank and space and bool(used)
    return offsets


def wrap(text: str, width: int, clusters: Clusters | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` cells (newlines kept, trailing spaces dropped)."""
    out: list[str] = []
    for line in text.split("\n"):
        cuts = [0, *break_offsets(line, width, clusters=clusters), len(line)]
        out.extend(line[a:b].rstrip() for a, b in zip(cuts, cuts[1:], strict=False))
    return out
