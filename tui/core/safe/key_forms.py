"""The forms a registered key takes when a gateway or proxy echoes it back.

A gateway may quote the key JSON-escaped (``\\u0073k-…``, ``\\/``),
percent-encoded, base64-encoded (alone, as ``Bearer <key>`` or inside a
longer blob), upper- or lower-cased. :func:`plan_for` turns the registered
secrets into what :mod:`tui.core.safe.masking` searches for:

* ``exact`` — forms matched case-sensitively (short secrets),
* ``folded`` — forms matched in ASCII-lower-cased text (case-insensitive),
* ``flexible`` — one regex per secret matching any mix of plain characters,
  ``%XX``, ``\\uXXXX`` and ``\\/`` per character (run on lower-cased text).

Every pattern here is a fixed sequence of small alternations: no
quantifiers, so matching is linear in the text length.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, quote_plus

__all__ = ["Plan", "ascii_lower", "base64_middles", "plan_for", "text_forms"]

#: Below this length a secret is matched exactly only (folding case would
#: mask ordinary words).
FOLD_MIN = 8
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only, so positions in the result match ``text``."""
    low = text.lower()
    if len(low) == len(text):  # only a few characters (İ) lengthen when lowered
        return low
    return text.translate(_ASCII_LOWER)


def text_forms(secret: str) -> set[str]:
    """The secret as it appears in JSON text and URLs (the historic exact forms)."""
    variants = {secret, secret.strip()}
    variants |= {v for v in secret.split() if len(v) >= 6}
    for v in list(variants):
        variants.add(json.dumps(v)[1:-1])
        variants.add(json.dumps(v, ensure_ascii=False)[1:-1])
        variants.add(quote(v, safe=""))
        variants.add(quote_plus(v, safe=""))
    return {v for v in variants if len(v) >= 4}


