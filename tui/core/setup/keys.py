"""API keys in the OS keyring (service ``gateway-doctor``, user = profile name).

A key never goes into the config file. Where no keyring exists (a headless
SSH box, a container), nothing crashes: lookups say ``unavailable`` and the
message names the alternatives, ``GATEWAY_DOCTOR_API_KEY`` and
``--api-key-stdin``. Every key read or stored is registered with
:func:`tui.core.safe.masking.register_secret` so no output can show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.i18n import pick
from tui.core.safe.masking import mask_key, register_secret

__all__ = [
    "SERVICE",
    "KeyLookup",
    "KeyStoreError",
    "backend_info",
    "delete_key",
    "get_key",
    "normalise_key",
    "set_key",
    "unavailable_help",
]

SERVICE = "gateway-doctor"
ENV_KEY = "GATEWAY_DOCTOR_API_KEY"

_UNAVAILABLE = {
    "en": (
        "No OS keyring is available here ({reason}), so the key cannot be stored. "
        "Alternatives: set the environment variable GATEWAY_DOCTOR_API_KEY, or pipe the "
        "key in with --api-key-stdin (e.g. `pass show gw | gateway-doctor check --api-key-stdin`)."
    ),
    "zh-CN": (
        "此处没有可用的系统密钥环（{reason}），无法保存密钥。替代方法：设置环境变量 "
        "GATEWAY_DOCTOR_API_KEY，或通过 --api-key-stdin 从标准输入传入密钥。"
    ),
}


class KeyStoreError(Exception):
    """Storing or deleting a key failed; ``str()`` is a plain, user-facing reason."""

    def __init__(self, message: str, unavailable: bool = False) -> None:
        super().__init__(message)
        self.unavailable = unavailable


@dataclass(slots=True)
class KeyLookup:
    key: str | None
    source: str  # "keyring", "none", "unavailable"
    error: str | None = None

    @property
    def masked(self) -> str:
        return mask_key(self.key) if self.key else "(none)"


@dataclass(slots=True)
class BackendInfo:
    available: bool
    name: str
    reason: str | None = None


def backend_info() -> BackendInfo:
    """Which keyring backend is in use, and whether it can really store keys."""
    try:
        import keyring
        from keyring.backends import fail, null

        kr = keyring.get_keyring()
    except Exception as exc:  # a broken keyring install must not crash us
        return BackendInfo(False, "none", f"keyring could not start: {exc}")
    name = _backend_name(kr)
    if isinstance(kr, fail.Keyring):
        return BackendInfo(False, name, "no keyring backend found (headless system?)")
    if isinstance(kr, null.Keyring):
        return BackendInfo(False, name, "the keyring is disabled (null backend)")
    try:
        from keyring.backends.chainer import ChainerBackend

        if isinstance(kr, ChainerBackend) and not kr.backends:
            return BackendInfo(False, name, "no keyring backend found (headless system?)")
    except Exception:  # pragma: no cover
        pass
    return BackendInfo(True, name)


def _backend_name(kr: object) -> str:
    cls = type(kr)
    mod = cls.__module__.removeprefix("keyring.backends.")
    return f"{mod}.{cls.__name__}"


def unavailable_help(reason: str | None = None, lang: str = "en") -> str:
    """The plain 'no keyring here, do this instead' message."""
    return pick(_UNAVAILABLE, lang).format(reason=reason or "unknown reason")


def normalise_key(key: str) -> str:
    """A pasted key, stripped; ValueError (user-facing) if it cannot be a key."""
    key = (key or "").strip()
    if key.lower().startswith("bearer "):
        key = key[7:].strip()
    if not key:
        raise ValueError("The key is empty. / 密钥为空。")
    if any(c.isspace() for c in key) or not key.isprintable():
        raise ValueError(
            "The key contains spaces, line breaks or control characters; paste only the "
            "key itself (e.g. sk-...). / 密钥包含空格或换行，请只粘贴密钥本身。"
        )
    return key


def get_key(profile: str) -> KeyLookup:
    """The stored key for ``profile``; never raises (no backend -> source 'unavailable')."""
    info = backend_info()
    if not info.available:
        return KeyLookup(None, "unavailable", unavailable_help(info.reason))
    try:
        import keyring

        key = keyring.get_password(SERVICE, profile)
    except Exception as exc:
        return KeyLookup(None, "unavailable", unavailable_help(_reason(exc)))
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
        raise KeyStoreError(unavailable_help(info.reason), unavailable=True)
    try:
        import keyring

        keyring.set_password(SERVICE, profile, key)
        stored = keyring.get_password(SERVICE, profile)
    except Exception as exc:
        raise KeyStoreError(unavailable_help(_reason(exc)), unavailable=True) from None
    if stored != key:
        raise KeyStoreError(
            f"The keyring ({info.name}) accepted the key but did not give it back; "
            + unavailable_help("it does not keep keys")
        )


def delete_key(profile: str) -> bool:
    """Remove the stored key; True if one was removed, False if there was none."""
    info = backend_info()
    if not info.available:
        raise KeyStoreError(unavailable_help(info.reason), unavailable=True)
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
        raise KeyStoreError(unavailable_help(_reason(exc)), unavailable=True) from None
    return True


def _reason(exc: BaseException) -> str:
    """An exception as a short reason; never includes a key (masked anyway)."""
    from tui.core.safe.masking import mask

    text = str(exc).strip() or type(exc).__name__
    return mask(f"{type(exc).__name__}: {text}"[:200])
