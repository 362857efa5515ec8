"""What the checks share during one run: the target, the client, facts found so far.

Checks communicate only through :class:`Context`: the effective base URL
(after a redirect), the model list from ``/models``, and quota signals seen by
any step (so that a 429 ``insufficient_quota`` on the completion becomes one
``balance.insufficient`` instead of a cascade of unrelated-looking failures).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tui.core.diagnosis.checks.classify import ErrorInfo, classify
from tui.core.diagnosis.checks.overlap import Overlap
from tui.core.diagnosis.model import CheckResult, Status, Target
from tui.core.i18n.catalogue import Msg, msg, render, text
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.net.looplag import LoopLag
from tui.core.net.transport_error import error_msg, error_quote

#: The model prompt: tiny, cheap, deterministic enough.
PING = "Reply with one word: pong"  # not-ui-text: prompt sent to the model
PING_MESSAGES = [{"role": "user", "content": PING}]


@dataclass
class Context:
    """Shared state of one run of the checklist."""

    target: Target
    log: ExchangeLog
    client: GatewayClient
    env: Mapping[str, str]
    base_url: str = ""
    results: dict[str, CheckResult] = field(default_factory=dict)
    futures: dict[str, asyncio.Future[CheckResult]] = field(default_factory=dict)
    models: list[str] | None = None
    models_endpoint: bool = True
    quota: list[dict[str, Any]] = field(default_factory=list)
    #: Requests sent ahead of their check, shared with it (the engine sets it).
    overlap: Overlap | None = None
    #: When our own event loop ran late during the run (the engine starts it).
    lag: LoopLag | None = None

    @property
    def timeout(self) -> float:
        return self.target.timeout

    def url(self, path: str) -> str:
        return (self.base_url or self.target.base_url).rstrip("/") + "/" + path.lstrip("/")

    async def result_of(self, check_id: str) -> CheckResult | None:
        """The result of another check, waiting for it if it runs in this run."""
        fut = self.futures.get(check_id)
        if fut is not None:
            return await asyncio.shield(fut)
        return self.results.get(check_id)

    async def request(self, method: str, url: str, *, step: str, **kw: Any) -> Exchange:
        """One recorded request, bounded by ``--timeout`` unless told otherwise.

        When the same request was sent ahead (:meth:`ahead`), its exchange is used.
        """
        kw.setdefault("total_timeout", self.timeout)
        if self.overlap is not None:
            return await self.overlap.request(method, url, step=step, **kw)
        return await self.client.request(method, url, step=step, **kw)

    async def ping(self, step: str, fields: dict[str, Any], **kw: Any) -> Exchange:
        """The tiny completion auth, model and stream send; ``fields`` end the JSON body."""
        body = self.ping_body(fields)
        return await self.request("POST", self.url("chat/completions"), step=step, json=body, **kw)

    def ping_body(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"model": self.target.model, "messages": PING_MESSAGES, **fields}

    def ahead(self, method: str, url: str, *, step: str, **kw: Any) -> None:
        """Send now a request ``step`` will make later (same arguments as :meth:`request`)."""
        if self.overlap is None:
            return
        kw.setdefault("total_timeout", self.timeout)
        self.overlap.ahead(method, url, step=step, **kw)

    def ping_ahead(self, step: str, fields: dict[str, Any], **kw: Any) -> None:
        """:meth:`ahead` for :meth:`ping`."""
        url = self.url("chat/completions")
        self.ahead("POST", url, step=step, json=self.ping_body(fields), **kw)

    def add_quota(self, step: str, ex: Exchange, info: ErrorInfo) -> None:
        q: dict[str, Any] = {
            "step": step,
            "http_status": info.status,
            "error_message": info.message,
            "exchange": ex.id,
            "request_ids": ex.request_ids(),
        }
        if info.too_deep:
            q["json_depth"] = info.too_deep
        self.quota.append(q)


class Timer:
    """Measures a check's duration."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def ms(self) -> float:
        return round((time.perf_counter() - self.start) * 1000, 1)


def span_ms(exchanges: list[Exchange]) -> float | None:
    """From the earliest start to the latest end of ``exchanges`` (None without any).

    Requests are sent ahead, so a check's own timer measures only its wait for
    them: the engine shows this span instead when it is longer.
    """
    spans = []
    for ex in exchanges:
        try:
            start = datetime.fromisoformat(ex.started_at.replace("Z", "+00:00"))
        except ValueError:
            continue
        spans.append((start, start + timedelta(milliseconds=ex.duration_ms or 0.0)))
    if not spans:
        return None
    took = max(e for _s, e in spans) - min(s for s, _e in spans)
    return round(took.total_seconds() * 1000, 1)


