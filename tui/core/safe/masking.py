"""The one masking function.

Every way text leaves gateway-doctor (screen, clipboard, files, exports, logs,
crash reports) passes through :func:`mask`. Secrets are masked in two ways:

* exactly, for every secret registered with :func:`register_secret` (the key
  the user gave us is registered the moment it is read), and
* by shape, for things that look like credentials wherever they appear:
  ``sk-…`` tokens, ``Bearer`` values, JWTs, sensitive header lines, query
  parameters, JSON fields and URL passwords.

Masked keys keep the first 3 and last 4 characters (``sk-…wxyz``) so support
staff can tell two keys apart without ever seeing one.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

from tui.core.safe.key_forms import (
    PIECE_LABEL,
    Plan,
    ascii_lower,
    find_spans,
    plan_for,
    text_forms,
)

__all__ = [
    "SENSITIVE_HEADERS",
    "clear_secrets",
    "mask",
    "mask_key",
    "register_secret",
    "registered_secrets",
]

T = TypeVar("T")

SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "cookie",
        "set-cookie",
        "x-goog-api-key",
        "openai-api-key",
    }
)
_SENSITIVE_FIELDS = (
    "api_key|apikey|api-key|apiKey|key|token|access_token|accessToken|secret|"
    "client_secret|password|passwd|authorization|Authorization|x-api-key"
)
_lock = threading.Lock()
_secrets: set[str] = set()
#: What the user registered (the forms in ``_secrets`` are derived from these).
_given: set[str] = set()
_plan_cache: Plan | None = None

# Every pattern is linear: it starts with a literal (fast search), repetitions
# are possessive (no backtracking), and where a start could fall inside a run
# another start already scanned, a look-behind refuses it. Case-insensitive
# patterns run on the ASCII-lower-cased text (same positions) instead of (?i).
# A key starts after anything but an ASCII letter or digit: Chinese text or "_" glued
# to it ("密钥sk-…") does not hide it; "task-…" and "disk-usage" are words, not keys.
_SK_TOKEN = re.compile(r"k-(?<=(?<![A-Za-z0-9])[spr]k-)[A-Za-z0-9_\-\.]{6,}+")
# A key glued to an escape sequence ("\x1b[5msk-…": the "m" is a letter). Candidates are
# keys after a letter or digit (literal-led search); _after_escape then walks back over
# the sequence's parameters, a run no other candidate shares: linear.
_SK_GLUED = re.compile(r"k-(?<=[A-Za-z0-9][spr]k-)[A-Za-z0-9_\-\.]{6,}+")
#: ESC and its stand-ins as text (control picture, \x1b, \u001b, \033, \e, ^[).
_ESC_FORMS = ("\x1b", "\u241b", "\\x1b", "\\x1B", "\\u001b", "\\u001B", "\\033", "\\e", "^[")
#: 8-bit CSI (ESC [ in one byte) and its stand-ins.
_CSI_FORMS = ("\x9b", "\\x9b", "\\x9B", "\\u009b", "\\u009B")
_BEARERS = tuple(
    re.compile(word + r"(?<=\b" + word + r")\s++([a-z0-9_\-\.\+/=~:%]{8,}+)")
    for word in ("bearer", "basic")
)
# A JWT starts a base64url run: "-eyJ" inside a run is not a new start (that
# rescan made "-eyJ"*N quadratic).
_JWT = re.compile(
    r"eyJ(?<=\beyJ)(?<![A-Za-z0-9_\-]eyJ)[A-Za-z0-9_\-]{4,}+\.[A-Za-z0-9_\-]{4,}+\.[A-Za-z0-9_\-]*+"
)
_HEADER_NAMES = {
    "authorization": ("authorization", "proxy-authorization"),
    "api-key": ("api-key", "x-api-key", "x-goog-api-key", "openai-api-key"),
    "cookie": ("cookie", "set-cookie"),
}
_HEADER_LINES = tuple(
    re.compile(
        literal
        + "(?:"
        + "|".join(rf"(?<=(?<![\w-]){re.escape(n)})" for n in names)
        + r""")\s*+:\s*+([^\r\n'"]++)"""
    )
    for literal, names in _HEADER_NAMES.items()
)
_QUERY_NAMES = ("key", "api_key", "api-key", "apikey", "token", "access_token", "secret",
                "password", "sig", "signature")  # fmt: skip
