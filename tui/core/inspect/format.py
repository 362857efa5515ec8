"""Pure text formatting for the inspector: bodies, SSE timelines, phase bars, list rows.

Kept free of Textual so the same views can be tested without a terminal and
reused by exports or reports. Everything returned here is masked text: the
exchange was masked when recorded, and :func:`tui.core.safe.masking.mask` runs again
on every string that leaves this module (it is idempotent).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from tui.core.i18n.catalogue import has, render, text
from tui.core.i18n.units import format_ms
from tui.core.net.exchange import Exchange, SseEvent
from tui.core.net.notes import note_ids, note_text
from tui.core.net.transport_error import error_msg
from tui.core.safe import json_parse as safe_json
from tui.core.safe.masking import mask

#: How much of a body the inspector shows before cutting it (exports stay whole).
DISPLAY_LIMIT = 64 * 1024
#: How many bytes of a binary body the hex preview shows.
HEX_LIMIT = 512
#: The status classes the list can be filtered by.
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx", "error")
#: Not a status class: the list filter's "Problems" choice (:func:`is_problem`).
PROBLEMS = "problems"
#: The status classes a problem is in (an expected miss in them is not one).
PROBLEM_CLASSES = frozenset({"4xx", "5xx", "error"})
#: Statuses a step expects from its probes: the balance step tries each gateway family's
#: balance endpoints, and a 404 or 405 only says "not this family" (checks/balance.py
#: reads it so); the network step asks without the key, and a 401 shows the gateway
#: answering (check.network.ok_keyless).
EXPECTED_MISSES: dict[str, frozenset[int]] = {
    "balance": frozenset({404, 405}),
    "network": frozenset({401}),
}
#: Notes of a request sent ahead that no check needed (checks/overlap.py).
NOT_NEEDED = frozenset({"check.overlap.not_needed", "check.overlap.not_needed_stopped"})


def label(key: str, lang: str = "en", **values: object) -> str:
    """A short inspector label in ``lang`` (English fallback)."""
    return text(f"inspect.{key}", lang, **values)


# --- sizes, durations, list rows -------------------------------------------------


def format_size(n: int | None) -> str:
    """Bytes as ``512 B`` / ``1.5 KB`` / ``2.0 MB`` (binary units, one decimal)."""
    if n is None:
        return "–"
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def format_duration(ms: float | None) -> str:
    """Milliseconds as ``12 ms`` or ``1.23 s`` (``–`` when unknown)."""
    return format_ms(ms, missing="–")


def status_class(ex: Exchange) -> str:
    """``2xx``…``5xx``, or ``error`` when no HTTP status came back."""
    if ex.status is None:
        return "error"
    return f"{ex.status // 100}xx" if 100 <= ex.status < 600 else "error"


def is_problem(ex: Exchange) -> bool:
    """A 4xx, a 5xx or a request with no answer, unless the run expected it: a probe's
    404 on an endpoint the gateway may not have, the keyless network probe's 401
    (:data:`EXPECTED_MISSES`), or a request marked not needed. A request still in
    flight is not one yet."""
    if status_class(ex) not in PROBLEM_CLASSES or (ex.status is None and ex.error is None):
        return False
    if ex.status is not None and ex.status in EXPECTED_MISSES.get(ex.step, ()):
        return False
    return not (ex.note_messages and NOT_NEEDED.intersection(note_ids(ex)))


def in_classes(ex: Exchange, kind: str, classes: Iterable[str]) -> bool:
    """Whether ``ex`` (of status class ``kind``) is one of ``classes``, where
    :data:`PROBLEMS` stands for :func:`is_problem`."""
    if kind in classes:
        return True
    return PROBLEMS in classes and kind in PROBLEM_CLASSES and is_problem(ex)


def clock(started_at: str) -> str:
    """``HH:MM:SS.mmm`` from the recorded ISO time (UTC, as recorded: deterministic)."""
    _, sep, rest = started_at.partition("T")
    if not sep:
        return started_at
    return rest.rstrip("Z")[:12]


def status_text(ex: Exchange, lang: str = "en") -> str:
    """``200``, or what happened instead of an answer (``timeout`` / ``超时``, ``DNS failed`` …)."""
    if ex.status is not None:
        return str(ex.status)
    kind = ex.error_kind or "error"
    return text(
        f"inspect.kind.{kind}" if has(f"inspect.kind.{kind}") else "inspect.kind.error", lang
    )


def list_row(ex: Exchange, lang: str = "en") -> tuple[str, str, str, str, str, str, str]:
    """Cells for the exchange list: time, method, path, status, duration, size, step."""
    return (
        clock(ex.started_at),
        ex.method,
        mask(ex.path),
        status_text(ex, lang),
        format_duration(ex.duration_ms),
        format_size(ex.body_size if ex.status is not None else None),
        ex.step,
    )


def haystack(ex: Exchange) -> str:
    """The lower-cased text the list filter searches besides the URL (what ``matches`` reads).

    The URL is kept apart: most are lower-case already, and then the exchange's own
    string is searched instead of a copy (a word never spans two fields: they are
    joined by spaces and words have none).
    """
    return " ".join(
        (
            ex.id,
            ex.method,
            ex.error_kind or "",
            status_text(ex, "en"),
            status_text(ex, "zh-CN"),
            ex.step,
            ex.error or "",
            ex.note,
            ex.reason,
            " ".join(ex.request_ids()),
        )
    ).lower()


def matches(ex: Exchange, text: str = "", classes: Iterable[str] | None = None) -> bool:
    """Whether ``ex`` passes the list filter: every word of ``text`` and one of ``classes``
    (:data:`PROBLEMS` among them: :func:`is_problem`)."""
    if classes is not None:
        wanted = set(classes)
        if wanted and not in_classes(ex, status_class(ex), wanted):
            return False
    words = text.lower().split()
    if not words:
        return True
    hay = f"{ex.url.lower()} {haystack(ex)}"
    return all(w in hay for w in words)


# --- heads and bodies ------------------------------------------------------------


def request_head(ex: Exchange, lang: str = "en") -> str:
    """The request line and headers as they went over the wire."""
    version = ex.http_version or "HTTP/1.1"
    lines = [f"{ex.method} {ex.path} {version}"]
    lines += [f"{k}: {v}" for k, v in ex.request_headers]
    if ex.proxy:
        lines.append("# " + label("via_proxy", lang, proxy=ex.proxy))
    return mask("\n".join(lines))


def error_text(ex: Exchange, lang: str = "en") -> str:
    """The transport failure of ``ex`` in ``lang`` ("" without one)."""
    return render(error_msg(ex), lang) if ex.error else ""


def in_flight(ex: Exchange) -> bool:
    """Sent and not answered yet: no status and no error (``ExchangeLog.started``)."""
    return ex.status is None and ex.error is None


def waited_s(ex: Exchange, now: datetime | None = None) -> int:
    """Whole seconds since ``ex`` was sent (its recorded UTC time; 0 when unreadable)."""
    try:
        sent = datetime.fromisoformat(ex.started_at.replace("Z", "+00:00"))
        took = (now or datetime.now(UTC)) - sent
    except (TypeError, ValueError):
        return 0
    return max(0, int(took.total_seconds()))


def response_head(ex: Exchange, lang: str = "en", now: datetime | None = None) -> str:
    """The status line and headers, the transport error that replaced them, or, for a
    request still in flight, how long its answer has been waited for."""
    if in_flight(ex):
        return text("inspect.waiting", lang, seconds=waited_s(ex, now))
    if ex.status is None:
        return mask(f"✗ {ex.error_kind or 'error'}: {error_text(ex, lang)}".rstrip())
    version = ex.http_version or "HTTP/1.1"
    lines = [f"{version} {ex.status} {ex.reason}".rstrip()]
    lines += [f"{k}: {v}" for k, v in ex.response_headers]
    if ex.error:
        lines.append(f"✗ {ex.error_kind or 'error'}: {error_text(ex, lang)}")
    if ex.note:  # sent ahead and not needed, or retried after a 429 (checks/overlap.py)
        lines.append(f"# {note_text(ex, lang)}")
    return mask("\n".join(lines))


@dataclass(slots=True, frozen=True)
class BodyView:
    """A body ready to show: ``kind`` is ``json``, ``text``, ``binary`` or ``empty``."""

    kind: str
    text: str
    truncated: bool = False
    total: int = 0


def is_binary(data: bytes) -> bool:
    """Not valid UTF-8, or full of control characters (images, gzip, protobuf …)."""
    if not data:
        return False
    sample = data[:4096]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multibyte character cut at the sample edge is still text.
        if exc.start < len(sample) - 4 or len(data) <= len(sample):
            return True
        text = sample[: exc.start].decode("utf-8", "replace")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f\b")
    return controls > max(2, len(text) // 100)


def pretty_json(data: bytes | str) -> str | None:
    """Indented JSON (non-ASCII kept readable), or ``None`` when it is not JSON.

    Nested too deep to parse safely is "not JSON": shown as text (see safe_json).
    """
    value = safe_json.loads(data)
    if not isinstance(value, dict | list):
        return None
    return json.dumps(value, indent=2, ensure_ascii=False)


def hex_preview(data: bytes, limit: int = HEX_LIMIT) -> str:
    """``xxd``-like rows: offset, 16 hex bytes, printable ASCII."""
    rows = []
    for off in range(0, min(len(data), limit), 16):
        chunk = data[off : off + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        rows.append(f"{off:08x}  {hexes:<47}  {text}")
    return "\n".join(rows)


def truncate(text: str, limit: int, lang: str = "en") -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters with a visible marker saying so."""
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    nl = cut.rfind("\n")
    if nl > limit * 3 // 4:
        cut = cut[:nl]
    marker = label("truncated", lang, shown=format_size(len(cut)), total=format_size(len(text)))
    return f"{cut}\n{marker}", True


