"""Text from a gateway or a user, made safe to put on the user's terminal.

An error message, model id, header, SSE payload or HTML title is whatever the
server chose to send: ``ESC [2J`` clears the screen, OSC 8 plants a link, OSC
52 writes the user's clipboard, a lone ``CR`` or backspace overwrites what we
printed. :func:`terminal_safe` turns every control character into a visible
stand-in (``ESC`` → ``␛``), so the user sees what the server sent and the
terminal obeys none of it. It also repairs broken UTF-16 (a lone surrogate
from a JSON ``"\\udc00"`` escape, an emoji split across two deltas) so that
writing the text can never raise ``UnicodeEncodeError``.

:func:`json_safe` does the same for JSON text without breaking it: JSON
already escapes C0, so DEL, C1 and the invisible characters become ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import re

__all__ = ["json_safe", "one_line", "repair_surrogates", "terminal_safe"]

#: Invisible characters that reorder or hide text (bidi overrides and isolates,
#: zero-width space, word joiner, BOM, Arabic letter mark, tag characters): a
#: model id ``gpt-4o-mini\u202e…`` or ``gpt\u200b-4o-mini`` must not look like
#: ``gpt-4o-mini``. ZWJ/ZWNJ stay: emoji and several scripts need them.
_INVISIBLE = (
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f"
)
#: Anything that needs work: C0 except TAB and LF, DEL, C1, invisibles, surrogates.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")
_JSON_CONTROL = re.compile(f"[\x7f-\x9f{_INVISIBLE}]")
#: Our own colour codes (Select Graphic Rendition), the one sequence a
#: coloured report may keep.
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _picture(match: re.Match[str]) -> str:
    """C0 → its Unicode control picture (ESC → ␛), DEL → ␡, C1 → ``\\x9b``."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code > 0xFF:
        return f"<U+{code:04X}>"
    return f"\\x{code:02x}"


def repair_surrogates(text: str) -> str:
    """Join valid surrogate pairs into their character; a lone one becomes U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def terminal_safe(text: str, *, keep_sgr: bool = False) -> str:
    """``text`` with every control character shown, not obeyed; LF and TAB kept.

    CRLF becomes LF (a line ending, not an overwrite); a lone CR becomes ``␍``.
    ``keep_sgr`` keeps colour sequences (``ESC [ … m``) for a report we
    coloured ourselves after making its content safe. Idempotent, and cheap
    for text that needs nothing.
    """
    if _UNSAFE.search(text) is None:
        return text
    text = repair_surrogates(text).replace("\r\n", "\n")
    if keep_sgr and "\x1b" in text:
        parts = _SGR.split(text)
        codes = _SGR.findall(text)
        out = [_CONTROL.sub(_picture, parts[0])]
        for code, part in zip(codes, parts[1:], strict=True):
            out += [code, _CONTROL.sub(_picture, part)]
        return "".join(out)
    return _CONTROL.sub(_picture, text)


def one_line(text: str) -> str:
    """:func:`terminal_safe` for a value that must stay on its line (a table cell, a
    field of a record): LF and TAB are shown too (``␊``, ``␉``), so a model id or a
    Server header holding ``\ninjected line: ALL OK`` cannot print a line of its own
    or push the columns after it."""
    text = terminal_safe(text)
    if "\n" in text or "\t" in text:
        text = text.replace("\n", "\u240a").replace("\t", "\u2409")
    return text


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) safe for a terminal.

    DEL, C1 and the invisible bidi/zero-width characters become ``\\uXXXX`` escapes (they only occur inside strings, so
    the JSON stays valid and means the same); surrogates are repaired.
    """
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_CONTROL.sub(_json_escape, repair_surrogates(text))


def _json_escape(match: re.Match[str]) -> str:
    """``\\u00XX``; a character beyond U+FFFF as its surrogate pair, as JSON spells it."""
    raw = match.group().encode("utf-16-be")
    return "".join(f"\\u{raw[i : i + 2].hex()}" for i in range(0, len(raw), 2))