def base64_middles(data: bytes) -> set[str]:
    """Base64 text that ``data`` always produces, whatever bytes surround it.

    Inside a longer blob the data starts at one of three byte offsets; for
    each, keep only the characters computed from ``data``'s bytes alone
    (standard and URL-safe alphabets; padding never matters in the middle).
    """
    out: set[str] = set()
    for offset in range(3):
        enc = base64.b64encode(b"\0" * offset + data).decode("ascii")
        skip = (0, 2, 3)[offset]
        total = offset + len(data)
        end = 4 * (total // 3) + (0, 1, 2)[total % 3]
        middle = enc[skip:end]
        if len(middle) >= FOLD_MIN:
            out.add(middle)
            out.add(middle.replace("+", "-").replace("/", "_"))
    return out


def _encoded_forms(secret: str) -> set[str]:
    """Base64 (key and ``Bearer <key>``), hex and escaped-slash forms."""
    raw = secret.encode("utf-8")
    forms = base64_middles(raw)
    for whole in (raw, b"Bearer " + raw):
        enc = base64.b64encode(whole).decode("ascii")
        forms |= {enc, enc.rstrip("="), base64.urlsafe_b64encode(whole).decode("ascii")}
    forms.add(raw.hex())
    if "/" in secret:
        forms.add(secret.replace("/", "\\/"))
    # HTML character references (a key quoted in an error page), decimal and hex.
    forms.add("".join(f"&#{ord(c)};" for c in secret))
    forms.add("".join(f"&#x{ord(c):x};" for c in secret))
    # Separators dropped (a key "normalised" into an id or a header).
    for sep in "-_":
        bare = secret.replace(sep, "")
        if bare != secret and len(bare) >= PIECE_MIN_SECRET:
            forms.add(bare)
    return forms


#: A secret at least this long is also masked piecewise: any run of
#: :data:`PIECE` of its characters, wherever it appears (the tail of a key split
#: over two SSE ``data:`` lines, or cut by a space, is still most of the key).
PIECE_MIN_SECRET = 16
PIECE = 8


def key_pieces(secret: str) -> set[str]:
    """Every distinctive run of :data:`PIECE` characters of ``secret``, ASCII-lower-cased.

    A run that could be ordinary text is left out: fewer than four different
    characters (``00000000`` is in timestamps and request ids) or only letters
    and ``-_.`` in the original (``gateway-`` of the public demo key
    ``sk-demo-gateway-doctor-…`` is in the product's name). A random key's
    pieces almost all stay, and a longer leaked run always holds one of them.
    """
    key = secret.strip()
    if len(key) < PIECE_MIN_SECRET:
        return set()
    out = set()
    for i in range(len(key) - PIECE + 1):
        run = key[i : i + PIECE]
        if len(set(run)) >= 4 and not _WORDLIKE.fullmatch(run):
            out.add(ascii_lower(run))
    return out


_WORDLIKE = re.compile(r"[a-z\-_.]+")


#: ``\\u0073`` as is, or JSON-encoded once more (an escaped message quoted in JSON).
_BACKSLASHES = r"\\{1,3}"


def _char_pattern(ch: str) -> str:
    """Every way one character of a key may be written (in lower-cased text).

    Common prefixes are factored (``%[57]3``): fewer branches to try at
    each position of a long run of escapes.
    """
    if ch.isascii():
        codes = sorted({f"{ord(c):02x}" for c in (ch, ch.upper())})  # upper/lower differ in 0x20
        hexes = codes[0] if len(codes) == 1 else f"[{codes[0][0]}{codes[1][0]}]{codes[0][1]}"
        alts = [re.escape(ch), f"%{hexes}", rf"{_BACKSLASHES}u00{hexes}"]
        if ch == "/":
            alts.append(rf"{_BACKSLASHES}/")
    else:
        alts = []
        # Escapes keep the case they were written in (``\u00c9`` for É is not lowered to
        # é's ``\u00e9``): each case of the character, spelt each way.
        for variant in dict.fromkeys(v for v in (ch, ch.upper(), ch.lower()) if len(v) == 1):
            utf16 = variant.encode("utf-16-be")
            alts += [
                re.escape(variant),
                "".join(f"%{b:02x}" for b in variant.encode("utf-8")),
                "".join(
                    rf"{_BACKSLASHES}u{utf16[i : i + 2].hex()}" for i in range(0, len(utf16), 2)
                ),
            ]
    return "(?:" + "|".join(alts) + ")"


class LazyPattern:
    """A regex compiled when first searched with. A ~40-character key's flexible and
    spaced patterns take ~10 ms to compile, and most texts (a checklist line, a URL)
    never need them: that was in every start of the console, before its first frame
    (issue 14). Two threads compiling at once is harmless: both get the same regex."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.source)
        return compiled.finditer(string, pos, endpos)


def _flexible(secret: str) -> LazyPattern:
    return LazyPattern("".join(_char_pattern(ch) for ch in secret))


#: What a gateway may put between a key's characters when it echoes it spaced out
#: or split by invisible format characters (zero-width space, soft hyphen, BOM …),
#: so that no 8-character piece survives whole yet the screen shows the key.
SPACERS = (
    " \t\r\n\u00a0\u00ad\u180e\u200b\u200c\u200d\u200e\u200f"  # not-ui-text: characters searched for
    "\u2060\u2061\u2062\u2063\u2064\u3000\ufeff"
)
#: A spacer as is, JSON-escaped (``\\u200b``, ``\\n`` in a quoted message) or
#: percent-encoded (``%20``), in lower-cased text; never a key character, so a try of
#: the patterns below goes one way, or two for the few characters of an escape.
_ANY_SPACER = (
    "[" + re.escape(SPACERS) + "]"
    r"|\\{1,3}(?:[nrt]|u(?:0009|000a|000d|0020|00a0|00ad|180e|200[b-f]|206[0-4]|3000|feff))"
    r"|%(?:09|0a|0d|20)"
)
_SPACER = f"(?:{_ANY_SPACER}){{0,2}}"
_SPACERS_ANYHOW = re.compile(_ANY_SPACER)


def _mixed(secret: str) -> LazyPattern:
    """The secret with spacers between its characters and any of them escaped (``s k
    %2d …``); searched only where the text, unescaped and without spacers, holds it."""
    return LazyPattern(_SPACER.join(_char_pattern(ch) for ch in secret))


def _spaced(secret: str) -> LazyPattern:
    """The secret's characters with up to two spacers between each (lower-cased text).
    Spacers and key characters never overlap, so a try fails at the first wrong
    character: linear in the text whatever it holds."""
    return LazyPattern(_SPACER.join(re.escape(ch) for ch in secret))


@dataclass(frozen=True)
class Plan:
    """What to search for; built once per set of secrets."""

    exact: tuple[str, ...]
    folded: tuple[str, ...]
    flexible: tuple[tuple[LazyPattern, str], ...]
    longest: int
    #: Runs of :data:`PIECE` characters of each long secret (searched lower-cased).
    pieces: tuple[str, ...] = ()
    #: Each long secret spaced out (:data:`SPACERS` between its characters).
    spaced: tuple[tuple[LazyPattern, str], ...] = ()
    #: Each long secret spaced out with some characters escaped (see :func:`_mixed`).
    mixed: tuple[tuple[LazyPattern, str], ...] = ()


@lru_cache(maxsize=64)
def plan_for(secrets: frozenset[str]) -> Plan:
    """The search plan for ``secrets`` (each given as registered by the user)."""
    exact: set[str] = set()
    folded: set[str] = set()
    flexible: dict[str, LazyPattern] = {}
    pieces: set[str] = set()
    spaced: dict[str, LazyPattern] = {}
    mixed: dict[str, LazyPattern] = {}
    for secret in secrets:
        forms = text_forms(secret)
        core = {v for v in {secret.strip(), *secret.split()} if len(v) >= FOLD_MIN}
        for c in core:
            pieces |= key_pieces(c)
            forms |= _encoded_forms(c)
            flexible.setdefault(c, _flexible(ascii_lower(c)))
            if len(c) >= PIECE_MIN_SECRET:
                spaced.setdefault(c, _spaced(ascii_lower(c)))
                mixed.setdefault(c, _mixed(ascii_lower(c)))
                forms.add(c[::-1])  # echoed backwards: still the whole key
        for form in forms:
            (folded if len(form) >= FOLD_MIN else exact).add(form)
    return Plan(
        exact=_minimal(exact),
        folded=_minimal({ascii_lower(f) for f in folded}),
        flexible=tuple((p, s) for s, p in flexible.items()),
        longest=max((len(s) for s in exact | folded), default=0),
        pieces=tuple(sorted(pieces)),
        spaced=tuple((p, s) for s, p in spaced.items()),
        mixed=tuple((p, s) for s, p in mixed.items()),
    )


def _minimal(forms: set[str]) -> tuple[str, ...]:
    """Forms that contain no other form (a longer one is found through the shorter)."""
    ordered = sorted(forms, key=len)
    keep: list[str] = []
    for form in ordered:
        if not any(k in form for k in keep):
            keep.append(form)
    return tuple(sorted(keep, key=len, reverse=True))


#: The label of a span that holds only a piece of a secret: no character of it is shown.
PIECE_LABEL = "****"


def find_spans(text: str, low: str, plan: Plan) -> list[tuple[int, int, str | None]]:
    """Spans of ``text`` holding a secret; the third item is a fixed label or None.

    Pieces come last with :data:`PIECE_LABEL`: where they overlap a whole form,
    the whole form's label wins (see ``masking._mask_registered``).
    """
    spans: list[tuple[int, int, str | None]] = []
    for form in plan.exact:
        spans += _all(text, form)
    for form in plan.folded:
        spans += _all(low, form)
    window = _escaped_window(low) if plan.flexible else None
    if window:
        reach = 16 * max(len(secret) for _, secret in plan.flexible)  # 16: longest spelling
        lo, hi = max(0, window[0] - reach), window[1] + reach
        probe = _unescaped(low[lo:hi])
        bare: str | None = None  # the window without spacers, unescaped: made when needed
        mixed = {s: p for p, s in plan.mixed}
        for pattern, secret in plan.flexible:
            if len(low) < len(secret):
                continue  # each of its characters takes at least one of the text's
            key, plain = ascii_lower(secret), _plain_ascii(secret)
            # The escaped pattern costs 2-3x this decoding: run it only on a hit.
            if not plain or key in probe:
                spans += [(m.start(), m.end(), secret) for m in pattern.finditer(low, lo, hi)]
            if secret not in mixed:
                continue
            if plain:  # escaped and spaced out (``s k %2d …``)? Only where that decodes
                if not _could_hold(probe, secret):  # to the key: the cheap test first
                    continue
                if bare is None:
                    bare = _unescaped(_SPACERS_ANYHOW.sub("", low[lo:hi]))
                if key not in bare:
                    continue
            spans += [(m.start(), m.end(), secret) for m in mixed[secret].finditer(low, lo, hi)]
    for pattern, secret in plan.spaced:
        if _could_hold(low, secret):
            spans += [(m.start(), m.end(), secret) for m in pattern.finditer(low)]
    for piece in plan.pieces:
        spans += [(a, b, PIECE_LABEL) for a, b, _ in _all(low, piece)]
    return spans


@lru_cache(maxsize=64)
def _characters(secret: str) -> tuple[str, ...]:
    return tuple(set(ascii_lower(secret)))


def _could_hold(low: str, secret: str) -> bool:
    """Whether the lower-cased ``low`` may hold ``secret`` spaced out: as long as it and
    holding each of its characters (``in`` stops at the first: cheaper than the search
    it spares). Only a filter: a False is certain."""
    return len(low) >= len(secret) and all(ch in low for ch in _characters(secret))


_STRAY_BACKSLASH = re.compile(r"\\(?![ux])")


def _unescaped(text: str) -> str:
    """``text`` with ``%XX`` and ``\\uXXXX`` decoded at C speed (backslashes dropped
    afterwards, so twice-escaped ones decode too) and lower-cased.

    Only a filter: anything the per-character regex can match decodes to the
    secret here; the converse need not hold.
    """
    text = _STRAY_BACKSLASH.sub(r"\\\\", text).replace("%", "\\x")
    raw = text.encode("latin-1", "backslashreplace")
    return raw.decode("unicode_escape", "replace").replace("\\", "").lower()


def _escaped_window(low: str) -> tuple[int, int] | None:
    """From the first to the last ``%`` or backslash (str.find is far faster than
    a regex scanning for either): a match holding an escape lies near this range."""
    firsts = [i for i in (low.find("%"), low.find("\\")) if i >= 0]
    if not firsts:
        return None
    return min(firsts), max(low.rfind("%"), low.rfind("\\")) + 1


def _all(haystack: str, needle: str) -> Iterable[tuple[int, int, None]]:
    start = haystack.find(needle)
    while start >= 0:
        yield (start, start + len(needle), None)
        start = haystack.find(needle, start + len(needle))


def _plain_ascii(secret: str) -> bool:
    """Secrets the decoding filter handles (a ``%`` or backslash of their own would be
    decoded away)."""
    return secret.isascii() and "%" not in secret and "\\" not in secret
