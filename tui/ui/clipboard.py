"""Copying the support summary so the user is never left with "nothing happened".

Order: the system clipboard through pyperclip; where it has no mechanism
(headless Linux, SSH) Textual's ``copy_to_clipboard`` (OSC 52, which most
terminals pass to the local clipboard, also over SSH). The text is always
also saved to a file in the state directory, and the result says which ways
worked so the notification can tell the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.notifications import SeverityLevel

from tui.core.safe.masking import mask

#: system clipboard writer; tests replace it with a fake
SystemCopy = Callable[[str], None]


@dataclass(slots=True)
class CopyOutcome:
    """How the text went out: ``method`` is "system", "osc52" or "none"."""

    method: str
    path: Path | None = None
    save_error: str | None = None


def pyperclip_copy(text: str) -> None:
    """The system clipboard; raises when pyperclip has no mechanism here."""
    import pyperclip

    pyperclip.copy(text)


def copy_text(
    text: str,
    osc52: Callable[[str], None] | None,
    system: SystemCopy | None = pyperclip_copy,
    stem: str = "support-summary",
) -> CopyOutcome:
    """Copy masked ``text`` (system, else OSC 52) and save it to the state dir."""
    from tui.core.setup.state import save_text

    text = mask(text)
    method = "none"
    if system is not None:
        try:
            system(text)
            method = "system"
        except Exception:  # pyperclip.PyperclipException and friends: no mechanism
            method = "none"
    if method == "none" and osc52 is not None:
        try:
            osc52(text)
            method = "osc52"
        except Exception:
            method = "none"
    path, error = None, None
    try:
        path = save_text(stem, text)
    except Exception as exc:  # StateWriteError: readable message
        error = getattr(exc, "message", None) or mask(str(exc))  # a Msg: rendered in lang
    return CopyOutcome(method, path, error)


def outcome_message(outcome: CopyOutcome, lang: str) -> tuple[str, SeverityLevel]:
    """The notification text and severity for ``outcome``."""
    from tui.ui.labels import t

    severity: SeverityLevel

    where = str(outcome.path) if outcome.path else "-"
    if outcome.method == "system":
        msg = t("n.copied.system", lang, path=where)
    elif outcome.method == "osc52":
        msg = t("n.copied.osc52", lang, path=where)
    else:
        msg = t("n.saved_only", lang, path=where)
    if outcome.method == "none" and outcome.path is None:
        severity = "error"
    elif outcome.save_error:
        severity = "warning"
    else:
        severity = "information"
    if outcome.save_error:
        msg = msg.replace(where, "-") + "\n" + t("n.save_failed", lang, error=outcome.save_error)
    return msg, severity
