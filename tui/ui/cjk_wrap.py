"""Rich and Textual break Chinese lines with :func:`tui.core.i18n.wrap.break_offsets`.

Neither library has a hook for line breaking: ``rich.text.Text.wrap`` and
``textual.content.Content`` (Static, Label, Markdown, toasts, option lists,
data tables) both call the ``divide_line`` they imported from
``rich._wrap``, which breaks at whitespace only. :func:`install` rebinds
that one name in those two modules to :func:`divide_line` below, which:

* hands a line holding no CJK character to Rich's own function unchanged,
  so English text wraps exactly as before (the same offsets, byte for byte);
* breaks a line with CJK characters at character boundaries (kinsoku-lite),
  measured with Rich's own grapheme widths, so no line is wider than Rich
  will draw it and nothing is cropped.

It is a rebinding of a module attribute, not of Rich's source: ``rich._wrap``
keeps its function. If a Rich or Textual release stops importing
``divide_line`` by that name, :func:`install` changes nothing for that module
and returns False; ``tests/test_wrap_cjk.py`` fails then, so an upgrade
cannot silently bring the half-empty lines back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType

import rich.text
from rich._wrap import divide_line as rich_divide_line

from tui.core.i18n.wrap import break_offsets, has_cjk

_split_graphemes: Callable[..., tuple[list[tuple[int, int, int]], int]] | None
try:  # Rich ≥ 14: grapheme spans with their cell widths, as Rich draws them
    from rich.cells import split_graphemes as _split_graphemes
except ImportError:  # pragma: no cover - older Rich
    _split_graphemes = None


def _rich_clusters(text: str) -> Sequence[tuple[int, int, int]]:
    if _split_graphemes is not None:
        return _split_graphemes(text)[0]
    from rich.cells import get_character_cell_size

    return [(i, i + 1, get_character_cell_size(ch)) for i, ch in enumerate(text)]


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Rich's ``divide_line`` contract; CJK text breaks between characters."""
    if width < 2 or not has_cjk(text):
        return rich_divide_line(text, width, fold)
    return break_offsets(text, width, fold=fold, clusters=_rich_clusters)


def _targets() -> list[ModuleType]:
    import textual.content

    return [rich.text, textual.content]


def install() -> bool:
    """Make Rich and Textual wrap with :func:`divide_line`; True when both took it."""
    ok = True
    for module in _targets():
        if callable(getattr(module, "divide_line", None)):
            module.divide_line = divide_line  # type: ignore[attr-defined]
        else:
            ok = False
    return ok


def installed() -> bool:
    """Whether Rich and Textual currently wrap with :func:`divide_line`."""
    return all(getattr(m, "divide_line", None) is divide_line for m in _targets())
