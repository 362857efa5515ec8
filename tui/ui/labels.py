"""Console UI strings in English and Simplified Chinese.

Check titles, status words and remediation text come from the catalogue
(``tui.core.diagnosis.remediation``); this table holds only what the console itself says.
"""

from __future__ import annotations

from tui.core.i18n.catalogue import catalogue, has, text


def t(key: str, lang: str = "en", **fmt: object) -> str:
    """The UI string ``key`` in ``lang`` (English fallback), formatted with ``fmt``."""
    return text(f"ui.{key}", lang, **fmt)


def keys() -> list[str]:
    """All string keys (a test checks each has both languages)."""
    return [k[3:] for k in catalogue("en") if k.startswith("ui.")]


def has_label(key: str) -> bool:
    """Whether ``key`` is in the table."""
    return has(f"ui.{key}")


def has_both(key: str) -> bool:
    return has(f"ui.{key}", "en") and has(f"ui.{key}", "zh-CN")
