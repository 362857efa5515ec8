"""Maximise the focused pane (checks, chat or inspector) and restore it.

At 160×45 the chat transcript gets about nine rows beside the checklist; a
pane can take the whole screen instead (Textual's ``Screen.maximized``), and
the same key, ``Esc`` or the palette restores the layout.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TabbedContent

__all__ = ["PANES", "focused_pane", "toggle_pane"]

#: The TabPane ids of the main screen's panes.
PANES = ("checks", "chat", "inspector")


def focused_pane(screen: Screen) -> Widget | None:
    """The pane holding the focus, else the active tab's pane."""
    node: DOMNode | None = screen.focused
    while isinstance(node, Widget):
        if node.id in PANES:
            return node
        node = node.parent
    try:
        active = screen.query_one("#panes", TabbedContent).active
        return screen.query_one(f"#{active}")
    except Exception:  # noqa: BLE001 - no pane on this screen
        return None


def toggle_pane(screen: Screen) -> bool:
    """Maximise the focused pane, or restore the layout; True when now maximised."""
    if screen.maximized is not None:
        screen.minimize()
        return False
    pane = focused_pane(screen)
    if pane is None:
        return False
    screen.maximized = pane
    return True
