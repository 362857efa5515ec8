"""A Retry-After in our words: seconds, an HTTP date as a date, and an absurd value
(negative, NaN, over a day, unreadable) as "ignored", never raw (the checklist printed
"Retry-After: Wed, 21 Oct 2099 07:28:00 GMT s"). The checklist and the trial both use it."""

from __future__ import annotations

import email.utils
import math
from datetime import UTC

from tui.core.diagnosis.checks.classify import ErrorInfo
from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe.terminal import one_line

#: A delay longer than this is no delay a client can wait for: shown as ignored.
MAX_SANE = 86_400.0
#: At most this much of the raw header is quoted.
QUOTE = 40


def seconds(raw: str | None) -> float | None:
    """The delay in seconds when it is a sane number (0 ≤ s ≤ a day), else None."""
    if raw is None:
        return None
    try:
        value = float(raw.strip()[:64])
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 <= value <= MAX_SANE else None


def note(info: ErrorInfo) -> Msg | str:
    """`` (Retry-After: 5 s)``, `` (Retry-After: 2099-10-21 07:28 UTC)`` or
    `` (Retry-After ignored: '1e9' is no usable delay)``; ``""`` without the header."""
    raw = info.retry_after
    if not raw or not raw.strip():
        return ""
    secs = seconds(raw)
    if secs is not None:
        return msg("check.http.retry_after", seconds=f"{secs:g}")
    try:
        float(raw.strip()[:64])
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw.strip()[:64])
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
        if when is not None and when.tzinfo is not None:
            shown = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            return msg("check.http.retry_date", date=shown)
    quoted = one_line(raw.strip()[:QUOTE]) + ("…" if len(raw.strip()) > QUOTE else "")
    return msg("check.http.retry_ignored", value=quoted)
