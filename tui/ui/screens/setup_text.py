"""English and Simplified Chinese labels for the settings screen and the wizard."""

from __future__ import annotations

from tui.core.i18n.catalogue import text


def txt(key: str, lang: str, **kw: object) -> str:
    """The label ``key`` in ``lang`` (English fallback), formatted with ``kw``."""
    return text(f"setup.{key}", lang, **kw)
