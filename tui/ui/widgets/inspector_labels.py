"""Inspector UI strings in English and Simplified Chinese."""

from __future__ import annotations

from tui.core.i18n.catalogue import has, text


def t(key: str, lang: str = "en", **values: object) -> str:
    """The inspector string ``key`` in ``lang`` (English fallback), formatted."""
    return text(f"inspector.{key}", lang, **values)


def step_label(step: str, lang: str = "en") -> str:
    """The step that sent a request (``balance`` / ``余额``); an unknown one as recorded."""
    msg_id = f"inspector.step.{step}"
    return text(msg_id, lang) if has(msg_id) else step