_QUERY = re.compile(
    "=(?:" + "|".join(rf"(?<=[?&;]{n}=)" for n in _QUERY_NAMES) + r""")([^&#\s'"]++)"""
)
_JSON_FIELD = re.compile(r"(\"(?:" + _SENSITIVE_FIELDS + r")\"\s*+:\s*+\")((?:[^\"\\]|\\.)++)(\")")
# Starts at "://"; the scheme before it is checked with a bounded look-back. The
# password runs to the *last* "@" before the path, as URL parsers (and so the
# connection) read it: "alice:S3cret@Winter2024@host" has the password
# "S3cret@Winter2024". The scan stops at "/" or whitespace, so it stays linear.
_URL_PASSWORD = re.compile(r"://(?<=[A-Za-z0-9+.\-]://)[^/\s:@]++:([^/\s]+)@")
#: A placeholder in advice (``<password>``, ``<密码>``): never a real password,
#: since ``<`` and ``>`` cannot stand unencoded in a URL.
_PLACEHOLDER = re.compile(r"<[^<>@]{1,20}>")
_SCHEME_TAIL = re.compile(r"(?i)\b[a-z][a-z0-9+.\-]{0,62}\Z")
_MASK = "****"
#: Cheap pre-check: lower-cased text containing none of these cannot match any
#: pattern below (plain substring tests are far faster than one big regex).
_TRIGGERS = (
    "auth",
    "key",
    "cookie",
    "bearer",
    "basic",
    "token",
    "secret",
    "passw",
    "sig",
    "@",
    "eyj",
    "sk-",
    "pk-",
    "rk-",
)


def register_secret(secret: str | None) -> None:
    """Remember a secret so that every later :func:`mask` call hides it in any form."""
    global _plan_cache
    if not secret:
        return
    with _lock:
        _secrets.update(text_forms(secret))
        _given.add(secret)
        _plan_cache = None


def clear_secrets() -> None:
    """Forget registered secrets (tests use this to isolate runs)."""
    global _plan_cache
    with _lock:
        _secrets.clear()
        _given.clear()
        _plan_cache = None


def registered_secrets() -> frozenset[str]:
    with _lock:
        return frozenset(_secrets)


def _plan(extra: tuple[str, ...]) -> Plan:
    """The search plan for the registered secrets (cached until the registry changes)."""
    global _plan_cache
    plan = _plan_cache
    if plan is None or extra:
        with _lock:
            given = frozenset(_given | set(extra))
        plan = plan_for(given)
        if not extra:
            _plan_cache = plan
    return plan


def mask_key(key: str | None) -> str:
    """A key shown as its first 3 and last 4 characters; short keys show less."""
    if not key:
        return "(none)"
    key = key.strip()
    if len(key) >= 16:
        return f"{key[:3]}…{key[-4:]}"
    if len(key) >= 8:
        return f"…{key[-2:]}"
    return _MASK


#: Large texts are masked in pieces of about this size, cut after a line break
#: no pattern reaches across; every pass then patches a small piece, not megabytes.
_PIECE = 1 << 17
_CUT_TRIES = 64
_REACHES_ON = ("bearer", "basic", "token")


def _mask_str(text: str, extra: Iterable[str]) -> str:
    if len(text) <= 2 * _PIECE:
        return _mask_piece(text, extra)
    extra = tuple(extra)
    return "".join(_mask_piece(piece, extra) for piece in _pieces(text, _plan(extra)))


