"""How a key is named in the grid and the remembered file: masked, with its fingerprint
(``tui.core.safe.fingerprint.key_id``: salted, kept locally, not reversible)."""

from __future__ import annotations

from tui.core.safe.fingerprint import key_id
from tui.core.safe.masking import mask_key

__all__ = ["key_id", "key_label"]


def key_label(key: str) -> tuple[str, str]:
    """``(masked key, fingerprint)``; both "" for no key."""
    return (mask_key(key) if key else "", key_id(key))
