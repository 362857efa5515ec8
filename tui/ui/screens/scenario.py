"""Demo scenario switcher: pick a fault and watch the checklist diagnose it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.ui.labels import t


def scenario_names(
    scenarios: Iterable[str] | Mapping[str, object], lang: str = "en"
) -> list[tuple[str, str]]:
    """``(name, description)`` pairs from the demo's SCENARIOS (dict or list)."""
    if isinstance(scenarios, Mapping):
        out = []
        for name, value in scenarios.items():
            if isinstance(value, str):
                desc = value
            else:
                symptom = getattr(value, "symptom_zh" if lang == "zh-CN" else "symptom", "")
                expected = getattr(value, "expected", "")
                desc = f"{symptom} → {expected}" if symptom and expected else symptom
            out.append((str(name), str(desc or "")))
        return out
    return [(str(name), "") for name in scenarios]


class ScenarioScreen(ModalScreen[str | None]):
    """A list of scenarios; Enter picks one, Esc keeps the current one."""

    BINDINGS = [Binding("escape", "dismiss_none", "Close")]

    def __init__(
        self, scenarios: Iterable[str] | Mapping[str, object], current: str | None, lang: str
    ) -> None:
        super().__init__()
        self.pairs = scenario_names(scenarios, lang)
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        options = []
        for name, desc in self.pairs:
            label = Text(("● " if name == self.current else "  ") + name, style="bold")
            if desc:
                label.append(f"  {desc}", style="dim")
            options.append(Option(label, id=name))
        with Vertical(id="scenario-box"):
            yield Label(t("scenario.title", self.lang), id="scenario-title")
            yield OptionList(*options, id="scenario-list")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        names = [n for n, _ in self.pairs]
        if self.current in names:
            option_list.highlighted = names.index(self.current)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