def body_view(
    data: bytes,
    content_type: str = "",
    *,
    limit: int = DISPLAY_LIMIT,
    lang: str = "en",
    stored_total: int | None = None,
) -> BodyView:
    """How to show a body: pretty JSON, text as is, or a hex preview; cut at ``limit``.

    ``stored_total`` is the size the gateway really sent when the recorder kept
    only a prefix (``Exchange.body_truncated``); the view says so.
    """
    total = len(data)
    if not data:
        return BodyView("empty", label("empty", lang))
    if is_binary(data):
        shown = min(total, HEX_LIMIT)
        head = label("binary", lang, total=format_size(total), shown=format_size(shown))
        return BodyView("binary", mask(f"{head}\n{hex_preview(data)}"), total > shown, total)
    pretty = pretty_json(data) if "json" in content_type or data[:1] in (b"{", b"[") else None
    kind = "json" if pretty is not None else "text"
    text = pretty if pretty is not None else data.decode("utf-8", "replace")
    shown_text, cut = truncate(mask(text), limit, lang)
    if stored_total is not None and stored_total > total:
        shown_text += "\n" + label(
            "stored_truncated", lang, total=format_size(stored_total), shown=format_size(total)
        )
        cut = True
    return BodyView(kind, shown_text, cut, total)


