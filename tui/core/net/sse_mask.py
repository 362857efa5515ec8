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
from tui.core.safe.json_parse import MAX_NET_DEPTH
from tui.core.safe.key_forms import any_spelling, ascii_lower
from tui.core.safe.masking import registered_secrets

#: Shaped like a key even when not registered (the same shape masking.mask hides).
_SK = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-\.]{6,}")
#: Shorter pieces are left: they say nothing about the key and could match JSON syntax.
MIN_PIECE = 4
HIDDEN = "****"


def _all_pieces(datas: list[str]) -> list[list[str]]:
    """Each event's delta texts. The events that look like JSON objects are parsed in
    one call (a long stream's thousands of events: ~4x faster than one by one, and
    this runs as a long reply's last frames are drawn); one by one if that fails."""
    # The last event of a cut body is cut too: it is parsed on its own.
    objects = [i for i, d in enumerate(datas[:-1]) if d.lstrip().startswith("{")]
    got = safe_json.parse("[" + ",".join(datas[i] for i in objects) + "]", MAX_NET_DEPTH + 1)
    if not (got.ok and isinstance(got.value, list) and len(got.value) == len(objects)):
        return [_pieces(d) for d in datas]
    out: list[list[str]] = [[] for _ in datas]
    for i, obj in zip(objects, got.value, strict=True):
        out[i] = _delta_texts(obj)
    if datas:
        out[-1] = _pieces(datas[-1])
    return out


def _pieces(data: str) -> list[str]:
    """The delta texts (content, reasoning) of one event's JSON, in order."""
    return _delta_texts(safe_json.loads(data))


def _delta_texts(obj: Any) -> list[str]:
    try:  # the usual shape, one choice with only content: the loop below, ~4x faster
        choices = obj["choices"]
        if len(choices) == 1 and len(delta := choices[0]["delta"]) == 1:
            content = delta["content"]
            return [content] if type(content) is str and content else []
    except (KeyError, TypeError, IndexError):
        pass
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


def _split_pieces(datas: list[str]) -> dict[int, set[str]]:
    """For each event data (by index) the pieces of secrets that cross its delta's
    edge: a secret wholly inside one delta is the ordinary masking's."""
    where: list[tuple[int, int, int, str]] = []  # (start, end, event index, piece)
    pos = 0
    for i, pieces in enumerate(_all_pieces(datas)):
        for piece in pieces:
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
    return frags


def _patterns(found: set[str]) -> list[re.Pattern[str]]:
    # A piece is found in the decoded text; the sender may have written it with any
    # JSON escapes (``\\u002d`` for ``-``): it is hidden however it was spelt.
    return [any_spelling(frag) for frag in sorted(found, key=len, reverse=True)]


def mask_split_secrets(ex: Exchange) -> None:
    """Mask, in place, the pieces of any secret split over the deltas of ``ex``: in the
    kept events, and in the body's events (the body holds events the keeper dropped)."""
    kept = [ev for ev in ex.sse_events if not ev.comment and ev.data]
    if len(kept) < 2:
        return
    for i, found in _split_pieces([ev.data for ev in kept]).items():
        for pattern in _patterns(found):
            kept[i].data = _hide(kept[i].data, pattern)
    if ex.response_body:  # a stream's body: 256 KiB at most (MAX_STORED_SSE_BODY)
        ex.response_body = _masked_body(ex.response_body)


#: Where one event of a raw stream ends and the next begins (kept when splitting).
_EVENT_END = re.compile(r"(\r\n\r\n|\n\n|\r\r)")


def _data_of(chunk: str) -> str:
    """The data of one raw event (its ``data:`` lines, joined as SSE joins them)."""
    if chunk.startswith("data: ") and "\n" not in chunk and "\r" not in chunk:
        return chunk[6:]  # the usual one line
    lines = [ln[5:] for ln in chunk.splitlines() if ln.startswith("data:")]
    return "\n".join(ln[1:] if ln.startswith(" ") else ln for ln in lines)


def _masked_body(raw: bytes) -> bytes:
    """The body with split secrets hidden in the events it holds: each event's own
    text is searched (one pass over the body, however many events hold a piece)."""
    body = raw.decode("utf-8", "surrogateescape")
    chunks = _EVENT_END.split(body)  # events at even indices, their ends at odd ones
    frags = _split_pieces([_data_of(chunk) for chunk in chunks[::2]])
    if not frags:
        return raw
    for i, found in frags.items():
        for pattern in _patterns(found):
            chunks[2 * i] = _hide(chunks[2 * i], pattern)
    return "".join(chunks).encode("utf-8", "surrogateescape")
