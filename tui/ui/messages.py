"""Messages the check worker posts to the console.

The engine calls ``on_event`` as each check starts and finishes; the console
turns those calls into these messages so widgets are only ever touched by
Textual's own message handling, never directly from engine code.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.core.diagnosis.model import CheckResult, Report


@dataclass
class ChecksStarted(Message):
    """A run began; ``only`` is the subset being re-run (None = all)."""

    only: frozenset[str] | None = None


@dataclass
class StepStarted(Message):
    """One check started: show its spinner."""

    check_id: str


@dataclass
class StepFinished(Message):
    """One check finished: show its mark, one-line result and duration."""

    result: CheckResult


@dataclass
class ChecksDone(Message):
    """The run finished (``report``) or stopped with an unexpected ``error``, or with a
    ``notice`` that says why in the console's words (a first run lost in its child)."""

    report: Report | None
    error: str | None = None
    notice: str | None = None