def request_body_view(ex: Exchange, *, limit: int = DISPLAY_LIMIT, lang: str = "en") -> BodyView:
    ctype = ""
    for k, v in ex.request_headers:
        if k.lower() == "content-type":
            ctype = v.lower()
    return body_view(ex.request_body, ctype, limit=limit, lang=lang)


def response_body_view(ex: Exchange, *, limit: int = DISPLAY_LIMIT, lang: str = "en") -> BodyView:
    stored_total = ex.body_size if ex.body_truncated else None
    return body_view(
        ex.response_body, ex.content_type, limit=limit, lang=lang, stored_total=stored_total
    )


# --- SSE timeline ----------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class SseRow:
    """One timeline row: arrival offset, gap since the previous event, kind, summary."""

    offset_ms: float
    gap_ms: float
    kind: str
    summary: str


def _sse_summary(ev: SseEvent, width: int) -> str:
    data = ev.data
    value = safe_json.loads(data)
    if isinstance(value, Mapping):
        if "error" in value:
            data = "error: " + json.dumps(value["error"], ensure_ascii=False)
        else:
            choices = value.get("choices") or []
            delta = (
                choices[0].get("delta", {}) if choices and isinstance(choices[0], Mapping) else {}
            )
            parts = []
            content = delta.get("content") if isinstance(delta, Mapping) else None
            reasoning = delta.get("reasoning_content") if isinstance(delta, Mapping) else None
            if reasoning:
                parts.append(f"reasoning {json.dumps(reasoning, ensure_ascii=False)}")
            if content is not None:
                parts.append(json.dumps(content, ensure_ascii=False))
            finish = (
                choices[0].get("finish_reason")
                if choices and isinstance(choices[0], Mapping)
                else None
            )
            if finish:
                parts.append(f"finish_reason={finish}")
            if value.get("usage"):
                parts.append("usage " + json.dumps(value["usage"], ensure_ascii=False))
            if parts:
                data = "  ".join(parts)
    data = data.replace("\n", "⏎")
    return data if len(data) <= width else data[: width - 1] + "…"


