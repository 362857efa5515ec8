"""The console's footer: the keys that matter stay when the row is too narrow.

Textual's ``Footer`` lays its keys out left to right (the focused pane's first,
the app's last) and clips what does not fit, so at 80 columns ``q Quit`` and
``? Help`` went first. This footer measures the keys and keeps, in order:
quit and help, the focused pane's own keys (with short labels when the full
ones do not fit), the command palette key, the console's main actions, then the
rest; what it drops is the least useful, and what it shows is never cut.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from tui.ui.host import host
from tui.ui.labels import t

__all__ = ["ConsoleFooter", "SHORT_LABELS", "choose"]

#: action -> a short label (key in tui.ui.labels), for a pane's keys in a narrow footer
SHORT_LABELS = {
    "copy_curl": "bs.curl",
    "save_har": "bs.har",
    "save_json": "bs.json",
    "save_json_all": "bs.json_all",
    "cycle_class": "bs.class",
    "copy_summary": "bs.copy_summary",
}
_ESSENTIAL = frozenset({"quit", "help"})
_MAIN = frozenset({"run_all", "evidence", "copy_summary", "scenario", "leave_input", "demo"})


@dataclass
class Entry:
    """One footer item: a key, or a group of keys with one label (``123 Panes``)."""

    bindings: list[tuple[Binding, bool, str]]
    tier: int
    label: str = ""
    short: str = ""
    group: Binding.Group | None = None
    keys: list[str] = field(default_factory=list)

    def width(self, short: bool = False) -> int:
        """Cells on screen in the compact footer, its right margin included."""
        if self.group is not None:
            return sum(cell_len(k) for k in self.keys) + 1 + cell_len(self.label) + 1
        label = self.short if short and self.short else self.label
        return cell_len(self.keys[0]) + (1 + cell_len(label) if label else 0) + 1


def _tier(node: object, binding: Binding) -> int:
    if binding.action in _ESSENTIAL:
        return 0
    if not isinstance(node, Screen | App):
        return 1  # the focused pane's own keys
    return 2 if binding.action in _MAIN else 4


def choose(entries: list[Entry], room: int, palette: int) -> tuple[list[Entry], bool, bool]:
    """Which entries fit ``room`` cells: ``(kept in order, short labels, palette kept)``.

    ``palette`` is the palette key's width (0: not shown). Tiers fill in order;
    inside a tier the earlier entry wins; the palette comes after the pane's keys.
    """
    short = sum(e.width() for e in entries if e.tier <= 1) > room
    used = sum(e.width(short) for e in entries if e.tier == 0)
    kept = {id(e) for e in entries if e.tier == 0}
    keep_palette = False
    for tier in (1, 2, 3, 4):
        if tier == 2 and palette and used + palette <= room:
            used += palette
            keep_palette = True
        for entry in entries:
            if entry.tier == tier and used + entry.width(short) <= room:
                used += entry.width(short)
                kept.add(id(entry))
    return [e for e in entries if id(e) in kept], short, keep_palette


class ConsoleFooter(Footer):
    """A compact footer that drops the least useful keys first (see the module doc)."""

    def on_resize(self) -> None:
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)

    def _entries(self) -> Iterator[Entry]:
        lang = host(self).lang
        by_action: dict[str, list[tuple[DOMNode, Binding, bool, str]]] = defaultdict(list)
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action[binding.action].append((node, binding, enabled, tooltip))
        for group, items in groupby(by_action.values(), lambda b: b[0][1].group):
            found = list(items)
            if group is not None and len(found) > 1:
                firsts = [m[0] for m in found]
                yield Entry(
                    [(b, e, tip) for _, b, e, tip in firsts],
                    tier=4 if isinstance(firsts[0][0], Screen | App) else 3,
                    label=group.description,
                    group=group,
                    keys=[self.app.get_key_display(b) for _, b, _, _ in firsts],
                )
                continue
            for first in found:
                node, binding, enabled, tooltip = first[0]
                short_key = SHORT_LABELS.get(binding.action)
                yield Entry(
                    [(binding, enabled, tooltip)],
                    tier=_tier(node, binding),
                    label=binding.description,
                    short=t(short_key, lang) if short_key else "",
                    keys=[self.app.get_key_display(binding)],
                )

    def _palette(self) -> tuple[Binding, bool, str | None] | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return None if active is None else (active.binding, active.enabled, active.tooltip)

    #: What the footer shows now (see :meth:`_plan`); None before the first compose.
    _shown: tuple[object, ...] | None = None

    def _plan(self) -> tuple[list[Entry], bool, tuple[Binding, bool, str | None] | None]:
        """The entries kept for the width, short labels or not, and the palette key."""
        entries = list(self._entries())
        palette = self._palette()
        palette_width = 0
        if palette is not None:
            binding = palette[0]
            palette_width = 2 + cell_len(self.app.get_key_display(binding))
            palette_width += cell_len(binding.description)
        room = self.size.width or 10_000  # not laid out yet: on_resize composes again
        kept, short, keep_palette = choose(entries, room, palette_width)
        return kept, short, palette if keep_palette else None

    @staticmethod
    def _looks(
        kept: list[Entry], short: bool, palette: tuple[Binding, bool, str | None] | None
    ) -> tuple[object, ...]:
        """Everything the composed widgets are made from, to tell a change."""
        keys = tuple(
            (
                e.label,
                e.short,
                tuple(e.keys),
                tuple((b.key, b.action, on, tip) for b, on, tip in e.bindings),
            )
            for e in kept
        )
        shown_palette = (
            None if palette is None else (palette[0].key, palette[0].description, palette[1])
        )
        return keys, short, shown_palette

    async def recompose(self) -> None:
        """Rebuild the keys only when what they show changed.

        Textual recomposes the footer on every bindings update (each focus change,
        each mounted pane): at start-up six times in 300 ms, 17-70 ms each, on the
        loop the first checks run on. Most of them would draw the same keys again.
        """
        if self._shown is not None and self._bindings_ready and self.is_attached:
            if self._looks(*self._plan()) == self._shown:
                return
        await super().recompose()

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        kept, short, palette = self._plan()
        self._shown = self._looks(kept, short, palette)
        self.styles.grid_size_columns = len(kept)
        for entry in kept:
            yield from self._widgets(entry, short)
        if palette is not None:
            binding, enabled, tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=tooltip or binding.description,
            )

    def _widgets(self, entry: Entry, short: bool) -> Iterator[Widget]:
        if entry.group is not None:
            with KeyGroup(classes="-compact" if entry.group.compact else ""):
                for (binding, enabled, tooltip), key in zip(
                    entry.bindings, entry.keys, strict=True
                ):
                    yield FooterKey(
                        binding.key,
                        key,
                        "",
                        binding.action,
                        disabled=not enabled,
                        tooltip=tooltip or binding.description,
                        classes="-grouped",
                    ).data_bind(compact=Footer.compact)
            yield FooterLabel(entry.label)
            return
        binding, enabled, tooltip = entry.bindings[0]
        label = entry.short if short and entry.short else entry.label
        yield FooterKey(
            binding.key,
            entry.keys[0],
            label,
            binding.action,
            disabled=not enabled,
            tooltip=tooltip,
        ).data_bind(compact=Footer.compact)
