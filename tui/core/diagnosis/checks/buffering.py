"""Is a stream buffered on its way to the client? Judged only from evidence that can show it.

A fast backend sends a short reply in one burst, so a burst alone proves
nothing: the same bytes arrive from a live stream and from a proxy that held
them. The stream check therefore asks for a reply long enough to be spread
out (a count to 30), and calls the stream buffered only when

- the reply has at least :data:`JUDGE_MIN_CHUNKS` content chunks,
- they all arrived within :data:`BURST_MS_PER_CHUNK` per chunk (faster than
  any model generates tokens),
- nothing at all (no role chunk, no keep-alive comment) arrived before that
  burst — a proxy that buffers holds those too, so anything earlier shows
  that bytes flow through as they are sent, and
- the silence before the burst was long enough for a live stream at
  :data:`LIVE_MS_PER_TOKEN` per token (and at least :data:`BURST_WAIT_MS`) to
  have delivered every chunk.

Anything else is not a failure: a spread-out stream is live, and a reply too
short or too fast to judge is ``stream.ok`` with a note saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange
from tui.core.net.looplag import LoopLag

#: Fewer content chunks than this cannot show buffering: a fast backend sends them in one burst.
JUDGE_MIN_CHUNKS = 20
#: One burst: every chunk within this many ms per chunk (4,000 chunks/s, faster than models stream).
BURST_MS_PER_CHUNK = 0.25
#: A live stream at 100 tokens/s would have sent a chunk every this many ms during the wait.
LIVE_MS_PER_TOKEN = 10.0
#: Whatever the reply's length, a silence shorter than this is never called buffering.
BURST_WAIT_MS = 250.0

LIVE, TOO_SHORT, TOO_FAST, BUFFERED = "live", "too_short", "too_fast", "buffered"
#: Our own event loop ran late during the silence: the burst may be ours (tui.core.net.looplag).
TOO_BUSY = "too_busy"
#: Loop lateness during the silence that makes arrival times worthless.
BUSY_MS = 100.0

#: The verdicts a ``stream.ok`` detail notes (``check.stream.note.<verdict>``): not judged.
NOTED = frozenset({TOO_SHORT, TOO_FAST, TOO_BUSY})


@dataclass(frozen=True)
class Buffering:
    """The verdict and the figures it rests on (all in ms from the request)."""

    verdict: str
    chunks: int
    first_token_ms: float | None
    spread_ms: float | None
    first_event_ms: float | None
    burst_window_ms: float
    wait_needed_ms: float
    #: How late our own event loop ran during the silence (only measured for a burst).
    loop_late_ms: float = 0.0

    @property
    def note(self) -> Msg | None:
        """The note for a ``stream.ok`` detail (None when none is needed)."""
        return msg(f"check.stream.note.{self.verdict}") if self.verdict in NOTED else None

    def evidence(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "chunks": self.chunks,
            "judge_min_chunks": JUDGE_MIN_CHUNKS,
            "spread_ms": self.spread_ms,
            "burst_window_ms": round(self.burst_window_ms, 1),
            "first_event_ms": _r(self.first_event_ms),
            "first_token_ms": _r(self.first_token_ms),
            "wait_needed_ms": round(self.wait_needed_ms, 1),
            "loop_late_ms": round(self.loop_late_ms, 1),
        }

    def message(self, proxy: Msg | str = "", via: Msg | str = "") -> Msg:
        """The ``stream.buffered`` detail: the burst, the silence, and why that proves it.

        ``proxy`` and ``via`` name what the stream came through (clauses, "" for none).
        """
        return msg(
            "check.stream.buffered",
            chunks=self.chunks,
            spread=self.spread_ms or 0.0,
            silence=self.first_token_ms or 0.0,
            rate=1000 / LIVE_MS_PER_TOKEN,
            needed=self.wait_needed_ms,
            proxy=proxy,
            via=via,
        )


def _r(v: float | None) -> float | None:
    return round(v, 1) if v is not None else None


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def first_event_ms(ex: Exchange) -> float | None:
    """When the first SSE event of any kind (data or comment) arrived, in ms."""
    stats = getattr(ex, "sse_stats", None)
    first = getattr(stats, "first_ms", None)
    if first is not None:
        return float(first)
    for ev in ex.sse_events:
        if ev.comment or ev.event not in ("stray", "dropped"):
            return ev.offset_ms
    return None


def judge(facts: Mapping[str, Any], ex: Exchange, lag: LoopLag | None = None) -> Buffering:
    """Judge buffering from the stream evidence (``content_chunks``, ``first_token_ms``,
    ``spread_ms`` as :meth:`StreamFacts.evidence` gives them) and the events of ``ex``.

    With ``lag``, a burst after a silence that our own event loop's lateness (at least
    :data:`BUSY_MS`) could explain is not evidence of a proxy: it is :data:`TOO_BUSY`.
    """
    n = int(facts.get("content_chunks") or 0)
    first = _num(facts.get("first_token_ms"))
    spread = _num(facts.get("spread_ms"))
    window = n * BURST_MS_PER_CHUNK
    needed = max(BURST_WAIT_MS, n * LIVE_MS_PER_TOKEN)
    first_any = first_event_ms(ex)
    verdict = _verdict(n, first, spread, first_any, window, needed)
    late = 0.0
    if verdict == BUFFERED and lag is not None and ex.perf_start and first is not None:
        late = lag.late_ms(ex.perf_start, ex.perf_start + first / 1000)
        # Only the part of the silence our own lateness cannot explain is evidence.
        if late >= BUSY_MS and first - late < needed:
            verdict = TOO_BUSY
    return Buffering(verdict, n, first, spread, first_any, window, needed, late)


def _verdict(
    n: int,
    first: float | None,
    spread: float | None,
    first_any: float | None,
    window: float,
    needed: float,
) -> str:
    if n == 0 or first is None or spread is None:
        return TOO_SHORT
    if n > 1 and spread > window:
        return LIVE  # spread out as a live stream is
    if first_any is not None and first_any < first - window:
        return LIVE  # something arrived during the wait: the path passes bytes as they come
    if n < JUDGE_MIN_CHUNKS:
        return TOO_SHORT
    if first < needed:
        return TOO_FAST
    return BUFFERED
