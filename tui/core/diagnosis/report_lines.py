"""The text report's lines fitted to a terminal's width (``check`` on a terminal).

A line is wrapped between words (between characters in Chinese, kinsoku kept),
its continuation hung under its own text, colour opened and closed on each
printed line, and masked before it is cut so a key split by a line break is
still recognised.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.safe.masking import mask
from tui.core.safe.terminal import terminal_safe

_RESET = "\x1b[0m"


@dataclass(frozen=True)
class Line:
    """One line of the report before it is fitted to a width: ``text`` (plain) after
    ``indent`` spaces, wrapped lines after ``hang`` spaces, ``paint`` the (start, end,
    SGR code) spans of ``text`` to colour."""

    text: str
    indent: int = 0
    hang: int = 0
    paint: tuple[tuple[int, int, str], ...] = ()


def painted(text: str, at: int, spans: tuple[tuple[int, int, str], ...]) -> str:
    """``text`` (found at offset ``at`` of its line) with the colour spans that fall in it;
    each one opened and closed within ``text``."""
    out, pos = [], 0
    for start, end, code in spans:
        a, b = max(start - at, pos), min(end - at, len(text))
        if a >= b:
            continue
        out += [text[pos:a], code, text[a:b], _RESET]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _pieces(text: str, first: int, rest: int) -> list[tuple[int, int]]:
    """``text`` as (start, end) pieces of lines: the first at most ``first`` cells wide,
    the others ``rest``; between words, or between characters in Chinese (kinsoku kept)."""
    from tui.core.i18n.wrap import break_offsets  # only for a terminal's report

    out: list[tuple[int, int]] = []
    base = 0
    for segment in text.split("\n"):
        cut = 0
        while True:
            offsets = break_offsets(segment[cut:], max(1, rest if out else first))
            end = cut + offsets[0] if offsets else len(segment)
            out.append((base + cut, base + end))
            if not offsets:
                break
            cut = end
        base += len(segment) + 1
    return out


def fit(line: Line, width: int | None, color: bool, secrets: tuple[str, ...]) -> list[str]:
    """``line`` as printed: as it is without a ``width``, else wrapped to it.

    Masked before it is wrapped: a key cut in two by a line break would no longer be
    recognised by the report's last masking pass.
    """
    spans = line.paint if color else ()
    if width is None:
        return [" " * line.indent + painted(line.text, 0, spans)]
    text = mask(terminal_safe(line.text), secrets)
    if text != line.text:
        spans = ()  # only our own labels are coloured, and they hold no secret or escape
    out = []
    for n, (a, b) in enumerate(_pieces(text, width - line.indent, width - line.hang)):
        piece = text[a:b].rstrip()
        lead = line.indent if n == 0 else line.hang
        out.append(" " * lead + painted(piece, a, spans))
    return out