def result(
    check_id: str,
    status: Status,
    sub: str,
    detail: str | Msg,
    *,
    timer: Timer | None = None,
    evidence: dict[str, Any] | None = None,
    exchanges: list[Exchange] | None = None,
    facts: Exchange | None = None,
    info: ErrorInfo | None = None,
    charged: bool | None = None,
) -> CheckResult:
    """Build a :class:`CheckResult`; ``facts`` fills status, error text, request ids.

    ``detail`` is a catalogue message (id and facts); the English line is kept in
    ``detail`` for scripts, and every other language is rendered from the message.
    """
    ev = dict(evidence or {})
    message = detail if isinstance(detail, Msg) else None
    detail = render(detail, "en")
    r = CheckResult(
        id=check_id,
        status=status,
        code=f"{check_id}.{sub}",
        title=check_id,
        detail=detail,
        duration_ms=timer.ms if timer else 0.0,
        evidence=ev,
        exchanges=[e.id for e in (exchanges or [])],
        charged=charged,
        message=message,
    )
    if facts is not None:
        r.http_status = facts.status
        r.request_ids = facts.request_ids()
        if facts.id not in r.exchanges:
            r.exchanges.append(facts.id)
        if facts.status is not None:
            ev.setdefault("http_status", facts.status)
        if facts.request_ids():
            ev.setdefault("request_ids", facts.request_ids())
        if facts.error:
            r.error_text = error_quote(facts)  # the OS's own words; the detail says ours
            ev.setdefault("transport_error", facts.error)
    if info is not None:
        if info.message and info.kind != "ok":
            r.error_text = info.message
        for k, v in info.evidence().items():
            ev.setdefault(k, v)
    return r


class Results:
    """Builds one check's results: its id, timer and evidence are given once.

    A check has many outcomes; each return then states only what differs
    (status, code, detail, the exchanges that prove it).
    """

    def __init__(self, check_id: str, evidence: dict[str, Any] | None = None) -> None:
        self.check_id = check_id
        self.timer = Timer()
        self.evidence: dict[str, Any] = {} if evidence is None else evidence

    def __call__(self, status: Status, sub: str, detail: str | Msg, **kw: Any) -> CheckResult:
        return result(
            self.check_id, status, sub, detail, timer=self.timer, evidence=self.evidence, **kw
        )

    def transport_failure(self, ex: Exchange) -> CheckResult:
        """No HTTP answer at all: a timeout, else a gateway/transport error."""
        code = "timeout" if is_timeout(ex) else "gateway_error"
        return self(Status.FAIL, code, transport_message(ex), facts=ex)


def skipped(
    check_id: str, detail: str | Msg, evidence: dict[str, Any] | None = None
) -> CheckResult:
    """A check that did not run because something it needs failed."""
    return CheckResult(
        id=check_id,
        status=Status.SKIP,
        code=f"{check_id}.skipped",
        title=check_id,
        detail=render(detail, "en"),
        evidence=dict(evidence or {}),
        message=detail if isinstance(detail, Msg) else None,
    )


def info_of(ex: Exchange) -> ErrorInfo:
    """Classify an exchange's response (transport errors are handled by callers)."""
    return classify(ex.status, ex.response_body, ex.content_type, dict(ex.response_headers))


def is_timeout(ex: Exchange) -> bool:
    return ex.error_kind in {"read_timeout", "total_timeout", "timeout", "connect_timeout"}


def short(text: str | None, n: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def short_keep_tail(text: str | None, n: int = 200, tail: int = 48) -> str:
    """Like :func:`short`, but the cut is in the middle: refusals end with their figures
    (LiteLLM "… model_id: 7d1e0c5f: 20.4 >= 20.0"), which a cut at the end loses."""
    text = " ".join((text or "").split())
    if len(text) <= n:
        return text
    tail = min(tail, n // 2)
    return text[: n - tail - 1].rstrip() + "…" + text[-tail:].lstrip()


def transport_detail(ex: Exchange) -> str:
    return short(ex.error or text("check.http.no_response"), 240)


def transport_message(ex: Exchange) -> Msg:
    """The detail of a request that got no HTTP answer, as a message.

    The exchange keeps its failure's message (``tui.core.net.transport_error``);
    one recorded without it quotes its English line as a fact.
    """
    return error_msg(ex)


def said(info: ErrorInfo, n: int = 200, *, keep_tail: bool = False) -> str | Msg:
    """The gateway's error text as a fact: its words, shortened, or our note on a body
    nested too deep to read (a message, so it is written in the reader's language)."""
    if info.too_deep:
        return msg("body.json_too_deep", depth=info.too_deep)
    return short_keep_tail(info.message, n) if keep_tail else short(info.message, n)


def http_said(info: ErrorInfo, status: int | None) -> Msg:
    """``HTTP 429: <the gateway's words> (Retry-After: 5 s)``."""
    return msg("check.http.status", status=status, said=said(info), retry=retry_note(info))


def retry_note(info: ErrorInfo) -> Msg | str:
    """`` (Retry-After: 5 s)`` when the gateway said when to retry, else ``""`` (a date as a
    date, an absurd value as ignored: :mod:`.retry_after`)."""
    from tui.core.diagnosis.checks.retry_after import note

    return note(info)
