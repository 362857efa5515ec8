"""Runs the checklist (interface stub; implemented by the diagnosis-engine issue).

The console and the CLI depend only on this interface:

* :func:`run_checks` runs the checks for a :class:`Target`, records every
  exchange in the :class:`ExchangeLog`, calls ``on_event`` as each check starts
  and finishes (from the event loop thread that runs it), and returns a
  :class:`Report` with one :class:`CheckResult` per check id, in order.
* ``only`` re-runs a subset; results of the other checks are taken from
  ``previous`` (a dependency that was not re-run keeps its earlier result).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui.core.exchange import ExchangeLog
from tui.core.model import CheckResult, Report, Target


@dataclass(slots=True)
class CheckStarted:
    check_id: str


@dataclass(slots=True)
class CheckFinished:
    result: CheckResult


EngineEvent = CheckStarted | CheckFinished


async def run_checks(
    target: Target,
    log: ExchangeLog,
    on_event: Callable[[EngineEvent], None] | None = None,
    only: Iterable[str] | None = None,
    previous: Report | None = None,
) -> Report:
    raise NotImplementedError
