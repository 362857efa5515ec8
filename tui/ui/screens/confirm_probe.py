"""Before a model probe sends more than a few requests: how many models, how many
requests, with which key (masked, with its fingerprint). y goes, n or Esc sends nothing.

The words come from the catalogue (``models.confirm.*``); the model count, the
request count and the key are the only facts, so the modal fits in one glance.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui.core.i18n.catalogue import text
from tui.ui.bindings import BindingsInLanguage, bind
from tui.ui.safe import shown

__all__ = ["ConfirmProbe"]


class ConfirmProbe(BindingsInLanguage, ModalScreen[bool]):
    """ "Probe 11 models?": y (or the Yes button) probes, n / Esc / No sends nothing."""

    DEFAULT_CSS = """
    ConfirmProbe { align: center middle; }
    ConfirmProbe > Vertical {
        width: 76; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmProbe Horizontal { height: auto; margin-top: 1; }
    ConfirmProbe Button { margin-right: 2; }
    """
    BINDINGS = [
        bind("y", "answer(True)", "models.confirm.b_yes", id="models.confirm.yes"),
        bind("n,escape", "answer(False)", "models.confirm.b_no", id="models.confirm.no"),
    ]

    def __init__(self, *, models: int, requests: int, key: str, key_id: str, lang: str) -> None:
        super().__init__()
        self.models, self.requests, self.key, self.key_id = models, requests, key, key_id
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        body = [
            text("models.confirm.requests", lang, requests=self.requests, models=self.models),
            text("models.confirm.key", lang, key=self.key, key_id=self.key_id),
            text("models.confirm.after", lang),
        ]
        with Vertical(id="probe-confirm"):
            title = text("models.confirm.title", lang, models=self.models)
            yield Label(Text(shown(title), style="bold"))
            yield Static(Text(shown("\n".join(body))))
            with Horizontal():
                yield Button(text("models.confirm.yes", lang), id="probe-yes", variant="warning")
                yield Button(text("models.confirm.no", lang), id="probe-no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "probe-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
