"""Masking a key that a stream splits over several deltas.

Each SSE event is masked on its own, so a key sent as ``"sk-CANA"``,
``"RY-do-not-le"``, ``"ak-9f8e…"`` in three deltas survived as three harmless-
looking pieces in the inspector, the body and every export. Here the delta
text of the kept events is assembled, secrets are looked for in the assembled
text, and every piece of one that crosses a delta boundary is masked in the
events and in the raw body.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tui.core.net.exchange import Exchange
from tui.core.safe import json_parse as safe_json
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


def _encoded(frag: str) -> set[str]:
    return {json.dumps(frag)[1:-1], json.dumps(frag, ensure_ascii=False)[1:-1]}


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
    for s, e in _spans(text):
        parts = [(a, b, i, p) for a, b, i, p in where if a < e and b > s]
        if len(parts) < 2:
            continue  # inside one delta: the ordinary masking finds it
        for a, b, i, p in parts:
            frag = p[max(s, a) - a : min(e, b) - a]
            if len(frag) >= MIN_PIECE:
                frags.setdefault(i, set()).add(frag)
    for i, found in frags.items():
        ev = ex.sse_events[i]
        for frag in sorted(found, key=len, reverse=True):
            for enc in _encoded(frag):
                ev.data = ev.data.replace(enc, HIDDEN)
                if ex.response_body:
                    ex.response_body = ex.response_body.replace(enc.encode(), HIDDEN.encode())
