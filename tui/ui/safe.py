"""What the console shows of a gateway's (or the user's) words: masked, then terminal-safe.

Textual and Rich pass ``ESC``, C1 and NUL through to the terminal untouched,
so every display point that takes text from the network, a file or an input
goes through :func:`shown` (a string) or :func:`shown_content` (a Textual
``Content``: plain text, never parsed as markup).
"""

from __future__ import annotations

from textual.content import Content

from tui.core.safe.masking import mask
from tui.core.safe.terminal import terminal_safe

__all__ = ["shown", "shown_content"]


def shown(text: str) -> str:
    """``text`` masked, with every control character made visible (``ESC`` → ``␛``)."""
    return terminal_safe(mask(text))


def shown_content(text: str) -> Content:
    """:func:`shown` as plain-text ``Content`` (brackets stay brackets)."""
    return Content(shown(text))
