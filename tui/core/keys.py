"""API keys in the OS keyring (interface stub; implemented by the profiles issue)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class KeyLookup:
    key: str | None
    source: str  # "keyring", "none", "unavailable"
    error: str | None = None


def get_key(profile: str) -> KeyLookup:
    """The stored key for ``profile``; never raises (no backend -> source 'unavailable')."""
    return KeyLookup(None, "none")
