"""Stylesheets say each thing once: a selector has one block (settings.tcss repeated
#profile-form, its fields and .wizard-form in two blocks each)."""

from __future__ import annotations

import re
from collections import Counter

from tui.ui.paths import styles_dir


def selectors(path) -> list[str]:  # noqa: ANN001
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [" ".join(m.group(1).split()) for m in re.finditer(r"([^{}]+)\{", text)]


def test_settings_stylesheet_has_one_block_per_selector() -> None:
    counts = Counter(selectors(styles_dir() / "settings.tcss"))
    assert [s for s, n in counts.items() if n > 1] == []
