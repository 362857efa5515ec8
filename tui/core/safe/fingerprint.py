"""A short, stable, non-reversible id for an API key.

Why: history, the model grid and support summaries must tell keys apart
("the key changed since the last good run", "this column is key #3a9c1e2b")
without ever holding the key. The id is an HMAC-SHA-256 of the key under a
random salt kept in the state directory (0600, created once, never followed
through a planted link): without that file nobody can test a guessed key
against an id, and ids from two machines don't match each other. When the
salt can't be kept (read-only or unsafe state directory) a per-process salt
is used: ids still compare within one run, and ``stable`` says so.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

__all__ = ["SALT_FILE", "key_id", "salt_is_stable"]

SALT_FILE = "key-salt"
_SALT_BYTES = 32
_salt_cache: dict[Path, bytes] = {}
_process_salt = secrets.token_bytes(_SALT_BYTES)


def _read_salt(path: Path) -> bytes | None:
    from tui.core.safe.files import NOFOLLOW

    try:
        # O_NONBLOCK: a FIFO planted at the name must not hang every run (fstat refuses it)
        fd = os.open(path, os.O_RDONLY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != _SALT_BYTES:
            return None
        if os.name == "posix" and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return None  # someone else's, or readable by others: not our secret
        data = os.read(fd, _SALT_BYTES + 1)
    finally:
        os.close(fd)
    return data if len(data) == _SALT_BYTES else None


def _new_salt(path: Path) -> bytes | None:
    from tui.core.safe.files import ensure_private_dir, open_new

    salt = secrets.token_bytes(_SALT_BYTES)
    try:
        ensure_private_dir(path.parent)
        fd = open_new(path)  # O_EXCL|O_NOFOLLOW: a planted link or file is not used
    except OSError:
        return None
    try:
        os.write(fd, salt)
    finally:
        os.close(fd)
    return salt


def _salt() -> tuple[bytes, bool]:
    from tui.core.setup.state import state_dir

    path = state_dir() / SALT_FILE
    cached = _salt_cache.get(path)
    if cached is not None:
        return cached, True
    salt = _read_salt(path) or _new_salt(path) or _read_salt(path)  # lost a race: re-read
    if salt is None:
        return _process_salt, False
    _salt_cache[path] = salt
    return salt, True


def salt_is_stable() -> bool:
    """Whether ids survive this process (the salt file could be kept)."""
    return _salt()[1]


def key_id(key: str) -> str:
    """``#`` and 8 hex digits naming ``key`` (``""`` for no key); same key, same id."""
    key = key.strip()
    if not key:
        return ""
    salt, _stable = _salt()
    digest = hmac.new(salt, key.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return "#" + digest[:8]


def key_fingerprint(key: str) -> str | None:
    """The project's salted, non-reversible short id of ``key`` (None without one)."""
    if not key:
        return None
    try:
        shown = key_id(key)
        # A salt that could not be kept gives another id next run: "the key changed"
        # would then be said of every run. Better no id than a false one.
        return shown if shown and salt_is_stable() else None
    except Exception:  # noqa: BLE001 - a fingerprint problem must not lose the record
        return None


def key_shown(key: str, lang: str) -> str:
    """``sk-…4444 (#d67de311)``: the masked key with the id the history names it by
    (just the masked form when no id can be kept; empty without a key)."""
    if not key:
        return ""
    from tui.core.i18n.catalogue import text
    from tui.core.safe.masking import mask_key

    fingerprint = key_fingerprint(key)
    shown = mask_key(key)
    return text("core.paren", lang, text=shown, inner=fingerprint) if fingerprint else shown
