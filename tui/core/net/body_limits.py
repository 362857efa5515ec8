"""How much of a response body is kept, and how it is cut without exposing a key.

A stream's raw body is kept to 256 KiB (its first and last events and every
counter are kept apart), any other body to 8 MiB, a decompression bomb's to its
first 64 KiB. The reader keeps MASK_MARGIN past the limit; the exchange is masked
whole and only then cut to the limit, at a word's end: a key written across the
limit, spaced out, escaped or in base64, is seen whole by masking.
"""

from __future__ import annotations

from tui.core.net.body_decode import KEEP_OF_BOMB
from tui.core.net.exchange import MAX_STORED_BODY, Exchange

#: A stream's raw body is kept up to this much: its first and last events and every
#: counter are kept apart (sse_keep), and masking a 3 MB body even in a thread took
#: the UI loop's share of the interpreter while a long reply's last frames were drawn.
MAX_STORED_SSE_BODY = 256 * 1024
#: Read past a body's limit, masked, and only then cut: a key written across the
#: limit is seen whole by masking (spaced out, escaped or in base64 it is several
#: times the key's length; half of one is recognised by nothing).
MASK_MARGIN = 16 * 1024


#: Where a word ends: a cut body ends after the last of them.
_WORD_ENDS = tuple(b" \"'\n\r\t,:;{}[]<>()")
#: How far back a cut body looks for one (a key is far shorter).
_WORD_WINDOW = 512


def end_at_word(body: bytearray) -> None:
    """Drop a word the byte limit cut in half (tidier; what it cut was masked first).
    A body without a word end in its last ``_WORD_WINDOW`` bytes is left as is."""
    start = max(0, len(body) - _WORD_WINDOW)
    tail = bytes(body[start:])
    last = max(tail.rfind(bytes((c,))) for c in _WORD_ENDS)
    if last >= 0:
        del body[start + last + 1 :]


def cut_to_limit(ex: Exchange) -> None:
    """A body read past its limit (by MASK_MARGIN), now masked: cut to the limit, at a
    word's end (a masked key's label is not left in half)."""
    if not ex.body_truncated:
        return
    if ex.error_kind == "too_large":  # a bomb's filler: not worth storing
        limit = KEEP_OF_BOMB
    else:
        limit = MAX_STORED_SSE_BODY if ex.sse_stats is not None else MAX_STORED_BODY
    if len(ex.response_body) > limit:
        body = bytearray(ex.response_body[:limit])
        end_at_word(body)
        ex.response_body = bytes(body)
