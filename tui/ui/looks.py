"""Rich styles the console's text uses more than once (named, so no style string reads as prose)."""

from __future__ import annotations

from rich.style import Style

HEADING = Style(bold=True, underline=True)
TITLE_BAR = Style(bold=True, reverse=True)
GOOD = Style(bold=True, color="green")
NOTICE = Style(bold=True, color="yellow")
BAD = Style(bold=True, color="red")
ALARM = Style(bold=True, color="red", reverse=True)