def sse_rows(events: Iterable[SseEvent], *, width: int = 100) -> list[SseRow]:
    """Timeline rows; comments (``: PING``) are kept and labelled, not hidden."""
    rows: list[SseRow] = []
    prev = 0.0
    for ev in events:
        if ev.comment:
            kind = "comment"
        elif ev.event:
            kind = ev.event
        elif ev.data.strip() == "[DONE]":
            kind = "done"
        else:
            kind = "data"
        rows.append(SseRow(ev.offset_ms, ev.offset_ms - prev, kind, mask(_sse_summary(ev, width))))
        prev = ev.offset_ms
    return rows


def sse_timeline(events: list[SseEvent], lang: str = "en", *, width: int = 100) -> str:
    """The SSE events as plain text: ``+offset  (Δgap)  kind  summary``."""
    rows = sse_rows(events, width=width)
    if not rows:
        return label("no_events", lang)
    out = []
    for i, r in enumerate(rows, 1):
        kind = label("comment", lang) if r.kind == "comment" else r.kind
        out.append(f"{i:>4}  +{r.offset_ms:>9.1f} ms  (Δ{r.gap_ms:>8.1f})  {kind:<8} {r.summary}")
    return "\n".join(out)


# --- phase bar (httpstat-like) -----------------------------------------------------

PHASES = ("dns", "connect", "tls", "ttfb", "transfer")


@dataclass(slots=True, frozen=True)
class PhaseSegment:
    """One phase of the request: its label, time (None = not measured) and bar width."""

    name: str
    label: str
    ms: float | None
    width: int


def phase_segments(
    timings: Mapping[str, float], lang: str = "en", *, width: int = 60
) -> list[PhaseSegment]:
    """Split ``width`` cells between the phases in proportion to their time.

    Every measured phase gets at least one cell so a fast DNS lookup is still
    visible next to a slow model.
    """
    measured = {p: float(timings[p]) for p in PHASES if p in timings and timings[p] is not None}
    total = sum(max(0.0, v) for v in measured.values())
    segs = []
    for p in PHASES:
        ms = measured.get(p)
        if ms is None:
            cells = 0
        elif total <= 0:
            cells = 1
        else:
            cells = max(1, round(width * max(0.0, ms) / total))
        segs.append(PhaseSegment(p, label(p, lang), ms, cells))
    return segs


def phase_bar(timings: Mapping[str, float], lang: str = "en", *, width: int = 60) -> str:
    """httpstat-style text: one line per phase with its time and a proportional bar.

    ::

        DNS Lookup          (n/a or reused)
        TCP Connection        1 ms  █
        Server Processing   120 ms  ████████████████████████
        Content Transfer      5 ms  █
        Total               126 ms
    """
    if not timings:
        return label("no_timings", lang)
    segs = phase_segments(timings, lang, width=width)
    offset = 0
    lines = []
    pad = max(len(s.label) for s in segs) + 2
    for s in segs:
        name = s.label + " " * (pad - _cells(s.label))
        if s.ms is None:
            why = "in_connect" if s.name == "dns" and "connect" in timings else "reused"
            lines.append(f"{name}{label(why, lang)}")
            continue
        lines.append(f"{name}{format_duration(s.ms):>9}  {' ' * offset}{'█' * s.width}")
        offset += s.width
    total = timings.get("total")
    if total is not None:
        tl = label("total", lang)
        lines.append(f"{tl}{' ' * (pad - _cells(tl))}{format_duration(total):>9}")
    return "\n".join(lines)


def _cells(text: str) -> int:
    """Terminal cells: CJK labels take two columns each."""
    return sum(2 if unicodedata.east_asian_width(c) in {"W", "F"} else 1 for c in text)
