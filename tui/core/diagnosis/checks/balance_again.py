"""The balance read once more at the end of a run, so "Charged" can show the delta.

Only when the balance step read a number and a completion was charged or may
have been (usage, tokens, no answer): the same family's endpoint, at the same
root, through the same client (timeout, origin guard, exchange log). The
result goes into the balance step's evidence (``read_again``) and exchanges;
the summary and the report take the pair from there. Requests overlap, so the
first read may have gone out together with the completions: ``raced`` says so,
and the wording becomes "between the balance read and the end of the run".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from tui.core.diagnosis.charge import charge_of, is_completion
from tui.core.diagnosis.checks import balance as bal
from tui.core.diagnosis.checks.base import Context
from tui.core.i18n.catalogue import msg, text
from tui.core.net.exchange import Exchange
from tui.core.net.notes import add_note

__all__ = ["NOTE", "read_again"]

#: The note on those exchanges (exchange notes are recorded data, kept in English).
NOTE = text("check.balance.read_again")

Reader = Callable[[Context, str], Awaitable[bal.Finding]]


def _simple_reader(family: str, path: str) -> Reader:
    """A single-endpoint gateway's reader (one per family: no late binding in a loop)."""
    return lambda ctx, root: bal._simple(ctx, family, root + path)


#: family -> (the path whose 200 gave the figure, how to read it again from its root).
_AGAIN: dict[str, tuple[str, Reader]] = {
    "new-api/one-api": (
        "/dashboard/billing/subscription",
        lambda ctx, root: bal._newapi(ctx, [root]),
    ),
    "openrouter": ("/key", lambda ctx, root: bal._openrouter(ctx, root)),
    "litellm": ("/key/info", lambda ctx, root: bal._litellm(ctx, [root])),
    **{family: (path, _simple_reader(family, path)) for family, path in bal._SIMPLE.items()},
}


def _when(ex: Exchange) -> tuple[datetime, datetime] | None:
    """(start, end) of an exchange, from its ISO start and its duration."""
    try:
        start = datetime.fromisoformat(ex.started_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return start, start + timedelta(milliseconds=ex.duration_ms or 0.0)


def raced(reads: Sequence[Exchange], completions: Sequence[Exchange]) -> bool:
    """Whether the first read was not cleanly before every completion started."""
    spans = [_when(e) for e in reads]
    starts = [w[0] for w in (_when(c) for c in completions) if w is not None]
    if not starts or any(s is None for s in spans):
        return True  # unknown: say the cautious thing
    return max(s[1] for s in spans if s is not None) >= min(starts)


async def read_again(ctx: Context, completions: Sequence[Exchange]) -> Exchange | None:
    """Read the balance once more (see the module docstring); None when not needed."""
    res = ctx.results.get("balance")
    if res is None or res.evidence.get("remaining") is None or res.evidence.get("unlimited"):
        return None
    sent = [c for c in completions if is_completion(c)]
    if not sent or charge_of(sent).charged is False:
        return None
    family = str(res.evidence.get("family") or "")
    if family not in _AGAIN:
        return None
    path, reader = _AGAIN[family]
    before = [e for e in (ctx.log.get(i) for i in res.exchanges) if e is not None]
    source = next(
        (e for e in before if e.status == 200 and e.url.split("?")[0].endswith(path)), None
    )
    if source is None:
        return None
    root = source.url.split("?")[0][: -len(path)]
    again: dict[str, Any] = {"remaining": None, "exchanges": []}
    res.evidence["read_again"] = again
    try:
        finding = await asyncio.wait_for(reader(ctx, root), ctx.timeout + 1.0)
    except TimeoutError:
        finding = None
    new = finding.exchanges if finding is not None else []
    for ex in new:
        add_note(ex, msg("check.balance.read_again"))
        again["exchanges"].append(ex.id)
        res.exchanges.append(ex.id)
    if (
        finding is not None
        and finding.remaining is not None
        and finding.unit == res.evidence.get("unit")
    ):
        again["remaining"] = finding.remaining
    again["raced"] = raced([e for e in before if e.status is not None], sent)
    return new[-1] if new else None
