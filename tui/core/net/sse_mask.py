"""Masking a key that a stream splits over several deltas.

Each SSE event is masked on its own, so a key sent as ``"sk-CANA"``,
``"RY-do-not-le"``, ``"ak-9f8e…"`` in three deltas survived as three harmless-
looking pieces in the inspector, the body and every export. Here each text a
stream builds (a choice's content, its reasoning, a tool call's arguments) is
assembled from the deltas, secrets are looked for in it, and every piece of one
that crosses a delta's edge is hidden: in the kept events, and in the raw body's
own events (it holds many the keeper dropped).

An event holding a piece is written again from its parsed JSON with the piece
hidden in its strings, however the sender escaped it (``\\u002d`` for ``-``):
no pattern per piece (thousands of pieces in a hostile stream stay linear). An
event that is not JSON (the body's last one, cut by its size limit) has the
pieces found elsewhere hidden as they are written, or JSON-escaped.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from typing import Any

from tui.core.net.exchange import Exchange
from tui.core.safe.masking import registered_secrets

#: Shaped like a key even when not registered (the same shape masking.mask hides).
_SK = re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-\.]{6,}")
#: Shorter pieces are left: they say nothing about the key and could match JSON syntax.
MIN_PIECE = 4
HIDDEN = "****"
#: The delta fields that carry text a stream builds up.
_TEXT_FIELDS = ("content", "reasoning_content", "reasoning")
#: Where one event of a raw stream ends: a line end (CRLF, LF or CR) and an empty line.
_EVENT_END = re.compile(r"((?:\r\n|\n|\r(?!\n)){2})")
_DECODER = json.JSONDecoder()

#: (stream, event index, text): a stream is a choice's field or one of its tool calls.
Piece = tuple[tuple[Any, ...], int, str]


def _parse(data: str) -> Any:
    """An event's JSON object, or None (not JSON, more than one value, too deep)."""
    text = data.strip()
    if not text.startswith("{"):
        return None
    try:
        obj, end = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        return None
    return obj if end == len(text) and isinstance(obj, dict) else None


def _texts(obj: Any) -> list[tuple[tuple[Any, ...], str]]:
    """The delta strings of one event, each with the stream it continues."""
    try:  # the usual shape, one choice with only content: ~4x faster than below
        (choice,) = obj["choices"]
        (content,) = choice["delta"].values()
        if "content" in choice["delta"] and type(content) is str:
            index = choice.get("index", 0)
            return (
                [((index if isinstance(index, int) else 0, "content"), content)] if content else []
            )
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    return list(_all_texts(obj))


