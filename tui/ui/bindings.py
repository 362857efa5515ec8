"""Key bindings in the console's language: our own, and the ones Textual's widgets bring.

Our bindings name a catalogue id per action; their description is that id's
text in the current language. Textual's widgets (Input, OptionList, TextArea,
ListView …) bring English descriptions of their own, which the key panel
(palette → Keys) lists: each is looked up as ``textual.key.<slug>`` (``Move
cursor left`` → ``textual.key.move_cursor_left``, 44-textual.toml), so a
Chinese console lists them in Chinese too. Screens mix in
:class:`BindingsInLanguage`; the footer and the key panel both read
``Screen.active_bindings``, so that is where the words change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding, Binding

from tui.core.i18n.catalogue import has, text

__all__ = ["BindingsInLanguage", "label", "relabel", "textual_text"]

_SLUG = re.compile(r"[^a-z0-9]+")


def label(msg_id: str, lang: str = "en") -> str:
    """A binding's description: the catalogue text of ``msg_id`` (English by default)."""
    return text(msg_id, lang)


def textual_text(words: str, lang: str) -> str | None:
    """Textual's own English ``words`` (a binding description) in ``lang``; None if unknown."""
    if not words or not words.isascii():
        return None
    msg_id = "textual.key." + _SLUG.sub("_", words.lower()).strip("_")
    return text(msg_id, lang) if has(msg_id, lang) else None


def relabel(binding: Binding, msg_id: str, lang: str) -> Binding:
    """``binding`` described by ``msg_id`` in ``lang`` (its tooltip by ``msg_id.tip``, if any)."""
    tip = f"{msg_id}.tip"
    return replace(
        binding,
        description=text(msg_id, lang),
        tooltip=text(tip, lang) if has(tip) else binding.tooltip,
    )


def _in_language(active: ActiveBinding, labels: Mapping[str, str], lang: str) -> ActiveBinding:
    binding = active.binding
    msg_id = labels.get(binding.action)
    if msg_id is not None:
        binding = relabel(binding, msg_id, lang)
        return active._replace(binding=binding, tooltip=binding.tooltip)
    if lang == "en":
        return active
    words = textual_text(binding.description, lang)
    if words is None:
        return active
    tooltip = textual_text(active.tooltip, lang) or active.tooltip
    return active._replace(binding=replace(binding, description=words), tooltip=tooltip)


class BindingsInLanguage:
    """Mixin for a Screen: ``active_bindings`` described in ``app.lang``.

    ``BINDING_LABELS`` maps the screen's own actions to catalogue ids; any other
    binding with a description Textual wrote is translated from 44-textual.toml.
    """

    BINDING_LABELS: Mapping[str, str] = {}

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        lang = getattr(getattr(self, "app", None), "lang", "en")
        own: Any = self
        labels = self.BINDING_LABELS
        return {
            key: _in_language(active, labels if active.node is own else {}, lang)
            for key, active in bindings.items()
        }
