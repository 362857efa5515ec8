"""Run history: every run appends a record; a run is compared with the last passing one.

``record_run`` is the one entry point for the runs (check, console, trial, model
probe); it never raises: a problem writing the file comes back as a warning
message the caller may show. ``record_and_compare`` also returns what changed
since the last passing run of the same profile (or base URL).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tui.core.history.diff import Change, Comparison, compare, step_changes
from tui.core.history.record import KINDS, build_record, scope_of
from tui.core.history.store import History, append, files, find_last, read_all, read_last
from tui.core.i18n.catalogue import Msg, msg

__all__ = [
    "KINDS",
    "append_record",
    "build_record",
    "Change",
    "Comparison",
    "History",
    "compare",
    "comparison_for",
    "remember",
    "since_message",
    "when_text",
    "last_passing",
    "last_passing_noted",
    "read_all",
    "recent",
    "record_and_compare",
    "record_run",
    "report_result",
    "step_changes",
]


def _problem(exc: BaseException) -> Msg:
    reason = getattr(exc, "reason", None)
    if not isinstance(reason, Msg):
        reason = getattr(exc, "strerror", None) or type(exc).__name__
    return msg("history.not_written", reason=reason)


#: The runs a checklist run is compared with: the checklist's own (a trial or a model
#: probe records other facts; compared with them, most changes would go unseen).
CHECKLIST_KINDS = ("check", "console")
#: JSON's optional blanks around a colon (one line: no newline); linear patterns.
_COLON = rb"[ \t\r]*:[ \t\r]*"
_OK_TRUE = re.compile(rb'"ok"' + _COLON + rb"true")


def last_passing(
    scope: str, before: str | None = None, kinds: tuple[str, ...] = CHECKLIST_KINDS
) -> dict[str, Any] | None:
    """The newest checklist run of ``scope`` that passed; without one, the newest that
    only warned. ``before`` (a record's time) skips runs at or after it."""
    return last_passing_noted(scope, before, kinds)[0]


def last_passing_noted(
    scope: str, before: str | None = None, kinds: tuple[str, ...] = CHECKLIST_KINDS
) -> tuple[dict[str, Any] | None, Msg | None]:
    """:func:`last_passing`, and the note that unreadable lines were skipped on the way
    (said once per file state: see :mod:`tui.core.history.noted`)."""
    # Patterns, not plain bytes: a record written with spaces (``"ok": true``) is as
    # valid; the anchor still skips failed runs block by block, never parsing them.
    value = re.escape(json.dumps(scope, ensure_ascii=False).encode("utf-8"))
    needle = re.compile(rb'"scope"' + _COLON + value)
    skipped: dict[str, int] = {}
    warned: list[dict[str, Any]] = []

    def match(r: dict[str, Any]) -> bool:
        if r.get("scope") != scope or not r.get("ok") or r.get("kind") not in kinds:
            return False
        if before is not None and str(r.get("time")) >= before:
            return False
        if r.get("verdict") == "pass":
            return True
        if not warned:
            warned.append(r)
        return False

    try:
        found = find_last(match, (_OK_TRUE, needle), skipped=skipped)
    except Exception:  # noqa: BLE001 - history is a help, never a reason to fail a run
        return None, None
    from tui.core.history.noted import skipped_note

    note = skipped_note(skipped) if skipped else None
    return (found if found is not None else (warned[0] if warned else None)), note


def record_and_compare(
    kind: str, target: Any, result: dict[str, Any]
) -> tuple[Comparison | None, Msg | None]:
    """Append this run; return (changes since the last passing run, a warning: the file
    could not be written, or unreadable lines were skipped — said once, see ``noted``)."""
    try:
        record = build_record(kind, target, result)
    except Exception as exc:  # noqa: BLE001 - a malformed result must not break the run
        return None, _problem(exc)
    base, note = last_passing_noted(record["scope"])
    try:
        comparison = compare(base, record) if base is not None else None
    except Exception:  # noqa: BLE001 - history must never take the report down
        comparison = None
    try:
        append(record)
    except Exception as exc:  # noqa: BLE001 - full disk, planted link, read-only home
        return comparison, _problem(exc)
    return comparison, note


def record_run(kind: str, target: Any, result: dict[str, Any]) -> Msg | None:
    """Append one record for a run of ``kind``; never raises, returns a warning or None."""
    return record_and_compare(kind, target, result)[1]


def report_result(report: Any, sources: dict[str, str] | None = None) -> dict[str, Any]:
    """A checklist :class:`Report` as the light dict ``build_record`` reads (no rendering)."""
    checks = []
    for c in report.checks:
        evidence = dict(c.evidence)
        if c.id == "config" and sources:
            evidence.setdefault("sources", sources)
        checks.append(
            {
                "id": c.id,
                "status": c.status.value,
                "code": c.code,
                "duration_ms": c.duration_ms,
                "evidence": evidence,
            }
        )
    return {"verdict": report.verdict, "proxy_in_use": report.proxy_in_use, "checks": checks}


def scope_for(target: Any) -> str:
    """The scope a run of ``target`` is filed under (see ``profile_in_effect``)."""
    from tui.core.history.record import profile_in_effect

    base_url = getattr(target, "base_url", "") or ""
    return scope_of(profile_in_effect(getattr(target, "profile", None), base_url), base_url)


#: The comparison made for each recent report (by identity), so every renderer of
#: that report (text, JSON, Markdown, support summary, console) can say it.
_NOTES: list[tuple[Any, Comparison]] = []
_KEEP_NOTES = 8


def remember(report: Any, comparison: Comparison | None) -> None:
    """Attach ``comparison`` to ``report`` for :func:`comparison_for`."""
    _NOTES[:] = [(r, c) for r, c in _NOTES if r is not report]
    if comparison is not None:
        _NOTES.append((report, comparison))
        del _NOTES[:-_KEEP_NOTES]


def comparison_for(report: Any) -> Comparison | None:
    for r, c in _NOTES:
        if r is report:
            return c
    return None


def when_text(stamp: str) -> str:
    """``2026-11-28T14:02:09Z`` as ``2026-11-28 14:02`` (UTC, as recorded)."""
    return stamp[:16].replace("T", " ") if len(stamp) >= 16 else stamp


def since_message(comparison: Comparison | None, verdict: str) -> Msg | None:
    """ "Since the last passing run on …: …", or None when there is nothing to say."""
    if comparison is None or comparison.base is None:
        return None
    when = when_text(str(comparison.base.get("time", "")))
    if not comparison.changes:
        return None if verdict == "pass" else msg("history.since_same", when=when)
    parts = [c.message for c in comparison.changes]
    return msg("history.since", when=when, changes=parts)


def append_record(record: dict[str, Any]) -> Msg | None:
    """Append an already built record; a write problem comes back as a warning."""
    try:
        append(record)
    except Exception as exc:  # noqa: BLE001 - full disk, planted link, read-only home
        return _problem(exc)
    return None


def recent(scope: str, n: int = 60, warnings: list[Msg] | None = None) -> list[dict[str, Any]]:
    """The newest ``n`` runs of ``scope``, oldest first (for the console's history view);
    unreadable lines skipped, and a failure to read, are said in ``warnings``."""
    from tui.core.history.shape import display

    try:
        found = read_last(n, lambda r: r.get("scope") == scope, warnings=warnings)
        return [display(r) for r in found]
    except Exception as exc:  # noqa: BLE001 - a view, never a reason to fail
        if warnings is not None:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            warnings.append(msg("history.unreadable", path=str(files()[-1]), error=reason))
        return []
