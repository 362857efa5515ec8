"""Inspector UI strings in English and Simplified Chinese."""

from __future__ import annotations

from tui.core.i18n.catalogue import text


def t(key: str, lang: str = "en", **values: object) -> str:
    """The inspector string ``key`` in ``lang`` (English fallback), formatted."""
    return text(f"inspector.{key}", lang, **values)
