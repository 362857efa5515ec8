"""The header line: which gateway is being diagnosed, with the key masked."""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tui.core.diagnosis.model import Target
from tui.core.inspect.columns import elide_path
from tui.core.safe.fingerprint import key_shown
from tui.core.setup.target import overriding_source
from tui.ui.labels import t
from tui.ui.looks import TITLE_BAR
from tui.ui.safe import shown

#: Cells the base URL keeps at least when it is shortened to fit one line.
MIN_URL_CELLS = 28
_SEP = " │ "


def target_text(
    target: Target | None,
    lang: str,
    scenario: str | None = None,
    *,
    chosen: bool = True,
    default: bool = False,
    width: int | None = None,
    sources: Mapping[str, str] | None = None,
) -> Text:
    """``profile · base URL · model · key`` (masked), the proxy when one is set, plus the
    demo scenario.

    A base URL nobody chose (only the preset, nothing configured) is not shown as
    if it were the target; one used by default is marked so. Given ``width``, the line
    fits it when it can: the base URL loses the middle of its path (its origin and
    its end stay) down to ``MIN_URL_CELLS``; shorter than that, the line breaks
    between fields (never inside one) and the URL stays whole when it fits a line.

    Given the target's ``sources``, a profile whose base URL a flag or the environment
    overrides is marked so (``profile work (URL from --base-url)``): the URL shown
    is not the profile's, and nobody should read that the profile is being tested.
    """
    none = t("t.none", lang)
    target = target or Target()
    suffix = ""
    if not chosen:
        base_url = t("t.not_chosen", lang)
    else:
        base_url = shown(target.base_url) if target.base_url else none
        suffix = f" {t('t.default', lang)}" if default and target.base_url else ""
    profile = shown(target.profile) if target.profile else none
    source = overriding_source(target, sources)
    if source is not None:
        profile = t("t.profile_overridden", lang, profile=profile, source=source)
    fields = [
        ("t.profile", profile),
        ("t.base_url", base_url + suffix),
        ("t.model", shown(target.model) if target.model else none),
        ("t.key", shown(key_shown(target.api_key, lang)) if target.api_key else none),
    ]
    if target.proxy:  # none set: the proxy step says whether the environment has one
        fields.append(("t.proxy", shown(target.proxy)))
    badge = t("t.demo", lang, scenario=scenario) if scenario else ""
    if width is not None and chosen and target.base_url:
        fields[1] = ("t.base_url", _fitted_url(fields, lang, badge, width, suffix))
    pieces: list[tuple[str, str, str | Style]] = [
        (t(key, lang) + " ", value, "bold") for key, value in fields
    ]
    if badge:
        pieces.append(("", badge, TITLE_BAR))
    out = Text(no_wrap=False, overflow="fold")
    used = 0
    for i, (label, value, style) in enumerate(pieces):
        cells = cell_len(label + value)
        if i and width is not None and used + len(_SEP) + cells > width:
            out.append("\n")  # between fields, never inside one
            used = 0
        elif i:
            out.append(_SEP, style="dim")
            used += len(_SEP)
        out.append(label, style="dim")
        out.append(value, style=style)
        used += cells
    return out


def _fitted_url(
    fields: list[tuple[str, str]], lang: str, badge: str, width: int, suffix: str
) -> str:
    """The base URL field (``fields[1]``, with ``suffix``) for a bar ``width`` cells wide:
    shortened for one line when it keeps ``MIN_URL_CELLS``; else, on two lines, as
    much as fits beside the profile, or a line of its own."""
    url = fields[1][1][: len(fields[1][1]) - len(suffix)] if suffix else fields[1][1]
    over = _cells(fields, lang, badge) - width
    if over <= 0:
        return url + suffix
    short = _shorter_url(url, max(MIN_URL_CELLS, cell_len(url) - over))
    if _cells([fields[0], ("t.base_url", short + suffix), *fields[2:]], lang, badge) <= width:
        return short + suffix
    label = cell_len(t("t.base_url", lang) + " " + suffix)
    beside = width - cell_len(f"{t(fields[0][0], lang)} {fields[0][1]}{_SEP}") - label
    if cell_len(url) <= beside:
        return url + suffix
    if beside >= MIN_URL_CELLS and cell_len(short := _shorter_url(url, beside)) <= beside:
        return short + suffix
    alone = width - label
    return (url if cell_len(url) <= alone else _shorter_url(url, alone)) + suffix


def _cells(fields: list[tuple[str, str]], lang: str, badge: str) -> int:
    line = _SEP.join(f"{t(key, lang)} {value}" for key, value in fields)
    return cell_len(line + (_SEP + badge if badge else ""))


def _shorter_url(url: str, room: int) -> str:
    """``url`` in about ``room`` cells: its origin whole, its path's end (what tells two
    gateways apart) after an ellipsis."""
    scheme, sep, rest = url.partition("://")
    slash = rest.find("/")
    if not sep or slash < 0:
        return url
    origin, path = f"{scheme}://{rest[:slash]}", rest[slash:]
    return origin + elide_path(path, max(8, room - cell_len(origin)))


class TargetBar(Static):
    """One line at the top of the console (two when even the shortened one is too long)."""

    _shown: tuple[Target | None, str, str | None, bool, bool] | None = None

    def show(
        self,
        target: Target | None,
        lang: str,
        scenario: str | None = None,
        *,
        chosen: bool = True,
        default: bool = False,
    ) -> None:
        self._shown = (target, lang, scenario, chosen, default)
        self.refresh(layout=True)

    def render(self) -> Text:
        if self._shown is None:
            return Text("")
        target, lang, scenario, chosen, default = self._shown
        # The bar is as wide as the screen; its padding takes a cell each side.
        width = max(20, self.app.size.width - 2)
        sources = getattr(self.app, "sources", None)  # where each field came from
        return target_text(
            target, lang, scenario, chosen=chosen, default=default, width=width, sources=sources
        )

    def on_resize(self) -> None:
        self.refresh(layout=True)
