"""Plain data shared by the engine, the CLI and the console."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tui.core.i18n.catalogue import Msg
from tui.core.safe.masking import mask_key

#: The checks, in the order they are shown.
CHECK_IDS: tuple[str, ...] = ("config", "network", "proxy", "auth", "balance", "model", "stream")

#: The gateway users reach for first; the default base URL.
ALLTKN_BASE_URL = "https://api.alltkn.com/api/v1"
DEFAULT_MODEL = "gpt-4o-mini"


class Status(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


#: One-character marks for each status (the help screen explains them).
STATUS_MARKS = {
    Status.PENDING: "·",
    Status.RUNNING: "…",
    Status.PASS: "✓",
    Status.WARN: "!",
    Status.FAIL: "✗",
    Status.SKIP: "–",
}


@dataclass(slots=True)
class Target:
    """What to diagnose: where, with which key and model, and how to get there."""

    base_url: str = ""
    #: Never in repr(): crash reports and debuggers print reprs.
    api_key: str = field(default="", repr=False)
    model: str = ""
    proxy: str | None = None
    ca_bundle: str | None = None
    insecure: bool = False
    timeout: float = 15.0
    client_label: str = "gateway-doctor"
    profile: str | None = None
    trust_env: bool = True
    #: The client's stream setting (the profile's): the chat starts from it; ``check``
    #: tests streaming whatever it says.
    stream: bool = True

    @property
    def masked_key(self) -> str:
        return mask_key(self.api_key) if self.api_key else "(none)"

    def endpoint(self, path: str) -> str:
        """``base_url`` joined with ``path`` (exactly one slash between)."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass(slots=True)
class CheckResult:
    """What one check found. ``code`` is from the documented vocabulary.

    ``message`` is the one-line detail as a catalogue id with its facts, written in
    any language at render time; ``detail`` is that line in the run's language.
    """

    id: str
    status: Status
    code: str
    title: str = ""
    detail: str = ""
    duration_ms: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict)
    exchanges: list[str] = field(default_factory=list)
    http_status: int | None = None
    error_text: str | None = None
    request_ids: list[str] = field(default_factory=list)
    charged: bool | None = None
    message: Msg | None = None

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL

    @property
    def mark(self) -> str:
        return STATUS_MARKS[self.status]


@dataclass(slots=True)
class Report:
    """The result of one run of the checklist."""

    target: Target
    started_at: str
    duration_ms: float
    checks: list[CheckResult]
    proxy_in_use: str | None = None

    @property
    def verdict(self) -> str:
        statuses = {c.status for c in self.checks}
        if Status.FAIL in statuses:
            return "fail"
        if Status.WARN in statuses:
            return "warn"
        return "pass"

    def first_problem(self) -> CheckResult | None:
        for status in (Status.FAIL, Status.WARN):
            for c in self.checks:
                if c.status is status:
                    return c
        return None

    def by_id(self, check_id: str) -> CheckResult | None:
        for c in self.checks:
            if c.id == check_id:
                return c
        return None


def run_limit(target: Target) -> float:
    """The whole check run's time limit: enough for every step's bounded requests."""
    return target.timeout * 7 + 5.0


#: The stream probe's whole answer may take this many times ``--timeout`` (its one
#: request; the other steps' requests get ``--timeout`` each).
STREAM_LIMIT_TIMES = 2.0


def step_limit(check_id: str, target: Target) -> float:
    """The time limit of ``check_id``'s request, as a running row or ``check`` shows it.

    Every step's requests are bounded by ``--timeout``, except the streamed probe's
    whole answer (headers, then every event), which gets :data:`STREAM_LIMIT_TIMES`
    of it. A step that makes several requests one after another can run past this:
    the viewer then says the elapsed seconds alone (:func:`bounds`).
    """
    times = STREAM_LIMIT_TIMES if check_id == "stream" else 1.0
    return target.timeout * times


def bounds(elapsed_s: float, limit_s: float | None) -> bool:
    """Whether ``limit_s`` still bounds a step running for ``elapsed_s`` seconds."""
    return limit_s is not None and 0 < limit_s and elapsed_s <= limit_s
