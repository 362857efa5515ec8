"""Language choice; the text itself is in the catalogues (``catalogue.py``, ``en/``, ``zh-CN/``).

Two languages: ``en`` and ``zh-CN``. The choice comes from ``--lang``, else
``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` (``zh*`` means Chinese), else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: The languages with a catalogue (``tui/core/i18n/<lang>/``).
LANGS: tuple[str, ...] = ("en", "zh-CN")


def normalize_lang(value: str | None) -> str | None:
    """``zh``, ``zh_CN.UTF-8``, ``zh-Hans`` → ``zh-CN``; ``en*`` → ``en``; else None."""
    if not value:
        return None
    v = value.strip().lower().replace("_", "-")
    if v.startswith("zh"):
        return "zh-CN"
    if v.startswith("en") or v in {"c", "posix", "c.utf-8"}:
        return "en"
    return None


def detect_lang(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    for candidate in (explicit, env.get("LC_ALL"), env.get("LC_MESSAGES"), env.get("LANG")):
        lang = normalize_lang(candidate)
        if lang:
            return lang
    return "en"
