"""What the engine tells while it runs: a check started, a check finished.

Apart from the engine so that a viewer (the console's first frame) can know them
without importing the engine and its HTTP stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.diagnosis.model import CheckResult


@dataclass(slots=True)
class CheckStarted:
    check_id: str


@dataclass(slots=True)
class CheckFinished:
    result: CheckResult


EngineEvent = CheckStarted | CheckFinished
