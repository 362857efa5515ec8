"""Key bindings as data: declared with an id, described in the console's language, remappable.

Every binding of the console is made with :func:`bind`: it has an ``id`` (what
a user's ``[keymap]`` names, see :func:`user_keymap`) and the catalogue id of
its description; :class:`BindingsInLanguage` (mixed into every screen) gives
``Screen.active_bindings`` in ``app.lang``, and the footer, the key panel
(palette → Keys) and the help page all read those. Textual's widgets (Input,
OptionList, TextArea, ListView …) bring English descriptions of their own: each
is looked up as ``textual.key.<slug>`` (``Move cursor left`` →
``textual.key.move_cursor_left``, 44-textual.toml).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding, Binding
from textual.keys import Keys

from tui.core.i18n.catalogue import has, text

__all__ = [
    "BindingsInLanguage",
    "bind",
    "described",
    "group",
    "label",
    "read_keymap",
    "textual_text",
    "user_keymap",
]

_SLUG = re.compile(r"[^a-z0-9]+")
#: binding id -> catalogue id of its description (filled by :func:`bind`)
_DESCRIBED_BY: dict[str, str] = {}
#: binding group -> catalogue id of its label (filled by :func:`group`)
_GROUPS: dict[Binding.Group, str] = {}


def label(msg_id: str, lang: str = "en") -> str:
    """A binding's description: the catalogue text of ``msg_id`` (English by default)."""
    return text(msg_id, lang)


def bind(keys: str, action: str, msg_id: str, *, id: str, **options: Any) -> Binding:
    """A binding with ``id``, described by the catalogue text ``msg_id`` (its tooltip by
    ``msg_id.tip`` when there is one); English here, ``active_bindings`` translates it."""
    _DESCRIBED_BY[id] = msg_id
    tip = f"{msg_id}.tip"
    tooltip = text(tip) if has(tip) else ""
    return Binding(keys, action, text(msg_id), id=id, tooltip=tooltip, **options)


def group(msg_id: str, *, compact: bool = False) -> Binding.Group:
    """A footer group (``1 2 3 Panes``) labelled by the catalogue text ``msg_id``."""
    made = Binding.Group(text(msg_id), compact=compact)
    _GROUPS[made] = msg_id
    return made


def known_ids() -> frozenset[str]:
    """The ids of every binding made so far (the console's classes are imported)."""
    return frozenset(_DESCRIBED_BY)


def textual_text(words: str, lang: str) -> str | None:
    """Textual's own English ``words`` (a binding description) in ``lang``; None if unknown."""
    if not words or not words.isascii():
        return None
    msg_id = "textual.key." + _SLUG.sub("_", words.lower()).strip("_")
    return text(msg_id, lang) if has(msg_id, lang) else None


def described(binding: Binding, lang: str) -> Binding:
    """``binding`` with its description, tooltip and group label in ``lang``.

    Ours are found by id (every one is made with :func:`bind`); Textual's by their
    English words.
    """
    msg_id = _DESCRIBED_BY.get(binding.id or "")
    if msg_id is not None:
        tip = f"{msg_id}.tip"
        binding = replace(
            binding,
            description=text(msg_id, lang),
            tooltip=text(tip, lang) if has(tip) else binding.tooltip,
        )
    elif lang != "en":
        words = textual_text(binding.description, lang)
        tip_words = textual_text(binding.tooltip, lang)
        binding = replace(
            binding,
            description=words or binding.description,
            tooltip=tip_words or binding.tooltip,
        )
    if binding.group in _GROUPS:
        label_id = _GROUPS[binding.group]
        binding = replace(binding, group=replace(binding.group, description=text(label_id, lang)))
    return binding


class BindingsInLanguage:
    """Mixin for a Screen: ``active_bindings`` described in ``app.lang``.

    ``footer_shows`` decides, per binding, whether the footer has room to list it.
    """

    def footer_shows(self, binding: Binding) -> bool:
        """Whether the footer lists ``binding`` (the key works either way)."""
        return binding.show

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        lang = getattr(getattr(self, "app", None), "lang", "en")
        out = {}
        for key, active in bindings.items():
            binding = described(active.binding, lang)
            shows = self.footer_shows(active.binding)
            if shows != binding.show:
                binding = replace(binding, show=shows)
            tooltip = binding.tooltip if binding is not active.binding else active.tooltip
            out[key] = active._replace(binding=binding, tooltip=tooltip)
        return out


# ----- the user's keymap ([keymap] in the config file) ------------------------------------

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED = frozenset(k.value for k in Keys if "+" not in k.value and not k.value.startswith("<"))


def valid_key(key: str) -> bool:
    """Whether ``key`` names a key Textual can bind (``f5``, ``ctrl+r``, ``question_mark``)."""
    *mods, base = key.strip().split("+")
    if any(m not in _MODIFIERS for m in mods) or not base:
        return False
    if len(base) == 1 or base in _NAMED:
        return True
    try:
        unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return False
    return True


#: Key names as the help page and the footer write them, and as people type them.
_ALIASES = {"pgup": "pageup", "pgdn": "pagedown", "esc": "escape", "del": "delete",
            "ins": "insert", "return": "enter"}  # fmt: skip


def normal_key(key: str) -> str:
    """``F6`` → ``f6``, ``^p`` → ``ctrl+p``, ``pgup`` → ``pageup``, ``Ctrl+R`` → ``ctrl+R``.

    One-letter keys keep their case (``R`` is shift+r); longer names are lower-cased.
    """
    key = key.strip()
    if len(key) == 2 and key.startswith("^"):
        key = "ctrl+" + key[1].lower()
    *mods, base = key.split("+")
    if len(base) > 1:
        base = _ALIASES.get(base.lower(), base.lower())
    return "+".join([*(m.strip().lower() for m in mods), base])


def user_keymap(
    table: object, known: frozenset[str], lang: str = "en"
) -> tuple[dict[str, str], list[str]]:
    """The ``[keymap]`` table of the config file checked: ``(keymap, problems)``.

    ``table`` maps binding ids to keys (``"run" = "f5"``, ``"chat.save" = "ctrl+w,f9"``).
    Each bad entry (unknown id, not a string, not a key) is left out with a problem
    naming it, in ``lang``.
    """
    if table is None:
        return {}, []
    if not isinstance(table, dict):
        return {}, [text("ui.keymap.not_a_table", lang, found=type(table).__name__)]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if binding_id not in known:
            problems.append(text("ui.keymap.unknown_id", lang, id=binding_id))
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(text("ui.keymap.not_keys", lang, id=binding_id))
        elif bad := [k for k in keys.split(",") if not valid_key(normal_key(k))]:
            problems.append(text("ui.keymap.bad_key", lang, id=binding_id, key=bad[0].strip()))
        else:
            keymap[binding_id] = ",".join(normal_key(k) for k in keys.split(","))
    return keymap, problems


def read_keymap(table: object, lang: str = "en") -> tuple[dict[str, str], list[str]]:
    """The config file's ``[keymap]`` table checked against every binding of the console."""
    if table is None:
        return {}, []
    # The panes are imported after the first frame; their bindings' ids are needed now.
    import tui.ui.screens.help  # noqa: F401
    import tui.ui.widgets.chat  # noqa: F401
    import tui.ui.widgets.inspector  # noqa: F401

    return user_keymap(table, known_ids(), lang)
