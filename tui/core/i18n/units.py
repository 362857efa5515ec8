"""How durations read everywhere: ``12 ms`` below a second, ``2.35 s`` above."""

from __future__ import annotations


def format_ms(ms: float | None, *, missing: str = "-", digits: int = 2) -> str:
    """Milliseconds for people; ``missing`` when unknown, ``digits`` after the seconds point."""
    if ms is None:
        return missing
    if ms >= 1000:
        return f"{ms / 1000:.{digits}f} s"
    return f"{ms:.0f} ms"
