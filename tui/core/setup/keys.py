"""API keys in the OS keyring (service ``gateway-doctor``, user = profile name).

A key never goes into the config file. Where no keyring exists (a headless
SSH box, a container), nothing crashes: lookups say ``unavailable`` and the
message names the alternatives, ``GATEWAY_DOCTOR_API_KEY`` and
``--api-key-stdin``. Every key read or stored is registered with
:func:`tui.core.safe.masking.register_secret` so no output can show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.safe.masking import mask_key, register_secret
from tui.core.setup.errors import UserError

__all__ = [
    "SERVICE",
    "KeyLookup",
    "BadKeyError",
    "KeyStoreError",
    "backend_info",
    "delete_key",
    "get_key",
    "normalise_key",
    "set_key",
    "unavailable",
    "unavailable_help",
]

SERVICE = "gateway-doctor"
ENV_KEY = "GATEWAY_DOCTOR_API_KEY"


class KeyStoreError(UserError):
    """Storing or deleting a key failed; ``message`` says why and what to do instead."""

    def __init__(self, message: Msg, unavailable: bool = False) -> None:
        super().__init__(message)
        self.unavailable = unavailable


class BadKeyError(UserError, ValueError):
    """What was pasted cannot be a key (empty, spaces, control characters)."""


@dataclass(slots=True)
class KeyLookup:
    key: str | None
    source: str  # "keyring", "none", "unavailable"
    error: Msg | None = None  # why there is none: render(error, lang)

    @property
    def masked(self) -> str:
        return mask_key(self.key) if self.key else "(none)"


@dataclass(slots=True)
class BackendInfo:
    available: bool
    name: str
    reason: Msg | None = None  # why keys cannot be stored: render(reason, lang)


def backend_info() -> BackendInfo:
    """Which keyring backend is in use, and whether it can really store keys."""
    try:
        import keyring
        from keyring.backends import fail, null

        kr = keyring.get_keyring()
    except Exception as exc:  # a broken keyring install must not crash us
        return BackendInfo(False, "none", msg("setup.keys.cannot_start", error=_reason(exc)))
    name = _backend_name(kr)
    if isinstance(kr, fail.Keyring):
        return BackendInfo(False, name, msg("setup.keys.no_backend"))
    if isinstance(kr, null.Keyring):
        return BackendInfo(False, name, msg("setup.keys.disabled"))
    try:
        from keyring.backends.chainer import ChainerBackend

        if isinstance(kr, ChainerBackend) and not kr.backends:
            return BackendInfo(False, name, msg("setup.keys.no_backend"))
    except Exception:  # pragma: no cover
        pass
    return BackendInfo(True, name)


def _backend_name(kr: object) -> str:
    cls = type(kr)
    mod = cls.__module__.removeprefix("keyring.backends.")
    return f"{mod}.{cls.__name__}"


#: The 'no keyring' message for each action: what is true for it (a read cannot read,
#: a delete has nothing to remove, the status has no key kept there, a store cannot store).
_UNAVAILABLE = {
    "store": "setup.keys.unavailable",
    "read": "setup.keys.unreadable",
    "delete": "setup.keys.undeletable",
    "status": "setup.keys.not_kept_here",
}


def unavailable(
    reason: Msg | str | None = None, reading: bool = False, action: str = "store"
) -> Msg:
    """The 'no keyring here, do this instead' message (``reason``: why, if known), said
    for ``action``: ``store`` (the key cannot be stored), ``read`` (check, console, watch:
    it cannot be read; ``reading=True`` is the same), ``delete`` (nothing to remove) or
    ``status`` (no key is kept there)."""
    msg_id = _UNAVAILABLE["read" if reading else action]
    return msg(msg_id, reason=reason or msg("setup.keys.unknown_reason"))


def unavailable_help(
    reason: Msg | str | None = None, lang: str = "en", action: str = "store"
) -> str:
    """:func:`unavailable` for ``action``, written in ``lang``."""
    return render(unavailable(reason, action=action), lang)


def normalise_key(key: str) -> str:
    """A pasted key, stripped; :class:`BadKeyError` (a ValueError) if it cannot be a key."""
    key = (key or "").strip()
    if key.lower().startswith("bearer "):
        key = key[7:].strip()
    if not key:
        raise BadKeyError(msg("setup.keys.empty"))
    if any(c.isspace() for c in key) or not key.isprintable():
        raise BadKeyError(msg("setup.keys.bad_chars"))
    return key


def get_key(profile: str) -> KeyLookup:
    """The stored key for ``profile``; never raises (no backend -> source 'unavailable')."""
    info = backend_info()
    if not info.available:
        return KeyLookup(None, "unavailable", unavailable(info.reason, reading=True))
    try:
        import keyring

        key = keyring.get_password(SERVICE, profile)
    except Exception as exc:
        return KeyLookup(None, "unavailable", unavailable(_reason(exc), reading=True))
    if not key:
        return KeyLookup(None, "none")
    register_secret(key)
    return KeyLookup(key, "keyring")


def set_key(profile: str, key: str) -> None:
    """Store ``key`` for ``profile`` and read it back to be sure.

    Raises :class:`KeyStoreError` (plain message with alternatives) when there
    is no keyring or it refuses; ValueError for a key that cannot be a key.
    """
    key = normalise_key(key)
    register_secret(key)
    info = backend_info()
    if not info.available:
        raise KeyStoreError(unavailable(info.reason), unavailable=True)
    try:
        import keyring

        keyring.set_password(SERVICE, profile, key)
        stored = keyring.get_password(SERVICE, profile)
    except Exception as exc:
        raise KeyStoreError(unavailable(_reason(exc)), unavailable=True) from None
    if stored != key:
        forgets = unavailable(msg("setup.keys.forgets"))
        raise KeyStoreError(msg("setup.keys.not_kept", backend=info.name, help=forgets))


def delete_key(profile: str) -> bool:
    """Remove the stored key; True if one was removed, False if there was none."""
    info = backend_info()
    if not info.available:
        raise KeyStoreError(unavailable(info.reason, action="delete"), unavailable=True)
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        if keyring.get_password(SERVICE, profile) is None:
            return False
        try:
            keyring.delete_password(SERVICE, profile)
        except PasswordDeleteError:
            return False
    except KeyStoreError:
        raise
    except Exception as exc:
        raise KeyStoreError(unavailable(_reason(exc), action="delete"), unavailable=True) from None
    return True


def _reason(exc: BaseException) -> str:
    """An exception as a short reason; never includes a key (masked anyway)."""
    from tui.core.safe.masking import mask

    text = str(exc).strip() or type(exc).__name__
    return mask(f"{type(exc).__name__}: {text}"[:200])
