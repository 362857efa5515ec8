"""The history pane's dialogs (issue 18): the confirmation before a profile returns to
its last passing run, and the diff of a chosen run against the last passing one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.i18n.catalogue import text
from tui.ui.bindings import BindingsInLanguage, bind
from tui.ui.safe import shown
from tui.ui.screens.confirm import Confirm

__all__ = ["ConfirmRestore", "RunDiff"]


def _h(part: str, lang: str, **params: object) -> str:
    return text(f"history.view.{part}", lang, **params)


class ConfirmRestore(Confirm):
    """Asks before the profile is changed: y applies, n or Esc keeps it as it is."""

    DEFAULT_CSS = "ConfirmRestore > Vertical { width: 72; }"
    BINDINGS = [
        bind("y", "answer(True)", "history.view.b_yes", id="history.restore.yes"),
        bind("n,escape", "answer(False)", "history.view.b_no", id="history.restore.no"),
    ]

    def __init__(self, question: str, lines: list[str], lang: str) -> None:
        self.question, self.lines, self.lang = question, lines, lang
        yes, no = _h("yes", lang), _h("no", lang)
        super().__init__(question, lines, yes, no, yes_id="restore-yes", no_id="restore-no")


class RunDiff(BindingsInLanguage, ModalScreen[str | None]):
    """One run against the last passing run before it: the verdict, each change, each
    step whose code changed. Esc or Enter closes it; R closes it with "restore" (the
    pane then asks, as its own R does), so the fix is one key away from the diff."""

    DEFAULT_CSS = """
    RunDiff { align: center middle; }
    RunDiff > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    RunDiff VerticalScroll { height: auto; max-height: 20; margin-top: 1; }
    RunDiff #run-diff-keys { height: auto; margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [
        bind(
            "escape,enter",  # not-ui-text: key names
            "close",
            "history.view.b_close",
            id="history.diff.close",
        ),
        bind("R", "restore", "history.view.b_restore", id="history.diff.restore"),
    ]

    def __init__(self, title: str, lines: list[str], lang: str = "en") -> None:
        super().__init__()
        self.title_text, self.lines, self.lang = title, lines, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(shown(self.title_text), style="bold"), id="run-diff-title")
            with VerticalScroll():
                yield Static(Text(shown("\n".join(self.lines))), id="run-diff-lines")
            yield Static(Text(_h("diff_keys", self.lang)), id="run-diff-keys")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_restore(self) -> None:
        self.dismiss("restore")
