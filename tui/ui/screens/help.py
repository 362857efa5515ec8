"""Help (``?`` / F1): what each step checks, what the marks mean, the keys."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.diagnosis.model import CHECK_IDS, STATUS_MARKS, Status
from tui.core.diagnosis.remediation import check_title, status_label
from tui.core.i18n.catalogue import LANGS, text
from tui.ui.bindings import BindingsInLanguage
from tui.ui.labels import t
from tui.ui.looks import HEADING, TITLE_BAR

#: The rows of the Keys section, in order (``help.key.<row>`` and ``help.key.<row>.what``).
KEY_ROWS = (
    "select",
    "scroll",
    "run",
    "step",
    "copy",
    "evidence",
    "lang",
    "scenario",
    "panes",
    "esc",
    "settings",
    "key",
    "quick",
    "zoom",
    "wizard",
    "palette",
    "quit",
)


def key_rows(lang: str) -> list[tuple[str, str]]:
    """``(keys, what they do)`` for the Keys section, in ``lang``."""
    return [(text(f"help.key.{row}", lang), text(f"help.key.{row}.what", lang)) for row in KEY_ROWS]


KEYS = {lang: key_rows(lang) for lang in LANGS}


def _marks(lang: str) -> list[tuple[str, str]]:
    marks = [
        (STATUS_MARKS[s], status_label(s, lang))
        for s in (Status.PASS, Status.WARN, Status.FAIL, Status.SKIP, Status.PENDING)
    ]
    return [*marks, ("⠋", text("help.mark.running", lang))]


def _inline(text: str) -> Text:
    """``code`` spans of the step texts in bold (the rest plain, never markup)."""
    out = Text()
    for i, part in enumerate(text.split("`")):
        out.append(part, style="bold" if i % 2 else "")
    return out


def help_renderable(lang: str) -> Group:
    """The help page as one Rich renderable.

    The ``Markdown`` widget built a widget per paragraph and list item: about a
    second before the page showed (2.5 s at 160x45 under load). One Static with
    grids opens in a frame.
    """
    parts: list[RenderableType] = [Text(t("help.title", lang), style=TITLE_BAR)]

    def section(name: str, rows: list[tuple[Text, Text]]) -> None:
        heading = Text("\n" + text(f"help.h.{name}", lang), style=HEADING)
        parts.append(heading)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")  # a long run of Chinese is never cut
        for left, right in rows:
            grid.add_row(left, right)
        parts.append(grid)

    steps = []
    for cid in CHECK_IDS:
        line = Text(check_title(cid, lang), style="bold")
        line.append(" — ").append_text(_inline(text(f"help.step.{cid}", lang)))
        steps.append((Text("•"), line))
    section("steps", steps)
    section("marks", [(Text(m, style="bold"), Text(label)) for m, label in _marks(lang)])
    section("keys", [(Text(k, style="bold"), Text(what)) for k, what in key_rows(lang)])
    parts.append(Text("\n" + t("help.close", lang), style="italic"))
    return Group(*parts)


class HelpScreen(BindingsInLanguage, ModalScreen[None]):
    """A scrollable help page over the console.

    Opaque: a translucent modal re-tints every cell of the console under it on
    each frame (a tenth of a second at 160x45), for a page that covers it anyway
    (``HelpScreen`` in app.tcss).
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", t("b.close")),
    ]
    BINDING_LABELS = {"close": "ui.b.close"}

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_renderable(self.lang), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
