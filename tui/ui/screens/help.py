"""Help (``?`` / F1): what each step checks, what the marks mean, the keys where the cursor is."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.diagnosis.model import CHECK_IDS, STATUS_MARKS, Status
from tui.core.diagnosis.remediation import check_title, status_label
from tui.core.i18n.catalogue import has, text
from tui.ui.bindings import BindingsInLanguage, bind, described, known_ids
from tui.ui.labels import t
from tui.ui.looks import HEADING, TITLE_BAR


def key_rows(
    bindings: Iterable[ActiveBinding], lang: str, key_display: Callable[[Binding], str]
) -> list[tuple[str, str]]:
    """``(keys, what they do)`` for the Keys section: the console's own active bindings where
    the cursor is (its pane's first), in ``lang``. The keys Textual's widgets bring (a text
    box's editing keys, scrolling) are in the key panel (palette → Keys)."""
    ours = known_ids()
    rows: dict[str, list[str]] = {}
    for _node, binding, _enabled, _tooltip in bindings:
        if binding.id not in ours:
            continue
        keys = rows.setdefault(_what(binding, lang), [])
        key = key_display(replace(binding, key_display=None))  # z / F7, not the footer's z
        key = key.upper() if _FUNCTION_KEY.fullmatch(key) else key
        if key not in keys:
            keys.append(key)
    return [(_key_list(keys), what) for what, keys in rows.items()]


def _key_list(keys: list[str]) -> str:
    """``z / F7``; a run of digit keys as ``1–5`` (the column stays narrow)."""
    digits = [int(k) for k in keys if k.isdigit() and len(k) == 1]
    if (
        len(keys) > 2
        and len(digits) == len(keys)
        and digits == list(range(digits[0], digits[-1] + 1))
    ):
        return f"{keys[0]}–{keys[-1]}"
    return " / ".join(keys)


_FUNCTION_KEY = re.compile(r"f\d+")


def _what(binding: Binding, lang: str) -> str:
    """``help.key.<id>`` (else its parent's: ``chat.quick.short`` → ``chat.quick``), else the
    binding's own description."""
    binding_id = binding.id or ""
    while binding_id:
        if has(f"help.key.{binding_id}"):
            return text(f"help.key.{binding_id}", lang)
        binding_id = binding_id.rpartition(".")[0]
    return described(binding, lang).description


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


def help_renderable(lang: str, keys: list[tuple[str, str]]) -> Group:
    """The help page as one Rich renderable; ``keys`` from :func:`key_rows`.

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
    # The keys first: they are the ones where the cursor was, so they change with it.
    section("keys", [(Text(k, style="bold"), Text(what)) for k, what in keys])
    section("steps", steps)
    section("marks", [(Text(m, style="bold"), Text(label)) for m, label in _marks(lang)])
    parts.append(Text("\n" + t("help.close", lang), style="italic"))
    return Group(*parts)


class HelpScreen(BindingsInLanguage, ModalScreen[None]):
    """A scrollable help page over the console.

    Opaque: a translucent modal re-tints every cell of the console under it on
    each frame (a tenth of a second at 160x45), for a page that covers it anyway
    (``HelpScreen`` in app.tcss).
    """

    BINDINGS = [bind("escape,q,question_mark,f1", "close", "ui.b.close", id="help.close")]

    def __init__(self, lang: str, bindings: Iterable[ActiveBinding] = ()) -> None:
        """``bindings``: the active bindings of the screen under the page (where the cursor is)."""
        super().__init__()
        self.lang = lang
        self.keys = key_rows(bindings, lang, self.app.get_key_display)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_renderable(self.lang, self.keys), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