def _all_texts(obj: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    choices = obj.get("choices") if isinstance(obj, dict) else None
    for n, choice in enumerate(choices if isinstance(choices, list) else ()):
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if not isinstance(delta, dict):
            continue
        index = choice.get("index", n)
        index = index if isinstance(index, int) else n
        for name in _TEXT_FIELDS:
            if isinstance(delta.get(name), str) and delta[name]:
                yield (index, name), delta[name]
        calls = delta.get("tool_calls")
        for m, call in enumerate(calls if isinstance(calls, list) else ()):
            fn = call.get("function") if isinstance(call, dict) else None
            if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                at = call.get("index", m)
                yield (index, "tool", at if isinstance(at, int) else m), fn["arguments"]


def _spans(text: str) -> list[tuple[int, int]]:
    """Where secrets (registered or key-shaped) are in an assembled text."""
    spans = [m.span() for m in _SK.finditer(text)]
    for secret in registered_secrets():
        start = text.find(secret)
        while start != -1:
            spans.append((start, start + len(secret)))
            start = text.find(secret, start + 1)
    return spans


def split_pieces(objs: list[Any]) -> dict[int, set[str]]:
    """For each event (by index) the pieces of secrets that cross its delta's edge in
    one of the texts the stream builds; a secret inside one delta is masking's own."""
    streams: dict[tuple[Any, ...], list[tuple[int, int, int, str]]] = {}
    for i, obj in enumerate(objs):
        for stream, text in _texts(obj):
            where = streams.setdefault(stream, [])
            start = where[-1][1] if where else 0
            where.append((start, start + len(text), i, text))
    frags: dict[int, set[str]] = {}
    for where in streams.values():
        ends = [b for _, b, _, _ in where]  # ascending, as the starts are
        for s, e in _spans("".join(p for *_, p in where)):
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


def _hidden_in(obj: Any, found: set[str]) -> str:
    """``obj`` written again as JSON with each piece hidden in its delta strings."""
    order = sorted(found, key=len, reverse=True)

    def hide(text: str) -> str:
        for frag in order:
            text = text.replace(frag, HIDDEN)
        return text

    for choice in obj.get("choices") or ():
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if not isinstance(delta, dict):
            continue
        for name in _TEXT_FIELDS:
            if isinstance(delta.get(name), str):
                delta[name] = hide(delta[name])
        for call in delta.get("tool_calls") or ():
            fn = call.get("function") if isinstance(call, dict) else None
            if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                fn["arguments"] = hide(fn["arguments"])
    return json.dumps(obj, ensure_ascii=False)


def _hidden_as_written(raw: str, found: Iterable[str]) -> str:
    """``raw`` (not JSON) with each piece hidden as it is, or as JSON escapes it."""
    for frag in sorted(found, key=len, reverse=True):
        for form in {frag, json.dumps(frag)[1:-1], json.dumps(frag, ensure_ascii=False)[1:-1]}:
            raw = raw.replace(form, HIDDEN)
    return raw


def mask_split_secrets(ex: Exchange) -> None:
    """Mask, in place, the pieces of any secret split over the deltas of ``ex``: in the
    kept events, and in the body's own events (it holds events the keeper dropped)."""
    kept = [ev for ev in ex.sse_events if not ev.comment and ev.data]
    if len(kept) < 2 and not ex.response_body:
        return
    objs = [_parse(ev.data) for ev in kept]
    frags = split_pieces(objs)
    for i, found in frags.items():
        kept[i].data = _hidden_in(objs[i], found)
    if ex.response_body:  # a stream's body: 256 KiB at most (MAX_STORED_SSE_BODY)
        known = set().union(*frags.values()) if frags else set()
        ex.response_body = _masked_body(ex.response_body, known)


def _data_of(chunk: str) -> str:
    """The data of one raw event (its ``data:`` lines, joined as SSE joins them)."""
    if chunk.startswith("data: ") and "\n" not in chunk and "\r" not in chunk:
        return chunk[6:]  # the usual one line
    lines = [ln[5:] for ln in chunk.splitlines() if ln.startswith("data:")]
    return "\n".join(ln[1:] if ln.startswith(" ") else ln for ln in lines)


def _with_data(chunk: str, data: str) -> str:
    """One raw event with its ``data:`` lines replaced by one holding ``data`` (its
    ``event:``, ``id:`` and comment lines kept, in place)."""
    out: list[str] = []
    for line in chunk.splitlines():
        if not line.startswith("data:"):
            out.append(line)
        elif data:
            out.append("data: " + data)
            data = ""
    return "\n".join(out)


def _masked_body(raw: bytes, known: set[str]) -> bytes:
    """The body with split secrets hidden in the events it holds (one pass over it).
    The last event, cut by the body's limit, is not JSON: the pieces found anywhere
    (``known``, from the kept events, and the body's) are hidden in it as written."""
    body = raw.decode("utf-8", "surrogateescape")
    if "\r" in body:
        chunks = _EVENT_END.split(body)  # events at even indices, their ends at odd ones
    else:  # the usual LF-only stream: the same split, ~8x faster
        chunks = [x for part in body.split("\n\n") for x in (part, "\n\n")][:-1]
    objs = [_parse(_data_of(chunk)) for chunk in chunks[::2]]
    frags = split_pieces(objs)
    known = known.union(*frags.values())
    for i, found in frags.items():
        chunks[2 * i] = _with_data(chunks[2 * i], _hidden_in(objs[i], found))
    if known and objs and objs[-1] is None:
        chunks[-1] = _hidden_as_written(chunks[-1], known)
    elif not frags:
        return raw
    return "".join(chunks).encode("utf-8", "surrogateescape")
