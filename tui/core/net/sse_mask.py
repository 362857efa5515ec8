"""Masking a key that a stream splits over several deltas.

Each SSE event is masked on its own, so a key sent as ``"sk-CANA"``,
``"RY-do-not-le"``, ``"ak-9f8e…"`` in three deltas survived as three harmless-
looking pieces in the inspector, the body and every export. Here the delta
text of the kept events is assembled, secrets are looked for in the assembled
text, and every piece of one that crosses a delta boundary is masked in the
events and in the raw body.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tui.core.net.exchange import Exchange
from tui.core.safe import json_parse as safe_json
from tui.core.safe.key_forms import any_spelling, ascii_lower
from tui.core.safe.masking import registered_secrets

#: Shaped like a key even when not registered (the same shape masking.mask hides).
_SK = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-\.]{6,}")
#: Shorter pieces are left: they say nothing about the key and could match JSON syntax.
MIN_PIECE = 4
HIDDEN = "****"


def _pieces(data: str) -> list[str]:
    """The delta texts (content, reasoning) of one event's JSON, in order."""
    obj: Any = safe_json.loads(data)
    out: list[str] = []
    if isinstance(obj, dict):
        for choice in obj.get("choices") or []:
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if isinstance(delta, dict):
                for name in ("content", "reasoning_content", "reasoning"):
                    if isinstance(delta.get(name), str) and delta[name]:
                        out.append(delta[name])
    return out


def _spans(text: str) -> list[tuple[int, int]]:
    """Where secrets (registered or key-shaped) are in the assembled text."""
    spans = [m.span() for m in _SK.finditer(text)]
    for secret in registered_secrets():
        start = text.find(secret)
        while start != -1:
            spans.append((start, start + len(secret)))
            start = text.find(secret, start + 1)
    return spans


def _hide(raw: str, pattern: re.Pattern[str]) -> str:
    """``raw`` with every match of ``pattern`` (searched in its lower-cased form) hidden."""
    low = ascii_lower(raw)  # ASCII-only lowering: the same length, the same indices
    out, last = [], 0
    for m in pattern.finditer(low):
        out += [raw[last : m.start()], HIDDEN]
        last = m.end()
    return "".join(out) + raw[last:] if out else raw


def mask_split_secrets(ex: Exchange) -> None:
    """Mask, in place, the pieces of any secret split over the deltas of ``ex``."""
    events = [(i, ev) for i, ev in enumerate(ex.sse_events) if not ev.comment and ev.data]
    if len(events) < 2:
        return
    where: list[tuple[int, int, int, str]] = []  # (start, end, event index, piece)
    pos = 0
    for i, ev in events:
        for piece in _pieces(ev.data):
            where.append((pos, pos + len(piece), i, piece))
            pos += len(piece)
    text = "".join(p for *_, p in where)
    frags: dict[int, set[str]] = {}
    ends = [b for _, b, _, _ in where]  # ascending, as the starts are
    for s, e in _spans(text):
        j = bisect.bisect_right(ends, s)  # the first piece that ends after s
        parts = []
        while j < len(where) and where[j][0] < e:
            parts.append(where[j])
            j += 1
        if len(parts) < 2:
            continue  # inside one delta: the ordinary masking finds it
        for a, b, i, p in parts:
            frag = p[max(s, a) - a : min(e, b) - a]
            if len(frag) >= MIN_PIECE:
                frags.setdefault(i, set()).add(frag)
    # A piece is found in the decoded text; the sender may have written it with any
    # JSON escapes (``\\u002d`` for ``-``): it is hidden however it was spelt.
    body = ex.response_body.decode("utf-8", "surrogateescape") if ex.response_body else ""
    for i, found in frags.items():
        ev = ex.sse_events[i]
        sent = ev.data
        patterns = [any_spelling(frag) for frag in sorted(found, key=len, reverse=True)]
        for pattern in patterns:
            ev.data = _hide(ev.data, pattern)
        if not body:
            continue
        # The event's lines as sent, swapped for their masked selves (a scan as fast as
        # memchr); a regex pass over the body only when they are not found as such.
        for line_break in ("\n", "\ndata: ", "\ndata:"):
            if (raw := sent.replace("\n", line_break)) in body:
                body = body.replace(raw, ev.data.replace("\n", line_break))
                break
        else:
            for pattern in patterns:
                body = _hide(body, pattern)
    if frags and ex.response_body:
        ex.response_body = body.encode("utf-8", "surrogateescape")
