"""The header line: which gateway is being diagnosed, with the key masked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.core.diagnosis.model import Target
from tui.core.safe.fingerprint import key_shown
from tui.ui.labels import t
from tui.ui.looks import TITLE_BAR
from tui.ui.safe import shown


def target_text(
    target: Target | None,
    lang: str,
    scenario: str | None = None,
    *,
    chosen: bool = True,
    default: bool = False,
) -> Text:
    """``profile · base URL · model · key · proxy`` (masked), plus the demo scenario.

    A base URL nobody chose (only the preset, nothing configured) is not shown as
    if it were the target; one used by default is marked so.
    """
    none = t("t.none", lang)
    target = target or Target()
    if not chosen:
        base_url = t("t.not_chosen", lang)
    elif default and target.base_url:
        base_url = f"{target.base_url} {t('t.default', lang)}"
    else:
        base_url = target.base_url or none
    parts = [
        ("t.profile", target.profile or none),
        ("t.base_url", base_url),
        ("t.model", target.model or none),
        ("t.key", key_shown(target.api_key, lang) if target.api_key else none),
        ("t.proxy", target.proxy or none),
    ]
    out = Text(no_wrap=False, overflow="fold")
    for i, (key, value) in enumerate(parts):
        if i:
            out.append(" │ ", style="dim")
        out.append(t(key, lang) + " ", style="dim")
        out.append(shown(value), style="bold")  # typed, or from a file
    if scenario:
        out.append(" │ ", style="dim")
        badge = t("t.demo", lang, scenario=scenario).replace(" ", "\u00a0")  # never split
        out.append(badge, style=TITLE_BAR)
    return out


class TargetBar(Static):
    """One (or, when narrow, two) lines at the top of the console."""

    def show(
        self,
        target: Target | None,
        lang: str,
        scenario: str | None = None,
        *,
        chosen: bool = True,
        default: bool = False,
    ) -> None:
        self.update(target_text(target, lang, scenario, chosen=chosen, default=default))
