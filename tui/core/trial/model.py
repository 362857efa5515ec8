"""Plain data of a trial: settings, a stage's result, the whole run."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.core.diagnosis.model import Status, Target
from tui.core.i18n.catalogue import Msg
from tui.core.trial.codes import STAGES

if TYPE_CHECKING:  # the command line's help needs this module, not httpx
    from tui.core.net.http import GatewayClient

DEFAULT_CONTEXT = 8192
DEFAULT_BATCH = 4
#: Room left for the reply when ``--context`` is capped at the model's context length.
REPLY_ROOM = 512


@dataclass(slots=True)
class Settings:
    """What the user chose: which stages, the long-context size, the batch width."""

    stages: tuple[str, ...] = STAGES
    context: int = DEFAULT_CONTEXT
    batch: int = DEFAULT_BATCH
    #: The model's context length where the gateway publishes it (caps ``context``).
    model_context: int | None = None
    #: Price per million tokens in and out, and its currency, where published.
    price_in: float | None = None
    price_out: float | None = None
    currency: str = "USD"
    #: A price per request (new-api quota_type 1, the group's ratio applied), where published.
    price_per_request: float | None = None
    #: The new-api group whose ratio the published prices include.
    price_group: str | None = None

    @property
    def priced(self) -> bool:
        return self.price_per_request is not None or (
            self.price_in is not None and self.price_out is not None
        )

    def context_size(self) -> int:
        if self.model_context:
            return max(256, min(self.context, self.model_context - REPLY_ROOM))
        return self.context


@dataclass(slots=True)
class StageResult:
    """What one stage found: its code (``trial.<stage>.<what>``), the line that says so,
    the figures measured, and the tokens it spent."""

    id: str
    status: Status
    code: str
    message: Msg | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    tokens_in: int = 0
    tokens_out: int = 0
    elapsed_ms: float | None = None
    #: Requests the gateway answered (or streamed until the trial aborted): billed ones.
    answered: int = 0
    exchanges: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    detail: str = ""


@dataclass(slots=True)
class TrialRun:
    """A whole trial: the stages in the note's order, and why it did not run if it didn't."""

    target: Target
    started_at: str
    settings: Settings
    stages: list[StageResult]
    duration_ms: float = 0.0
    #: Set when the checklist failed: the codes the trial waits for.
    waits_for: list[str] = field(default_factory=list)
    #: Stopped by Ctrl-C: the stages not run are marked so.
    interrupted: bool = False

    @property
    def verdict(self) -> str:
        if self.interrupted:  # stages never ran: neither passed nor failed
            return "interrupted"
        statuses = {s.status for s in self.stages}
        if Status.FAIL in statuses:
            return "fail"
        if self.waits_for:
            return "skip"
        return "warn" if Status.WARN in statuses else "pass"

    def stages_ran(self) -> int:
        """Stages that ran to their end (an interrupted run marks the rest not run)."""
        return sum(1 for s in self.stages if s.code != "trial.skipped" or not self.interrupted)

    def tokens(self) -> tuple[int, int]:
        return sum(s.tokens_in for s in self.stages), sum(s.tokens_out for s in self.stages)

    def answered(self) -> int:
        return sum(s.answered for s in self.stages)

    def by_id(self, stage: str) -> StageResult | None:
        return next((s for s in self.stages if s.id == stage), None)


class Slots:
    """How many requests the trial has in flight at most; lowered when the gateway says
    it allows fewer (the batch stage's finding, or a 429 met on the way)."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.busy = 0
        self._cond = asyncio.Condition()

    async def __aenter__(self) -> None:
        async with self._cond:
            await self._cond.wait_for(lambda: self.busy < self.limit)
            self.busy += 1

    async def __aexit__(self, *exc: object) -> None:
        async with self._cond:
            self.busy -= 1
            self._cond.notify_all()

    def lower(self, limit: int) -> None:
        self.limit = max(1, min(self.limit, limit))


@dataclass(slots=True)
class Ctx:
    """What every stage needs: the client, where to send, the settings, the slot limit."""

    target: Target
    client: GatewayClient
    url: str
    settings: Settings
    slots: Slots
    #: The concurrency the batch stage found the gateway allows (None: no limit seen).
    limit: int | None = None


def verdict_label(run: TrialRun, lang: str) -> str:
    """The verdict in words: "passed", or "interrupted (3 of 9 stages ran)"."""
    from tui.core.diagnosis.remediation import status_label
    from tui.core.i18n.catalogue import text

    if run.interrupted:
        done = run.stages_ran()
        key = "trial.cli.interrupted_verdict" + ("_one" if done == 1 else "")
        return text(key, lang, done=done, total=len(run.stages))
    return status_label(run.verdict, lang)
