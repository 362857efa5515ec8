"""The model step's suggestion as its own fact: the models the last probe found working.

A failing model step keeps the gateway's sentence as its detail; the working models
(``evidence["working_closest"]``, set by the model check) are a separate row in the
expanded step, the first remediation step and a row of the support summary, whole,
so no column or width cuts a name mid-way (issue 17 review).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.core.i18n.catalogue import text
from tui.core.safe.masking import mask
from tui.core.safe.terminal import one_line

__all__ = ["working_models", "working_names", "working_step"]

#: Names shown at most (the check keeps three).
MAX_NAMES = 5


def working_models(evidence: Mapping[str, Any] | None) -> list[str]:
    """The working models a result's evidence names (masked, terminal-safe, one line)."""
    got = evidence.get("working_closest") if isinstance(evidence, Mapping) else None
    if not isinstance(got, list):
        return []
    return [one_line(mask(m)) for m in got[:MAX_NAMES] if isinstance(m, str) and m]


def working_names(evidence: Mapping[str, Any] | None) -> str | None:
    """``a, b, c`` (ids are ASCII: the same comma in both languages); None when none."""
    names = working_models(evidence)
    return ", ".join(names) if names else None


def working_step(evidence: Mapping[str, Any] | None, lang: str) -> str | None:
    """The remediation step that names them; None when there are none. When this run read
    no ``/models`` (``working_probed_on`` set), it says on which day they worked."""
    names = working_names(evidence)
    if not names:
        return None
    day = evidence.get("working_probed_on") if isinstance(evidence, Mapping) else None
    if isinstance(day, str) and day:
        return text("models.hint.step_dated", lang, names=names, date=one_line(day[:10]))
    return text("models.hint.step", lang, names=names)
