"""Demo scenario switcher: pick a fault and watch the checklist diagnose it.

Over 30 scenarios and 6 visible at 80×24: typing filters them (name or
description), ↑/↓ move, Enter picks the highlighted one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.core.i18n.catalogue import text
from tui.ui.bindings import BindingsInLanguage, bind
from tui.ui.labels import t


def scenario_names(
    scenarios: Iterable[str] | Mapping[str, object], lang: str = "en"
) -> list[tuple[str, str]]:
    """``(name, description)`` pairs from the demo's SCENARIOS (dict or list).

    A demo :class:`~tui.demo.scenarios.Scenario` is described from the catalogue
    (``scenario.<id>.title``, ``.symptom``, ``.expect``) in ``lang``.
    """
    if isinstance(scenarios, Mapping):
        return [(str(name), _describe(value, lang)) for name, value in scenarios.items()]
    return [(str(name), "") for name in scenarios]


def _describe(value: object, lang: str) -> str:
    if isinstance(value, str):
        return value
    words = getattr(value, "text", None)
    if not callable(words):
        return ""
    tag = text("scenario.tag.hardening", lang) if getattr(value, "extra", False) else ""
    return t(
        "scenario.line",
        lang,
        title=words("title", lang),
        symptom=words("symptom", lang),
        expect=words("expect", lang),
        tag=tag,
    ).strip()


class ScenarioScreen(BindingsInLanguage, ModalScreen[str | None]):
    """A list of scenarios; Enter picks one, Esc keeps the current one."""

    BINDINGS = [
        bind("escape", "dismiss_none", "ui.b.close", id="scenario.close"),
        bind("down", "move(1)", "textual.key.down", id="scenario.down", show=False, priority=True),
        bind("up", "move(-1)", "textual.key.up", id="scenario.up", show=False, priority=True),
    ]

    def __init__(
        self, scenarios: Iterable[str] | Mapping[str, object], current: str | None, lang: str
    ) -> None:
        super().__init__()
        self.pairs = scenario_names(scenarios, lang)
        self.current = current
        self.lang = lang

    def _options(self, words: str = "") -> list[Option]:
        wanted = words.lower().split()
        options = []
        for name, desc in self.pairs:
            if not all(w in f"{name} {desc}".lower() for w in wanted):
                continue
            label = Text(("● " if name == self.current else "  ") + name, style="bold")
            if desc:
                label.append(f"  {desc}", style="dim")
            options.append(Option(label, id=name))
        return options

    def compose(self) -> ComposeResult:
        with Vertical(id="scenario-box"):
            yield Label(t("scenario.title", self.lang), id="scenario-title")
            yield Input(placeholder=t("scenario.filter", self.lang), id="scenario-filter")
            yield OptionList(*self._options(), id="scenario-list")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        names = [n for n, _ in self.pairs]
        if self.current in names:
            option_list.highlighted = names.index(self.current)
        self.query_one("#scenario-filter", Input).focus()

    @on(Input.Changed, "#scenario-filter")
    def _filter(self, event: Input.Changed) -> None:
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(self._options(event.value))
        option_list.highlighted = 0 if option_list.option_count else None

    @on(Input.Submitted, "#scenario-filter")
    def _pick_highlighted(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is not None:
            self.dismiss(option_list.get_option_at_index(option_list.highlighted).id)

    def action_move(self, step: int) -> None:
        """↑/↓ move through the list while the filter keeps the keyboard."""
        option_list = self.query_one(OptionList)
        if not option_list.option_count:
            return
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
