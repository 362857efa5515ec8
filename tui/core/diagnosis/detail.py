"""A result's one-line detail in the language asked for, rendered from its message.

Checks give each result a catalogue message (id and facts); the console switches
language live, so it asks for the line at render time rather than storing one.
"""

from __future__ import annotations

from tui.core.diagnosis.model import CheckResult
from tui.core.i18n.catalogue import render


def detail_for(r: CheckResult, lang: str) -> str:
    """The detail of ``r`` in ``lang`` (its stored line when a result has no message:
    one read back from a saved JSON report, or built by a test)."""
    if r.message is not None:
        return render(r.message, lang)
    return r.detail or ""


def localize(r: CheckResult, lang: str) -> CheckResult:
    """Write ``r.detail`` in ``lang`` (the run's language); the message stays for others."""
    if r.message is not None:
        r.detail = render(r.message, lang)
    return r