def _pieces(text: str, plan: Plan) -> Iterator[str]:
    """``text`` cut after line breaks where no pattern match can cross the cut.

    Patterns that may cross a line break: a header name or JSON field name and
    its ``:`` (the next line starts with blanks, ``:`` or ``"``), ``Bearer``
    / ``Basic`` / ``Token`` before their value, and a registered secret in any of its
    forms (spaced out one character per line, say). After a few refused breaks the
    rest stays one piece (same result, only slower).
    """
    start, n = 0, len(text)
    while n - start > 2 * _PIECE:
        cut = _safe_cut(text, start + _PIECE, plan)
        if cut < 0:
            break
        yield text[start:cut]
        start = cut
    yield text[start:]


#: Characters a registered secret may take in the text, per character of it (spaced out
#: with two escaped spacers, itself escaped twice): how far from a cut to look for one.
_SPELT_PER_CHAR = 32


def _safe_cut(text: str, pos: int, plan: Plan) -> int:
    i = text.find("\n", pos)
    for _ in range(_CUT_TRIES):
        if i < 0 or i + 1 >= len(text):
            return -1
        after = text[i + 1]
        before = text[max(0, i - 16) : i].rstrip().lower()
        if after not in ' \t\r\n:"' and not before.endswith(_REACHES_ON):
            if not _splits_a_secret(text, i + 1, plan):
                return i + 1
        i = text.find("\n", i + 1)
    return -1


def _splits_a_secret(text: str, cut: int, plan: Plan) -> bool:
    """Whether a registered secret, in any form the plan finds, spans ``cut``."""
    reach = _SPELT_PER_CHAR * max((len(s) for _, s in plan.flexible), default=0)
    reach = max(reach, plan.longest)
    lo = max(0, cut - reach)
    window = text[lo : cut + reach]
    spans = find_spans(window, ascii_lower(window), plan)
    return any(start < cut - lo < end for start, end, _ in spans)


def _mask_piece(text: str, extra: Iterable[str]) -> str:
    if not text:
        return text
    low = ascii_lower(text)
    text, low = _mask_registered(text, low, _plan(tuple(extra)))
    if not any(t in low for t in _TRIGGERS):
        return text  # nothing shaped like a credential: skip the pattern passes
    text, low = _replace(text, low, _HEADER_LINES, _header_value, 1)
    text, low = _replace(text, low, _JSON_FIELD, _opaque, 2, on_text=True)
    text, low = _replace(text, low, _QUERY, _opaque, 1)
    text, low = _replace(text, low, _URL_PASSWORD, _url_password, 1, on_text=True)
    text, low = _replace(text, low, _BEARERS, _bearer, 0)
    text, low = _replace(text, low, _JWT, _key, 0, on_text=True)
    text, low = _replace(text, low, _SK_TOKEN, _key, -1, on_text=True)
    text, low = _replace(text, low, _SK_GLUED, _glued_key, -1, on_text=True)
    return text


Edit = tuple[int, int, str]


def _splice(text: str, low: str, edits: list[Edit]) -> tuple[str, str]:
    """Apply sorted, non-overlapping edits to ``text`` and its lower-cased twin.

    The twin is patched rather than recomputed: lower-casing megabytes after
    every pass would cost more than the passes themselves.
    """
    if not edits:
        return text, low
    out: list[str] = []
    out_low: list[str] = []
    pos = 0
    for start, end, new in edits:
        out += [text[pos:start], new]
        out_low += [low[pos:start], ascii_lower(new)]
        pos = end
    out.append(text[pos:])
    out_low.append(low[pos:])
    return "".join(out), "".join(out_low)


