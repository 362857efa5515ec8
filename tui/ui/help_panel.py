"""Textual's key panel (palette → Keys) with its group headings in the console's language.

Apart from the palette (tui/ui/palette.py) because Textual's help panel brings the
Markdown stack (markdown_it: 18 ms of the console's first frame), imported when the
panel is first opened.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable

from tui.core.i18n.catalogue import has, text
from tui.ui.palette import _lang

__all__ = ["ConsoleHelpPanel"]


class _BindingsTable(BindingsTable):
    """Textual's key table; the group headings (a widget's name) in the console's language."""

    def render_bindings_table(self) -> Table:
        table = super().render_bindings_table()
        lang = _lang(self)
        if lang == "en" or len(table.columns) < 2:
            return table
        cells = table.columns[1]._cells  # noqa: SLF001 - the headings are rows of column 2
        for i, cell in enumerate(cells):
            if isinstance(cell, Text):
                msg_id = "textual.group." + cell.plain.strip().lower()
                if cell.plain and has(msg_id):
                    heading = Text(text(msg_id, lang), end="")
                    heading.stylize(self.get_component_rich_style("bindings-table--header"))
                    cells[i] = heading
        return table


class _KeyPanel(KeyPanel):
    def compose(self) -> ComposeResult:
        yield _BindingsTable(shrink=True, expand=False)


class ConsoleHelpPanel(HelpPanel):
    """Textual's help panel (palette → Keys) with the table above."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield _KeyPanel(id="keys-help")
