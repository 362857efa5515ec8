"""Where the Textual stylesheets are, from a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

import tui
from tui.core.i18n.catalogue import text


def styles_dir() -> Path:
    """``tui/styles`` inside a wheel (force-included), else ``<checkout>/styles``."""
    pkg = Path(tui.__file__).resolve().parent
    for candidate in (pkg / "styles", pkg.parent / "styles"):
        if candidate.is_dir() and any(candidate.glob("*.tcss")):
            return candidate
    # Raised while the app class is defined, before any language is chosen.
    raise FileNotFoundError(text("ui.n.styles_missing", "en", path=pkg))


def stylesheets() -> list[Path]:
    """Every ``*.tcss`` file, app.tcss first, so widgets can add their own."""
    files = sorted(styles_dir().glob("*.tcss"))
    return sorted(files, key=lambda p: (p.name != "app.tcss", p.name))


#: what the first frame needs; the others come with the panes and dialogs they style
FIRST_SHEET = "app.tcss"


def first_stylesheets() -> list[Path]:
    """The main screen's stylesheet: all the console's first frame reads (issue 14)."""
    return [p for p in stylesheets() if p.name == FIRST_SHEET]


def late_stylesheets() -> list[Path]:
    """The chat's, the inspector's and the dialogs': read when first needed."""
    return [p for p in stylesheets() if p.name != FIRST_SHEET]