def _mask_registered(text: str, low: str, plan: Plan) -> tuple[str, str]:
    """Replace every registered secret, in every form, by its masked form."""
    spans = sorted(find_spans(text, low, plan), key=lambda s: (s[0], -s[1]))
    edits: list[Edit] = []
    i = 0
    while i < len(spans):
        start, end, label = spans[i]
        i += 1
        labels = [label]
        while i < len(spans) and spans[i][0] < end:  # overlapping forms: mask the union
            end = max(end, spans[i][1])
            labels.append(spans[i][2])
            i += 1
        if all(x == PIECE_LABEL for x in labels):  # only part of a key: show none of it
            edits.append((start, end, PIECE_LABEL))
            continue
        # A secret's own masked form when one of the forms names it: the text of an
        # escaped or spaced-out form, cut to its ends, could be half an escape
        # ("\u…00b0" broke the JSON it stood in).
        secret = next((x for x in labels if x is not None and x != PIECE_LABEL), None)
        edits.append((start, end, mask_key(secret or text[start:end])))
    return _splice(text, low, edits)


_Fix = Callable[[str, "re.Match[str]"], str | None]


def _replace(
    text: str,
    low: str,
    pattern: re.Pattern[str] | tuple[re.Pattern[str], ...],
    fix: _Fix,
    group: int,
    on_text: bool = False,
) -> tuple[str, str]:
    """Search ``pattern`` in ``low`` and replace ``group`` (0: whole match, -1: match
    plus the character before it) in ``text`` by ``fix(original, match)``.

    ``low`` has the same positions as ``text``; ``on_text`` searches ``text``
    itself (case-sensitive patterns). A None from ``fix`` keeps the text. A
    tuple of patterns acts as their alternation (leftmost match wins).
    """
    edits: list[Edit] = []
    pos = 0
    haystack = text if on_text else low
    matches = (
        _leftmost(haystack, pattern) if isinstance(pattern, tuple) else pattern.finditer(haystack)
    )
    for m in matches:
        if group == -1:
            start, end = m.start() - 1, m.end()
        else:
            start, end = m.span(group)
        new = None if start < pos else fix(text[start:end], m)
        if new is not None:
            edits.append((start, end, new))
            pos = end
    return _splice(text, low, edits)


def _after_escape(text: str, final: int) -> bool:
    """Whether ``text[final]`` ends an escape sequence: ESC [ params final, 8-bit CSI
    params final, or ESC intermediates final (``ESC ( B``, ``ESC M``)."""
    i = final - 1
    while i >= 0 and " " <= text[i] <= "?":  # parameter and intermediate bytes
        i -= 1
    if i < 0:
        return False
    if text.endswith(_CSI_FORMS, max(0, i - 5), i + 1):
        return True
    if text[i] == "[" and text.endswith(_ESC_FORMS, max(0, i - 6), i):
        return True
    return text.endswith(_ESC_FORMS, max(0, i - 5), i + 1)


def _glued_key(value: str, m: re.Match[str]) -> str | None:
    return mask_key(value) if _after_escape(m.string, m.start() - 2) else None


def _opaque(value: str, _m: re.Match[str]) -> str:
    return _mask_opaque(value)


def _key(value: str, _m: re.Match[str]) -> str:
    return mask_key(value)


