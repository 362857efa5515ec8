"""A question before something is sent or changed: y (or the Yes button) goes; n, Esc or
No leaves everything as it is. The trial's budget, the model probe and the history's
restore ask through it; each subclass brings its own binding ids and box width."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui.ui.bindings import BindingsInLanguage
from tui.ui.safe import shown

__all__ = ["Confirm"]


class Confirm(BindingsInLanguage, ModalScreen[bool]):
    """Title, body, Yes / No; dismissed with True for yes. Subclasses declare BINDINGS
    (``answer(True)`` / ``answer(False)``) with their own ids."""

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical {
        width: 76; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    Confirm Horizontal { height: auto; margin-top: 1; }
    Confirm Button { margin-right: 2; }
    """

    def __init__(
        self,
        title: str,
        body: list[str],
        yes: str,
        no: str,
        *,
        yes_id: str,
        no_id: str,
        box_id: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no
        self.yes_id, self.no_id, self.box_id = yes_id, no_id, box_id

    def compose(self) -> ComposeResult:
        with Vertical(id=self.box_id):
            yield Label(Text(shown(self.title_text), style="bold"))
            yield Static(Text(shown("\n".join(self.body))))
            with Horizontal():
                yield Button(self.yes, id=self.yes_id, variant="warning")
                yield Button(self.no, id=self.no_id)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == self.yes_id)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
