"""One chat request of a stage, measured: the reply's text and what the wire showed.

Every request goes through the recording :class:`~tui.core.net.http.GatewayClient`
(bounded, masked in the log). A streamed reply's text is collected from the events as
they arrive, since the log keeps only the first and last few events of a stream.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tui.core.diagnosis.checks.classify import ErrorInfo, classify
from tui.core.i18n.catalogue import msg
from tui.core.net.exchange import Exchange
from tui.core.net.http import GatewayClient, StopReading, parse_json
from tui.core.net.sse import ParsedEvent
from tui.core.safe import json_parse as safe_json
from tui.core.trial.prompts import user

#: A streamed reply keeps at most this much text (a flood cannot grow it without bound).
MAX_TEXT = 256 * 1024
#: After the chunk that triggers an abort, events that arrive within this many ms are
#: still read: a reply already complete (its finish_reason / [DONE] among them) is told
#: from one really cut mid-stream, whose billing is what the recovery stage judges.
ABORT_GRACE_MS = 25.0
#: No tokenizer puts more than this many characters in a token on average: a reply
#: longer than this times max_tokens is far beyond what was asked (a flood, a loop).
CHARS_PER_TOKEN = 16
#: A stream is read no further than this many times that size (and at least 64 K chars).
READ_FACTOR = 4
MIN_READ = 64 * 1024


@dataclass(slots=True)
class Reply:
    """What one request brought back."""

    ex: Exchange
    text: str = ""
    finish: str | None = None
    done: bool = False
    streamed: bool = False
    #: Content events (streamed) and when the first and last arrived (ms from the start).
    chunks: int = 0
    first_ms: float | None = None
    last_ms: float | None = None
    max_gap_ms: float = 0.0
    usage: dict[str, int] = field(default_factory=dict)
    info: ErrorInfo | None = None
    aborted: bool = False
    #: Characters of reply text received (all of them, kept or not), and the
    #: max_tokens asked for; ``oversized``: reading stopped because it was far over.
    chars: int = 0
    max_tokens: int = 0
    oversized: bool = False
    #: When the trial aborted: ms from the start (the grace window starts there).
    abort_ms: float | None = None
    #: A 2xx answer whose body broke off (the transport's kind: ``remote_closed`` …).
    broken: str | None = None
    #: Seconds a 429's Retry-After was waited out before this (second) try.
    waited_429: float | None = None

    @property
    def ok(self) -> bool:
        return self.info is None

    @property
    def beyond(self) -> bool:
        """Far more reply than max_tokens allows: counted by the gateway, or in characters."""
        if not self.max_tokens:
            return False
        counted = self.usage.get("completion_tokens") or 0
        return (
            self.oversized
            or counted > self.max_tokens
            or self.chars > CHARS_PER_TOKEN * self.max_tokens
        )

    @property
    def complete(self) -> bool:
        """The end of the reply arrived (a finish_reason or [DONE]), aborted or not."""
        return self.done or self.finish is not None

    @property
    def total_ms(self) -> float:
        return round(self.ex.duration_ms, 1)

    @property
    def ttft_ms(self) -> float | None:
        if self.first_ms is not None:
            return round(self.first_ms, 1)
        ttfb = self.ex.timings.get("ttfb")
        return round(ttfb, 1) if ttfb is not None and self.ok else None

    def tokens_per_s(self) -> float | None:
        """Sustained rate: completion tokens (else chunks) over the streaming time."""
        if self.first_ms is None or self.last_ms is None or self.last_ms <= self.first_ms:
            return None
        n = self.usage.get("completion_tokens") or self.chunks
        return round((n - 1) / ((self.last_ms - self.first_ms) / 1000), 1) if n > 1 else None

    def tokens_in(self, estimate: int) -> int:
        """Prompt tokens the gateway counted, else the estimate; none for a refused request."""
        if not self.ok and not self.aborted:
            return 0
        return int(self.usage.get("prompt_tokens") or estimate)

    def tokens_out(self) -> int:
        return int(self.usage.get("completion_tokens") or self.chunks or len(self.text) // 4)


def _num_usage(obj: Any) -> dict[str, int]:
    if not isinstance(obj, dict):
        return {}
    return {k: int(v) for k, v in obj.items() if isinstance(v, int) and not isinstance(v, bool)}


class _Collector:
    """Reads content deltas from stream events; stops after ``stop_after`` of them."""

    def __init__(self, reply: Reply, stop_after: int | None) -> None:
        self.reply, self.stop_after = reply, stop_after
        self.parts: list[str] = []
        self.size = 0

    def __call__(self, pe: ParsedEvent, offset: float) -> None:
        r = self.reply
        if r.abort_ms is not None and offset - r.abort_ms > ABORT_GRACE_MS:
            raise StopReading("aborted", msg("trial.note.aborted"))
        if pe.comment:
            return
        if pe.data.strip() == "[DONE]":
            r.done = True
            return
        obj = safe_json.loads(pe.data)
        if not isinstance(obj, dict):
            return
        if obj.get("usage"):
            r.usage = _num_usage(obj.get("usage"))
        choices = obj.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices else None
        if not isinstance(choice, dict):
            return
        if isinstance(choice.get("finish_reason"), str):
            r.finish = choice["finish_reason"]
        if r.aborted:  # within the grace: only whether the end came matters
            return
        delta = choice.get("delta")
        piece = delta.get("content") if isinstance(delta, dict) else None
        if not isinstance(piece, str) or not piece:
            return
        if r.last_ms is not None:
            r.max_gap_ms = max(r.max_gap_ms, offset - r.last_ms)
        r.first_ms = offset if r.first_ms is None else r.first_ms
        r.last_ms = offset
        r.chunks += 1
        r.chars += len(piece)
        if self.size < MAX_TEXT:
            self.parts.append(piece[: MAX_TEXT - self.size])
            self.size += len(piece)
        if self.stop_after is not None and r.chunks >= self.stop_after and not r.aborted:
            # Not at once: what is already here (or within the grace) is read, so a
            # reply that was complete before the abort is known to be.
            r.aborted, r.abort_ms = True, offset
        limit = max(MIN_READ, READ_FACTOR * CHARS_PER_TOKEN * r.max_tokens)
        if r.max_tokens and r.chars > limit:
            r.oversized = True
            raise StopReading("oversized", msg("trial.note.oversized", max_tokens=r.max_tokens))


async def chat(
    client: GatewayClient,
    url: str,
    model: str,
    messages: list[dict[str, str]] | str,
    *,
    step: str,
    max_tokens: int,
    stream: bool = False,
    stop_after: int | None = None,
    timeout: float | None = None,
) -> Reply:
    """Send one chat completion and read what came back; never raises for the network."""
    if isinstance(messages, str):
        messages = [user(messages)]
    body: dict[str, Any] = {"model": model, "messages": messages, "max_tokens": max_tokens}
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    holder: list[Reply] = []
    collector: _Collector | None = None

    def on_sse(pe: ParsedEvent, offset: float) -> None:
        if collector is not None:
            collector(pe, offset)

    if stream:
        placeholder = Reply(ex=Exchange(id="", step=step, started_at="", method="POST", url=url))
        placeholder.max_tokens = max_tokens
        collector = _Collector(placeholder, stop_after)
        holder.append(placeholder)
    t0 = time.perf_counter()
    ex = await client.request(
        "POST",
        url,
        step=step,
        json=body,
        stream=stream,
        on_sse=on_sse if stream else None,
        total_timeout=timeout,
    )
    reply = holder[0] if holder else Reply(ex=ex, max_tokens=max_tokens)
    reply.ex = ex
    if not ex.duration_ms:
        ex.duration_ms = (time.perf_counter() - t0) * 1000
    reply.streamed = "text/event-stream" in ex.content_type
    if collector is not None:
        reply.text = "".join(collector.parts)
    if reply.aborted:
        return reply
    status = ex.status
    if status is None:
        reply.info = ErrorInfo(kind=ex.error_kind or "transport", message=ex.error or "")
        return reply
    if not 200 <= status < 300:
        headers = dict(ex.response_headers)
        reply.info = classify(status, ex.response_body, ex.content_type, headers)
        return reply
    reply.broken = ex.error_kind if ex.error else None
    if not reply.streamed:
        _read_plain(reply)
    return reply


def _read_plain(reply: Reply) -> None:
    obj = parse_json(reply.ex)
    if not isinstance(obj, dict):
        return
    reply.usage = _num_usage(obj.get("usage"))
    choices = obj.get("choices")
    choice = choices[0] if isinstance(choices, list) and choices else None
    if not isinstance(choice, dict):
        return
    if isinstance(choice.get("finish_reason"), str):
        reply.finish = choice["finish_reason"]
    message = choice.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        reply.chars = len(content)
        reply.text = content[:MAX_TEXT]