def _leftmost(haystack: str, patterns: tuple[re.Pattern[str], ...]) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of several literal-led patterns, leftmost first.

    Same result as one alternation, but each pattern keeps its fast literal
    search; a pattern is searched again only from the end of the last match.
    """
    pos = 0
    nxt = [p.search(haystack) for p in patterns]
    while True:
        live = [m for m in nxt if m is not None]
        if not live:
            return
        best = min(live, key=lambda m: m.start())
        yield best
        pos = max(best.end(), best.start() + 1)
        nxt = [m if m is None or m.start() >= pos else p.search(haystack, pos)
               for p, m in zip(patterns, nxt, strict=True)]  # fmt: skip


def _header_value(value: str, m: re.Match[str]) -> str:
    return _mask_named_header("cookie" if m.group(0).startswith("cookie") else "", value)


def _url_password(_value: str, m: re.Match[str]) -> str | None:
    text = m.string
    start = m.start()
    if not _SCHEME_TAIL.search(text, max(0, start - 63), start):
        return None
    if _PLACEHOLDER.fullmatch(m.group(1)):
        return None  # the advice's own example, http://<user>:<password>@host
    return _MASK


def _bearer(value: str, m: re.Match[str]) -> str:
    word = value[: len(m.group(0)) - len(m.group(1))].rstrip()
    return f"{word} {_mask_opaque(value[m.start(1) - m.start() :])}"


def _mask_opaque(value: str) -> str:
    """Mask a value known to be secret; keep already-masked values stable."""
    if "…" in value or value == _MASK or value.startswith("$"):
        return value
    return mask_key(value)


def _mask_cookie(value: str) -> str:
    """Cookies keep their names (useful evidence); every value is masked."""
    parts = []
    for part in value.split(";"):
        name, sep, val = part.partition("=")
        parts.append(f"{name}={_mask_opaque(val.strip())}" if sep else _mask_opaque(part.strip()))
    return ";".join(parts)


def _mask_named_header(name: str, value: str) -> str:
    if "cookie" in name.lower():
        return _mask_cookie(value)
    return _mask_header_value(value)


def _mask_header_value(value: str) -> str:
    value = value.rstrip()
    parts = value.split(None, 1)
    if len(parts) == 2 and parts[0].lower() in {"bearer", "basic", "token"}:
        return f"{parts[0]} {_mask_opaque(parts[1])}"
    return _mask_opaque(value)


def mask(value: T, secrets: Iterable[str] = ()) -> T:
    """Return ``value`` with every secret masked; the type is preserved.

    Handles ``str``, ``bytes`` (invalid UTF-8 survives), mappings (sensitive
    header names and JSON fields are masked whatever their value), lists,
    tuples and scalars. Anything else is turned into a masked ``str``.
    """
    extra = tuple(s for s in secrets if s)
    return cast(T, _mask_any(value, extra))  # the same shape it was given


#: Containers nested deeper than this are not walked (parsed network JSON may
#: nest thousands deep; recursion would end in RecursionError, not a mask).
MAX_DEPTH = 64
TOO_DEEP = f"[… depth>{MAX_DEPTH} …]"  # a marker in masked data, which has no language


def _mask_any(value: Any, extra: tuple[str, ...], depth: int = 0) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _mask_str(value, extra)
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "surrogateescape")
        return _mask_str(text, extra).encode("utf-8", "surrogateescape")
    if isinstance(value, Mapping | list | tuple) and depth >= MAX_DEPTH:
        return TOO_DEEP
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            name = str(k).lower()
            # A key can be echoed as a JSON object's key ({"sk-…": 1}): keys are text too.
            k = _mask_str(k, extra) if isinstance(k, str) else k
            if name in SENSITIVE_HEADERS and isinstance(v, str):
                out[k] = _mask_named_header(name, _mask_str(v, extra))
            elif _is_sensitive_field(name) and isinstance(v, str):
                out[k] = _mask_opaque(_mask_str(v, extra))
            else:
                out[k] = _mask_any(v, extra, depth + 1)
        return out
    if isinstance(value, list):
        return [_mask_pair(v, extra, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(_mask_pair(v, extra, depth + 1) for v in value)
    return _mask_str(str(value), extra)


def _mask_pair(item: Any, extra: tuple[str, ...], depth: int) -> Any:
    """Header lists are ``[(name, value), ...]``: mask values of sensitive names."""
    if (
        isinstance(item, tuple | list)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], str)
        and item[0].lower() in SENSITIVE_HEADERS
    ):
        pair = (item[0], _mask_named_header(item[0], _mask_str(item[1], extra)))
        return pair if isinstance(item, tuple) else list(pair)
    return _mask_any(item, extra, depth)


_FIELD_NAMES = {f.lower() for f in _SENSITIVE_FIELDS.split("|")}


def _is_sensitive_field(name: str) -> bool:
    return name in _FIELD_NAMES
