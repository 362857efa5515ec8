"""The one masking function.

Every way text leaves gateway-doctor (screen, clipboard, files, exports, logs,
crash reports) passes through :func:`mask`. Secrets are masked in two ways:

* exactly, for every secret registered with :func:`register_secret` (the key
  the user gave us is registered the moment it is read), and
* by shape, for things that look like credentials wherever they appear:
  ``sk-…`` tokens, ``Bearer`` values, JWTs, sensitive header lines, query
  parameters, JSON fields and URL passwords.

Masked keys keep the first 3 and last 4 characters (``sk-…wxyz``) so support
staff can tell two keys apart without ever seeing one.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

__all__ = [
    "SENSITIVE_HEADERS",
    "clear_secrets",
    "mask",
    "mask_key",
    "register_secret",
    "registered_secrets",
]

T = TypeVar("T")

SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "cookie",
        "set-cookie",
        "x-goog-api-key",
        "openai-api-key",
    }
)
_SENSITIVE_FIELDS = (
    "api_key|apikey|api-key|apiKey|key|token|access_token|accessToken|secret|"
    "client_secret|password|passwd|authorization|Authorization|x-api-key"
)
_lock = threading.Lock()
_secrets: set[str] = set()
_sorted_cache: tuple[str, ...] | None = None

_SK_TOKEN = re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_\-\.]{6,}")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+([A-Za-z0-9_\-\.\+/=~:%]{8,})")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*")
_HEADER_LINE = re.compile(
    r"(?i)((?<![\w-])(?:-H\s+['\"])?(?:proxy-authorization|authorization|x-api-key|api-key|cookie|"
    r"set-cookie|x-goog-api-key|openai-api-key)\s*:\s*)([^\r\n'\"]+)"
)
_QUERY = re.compile(
    r"(?i)([?&;](?:key|api_key|api-key|apikey|token|access_token|secret|password|sig|signature)=)"
    r"([^&#\s'\"]+)"
)
_JSON_FIELD = re.compile(r"(\"(?:" + _SENSITIVE_FIELDS + r")\"\s*:\s*\")((?:[^\"\\]|\\.)+)(\")")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s:@]+:)([^@/\s]+)(@)")
_MASK = "****"
#: Cheap pre-check: lower-cased text containing none of these cannot match any
#: pattern below (plain substring tests are far faster than one big regex).
_TRIGGERS = (
    "auth",
    "key",
    "cookie",
    "bearer",
    "basic",
    "token",
    "secret",
    "passw",
    "sig",
    "@",
    "eyj",
    "sk-",
    "pk-",
    "rk-",
)


def register_secret(secret: str | None) -> None:
    """Remember a secret so that every later :func:`mask` call hides it exactly."""
    global _sorted_cache
    if not secret:
        return
    variants = {secret, secret.strip()}
    variants |= {v for v in (secret.split()) if len(v) >= 6}
    # The same secret as it appears inside JSON text and inside URLs.
    for v in list(variants):
        variants.add(json.dumps(v)[1:-1])
        variants.add(json.dumps(v, ensure_ascii=False)[1:-1])
        variants.add(quote(v, safe=""))
        variants.add(quote_plus(v, safe=""))
    with _lock:
        for v in variants:
            if len(v) >= 4:
                _secrets.add(v)
        _sorted_cache = None


def clear_secrets() -> None:
    """Forget registered secrets (tests use this to isolate runs)."""
    global _sorted_cache
    with _lock:
        _secrets.clear()
        _sorted_cache = None


def registered_secrets() -> frozenset[str]:
    with _lock:
        return frozenset(_secrets)


def _sorted_secrets() -> tuple[str, ...]:
    """Registered secrets, longest first (cached until the registry changes)."""
    global _sorted_cache
    cache = _sorted_cache
    if cache is None:
        with _lock:
            cache = _sorted_cache = tuple(sorted(_secrets, key=len, reverse=True))
    return cache


def mask_key(key: str | None) -> str:
    """A key shown as its first 3 and last 4 characters; short keys show less."""
    if not key:
        return "(none)"
    key = key.strip()
    if len(key) >= 16:
        return f"{key[:3]}…{key[-4:]}"
    if len(key) >= 8:
        return f"…{key[-2:]}"
    return _MASK


def _mask_str(text: str, extra: Iterable[str]) -> str:
    if not text:
        return text
    secrets = _sorted_secrets()
    if extra:
        secrets = tuple(sorted(set(extra) | set(secrets), key=len, reverse=True))
    for s in secrets:
        if s in text:
            text = text.replace(s, mask_key(s))
    low = text.lower()
    if not any(t in low for t in _TRIGGERS):
        return text  # nothing shaped like a credential: skip the pattern passes
    text = _HEADER_LINE.sub(lambda m: m.group(1) + _mask_named_header(m.group(1), m.group(2)), text)
    text = _JSON_FIELD.sub(lambda m: m.group(1) + _mask_opaque(m.group(2)) + m.group(3), text)
    text = _QUERY.sub(lambda m: m.group(1) + _mask_opaque(m.group(2)), text)
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + _MASK + m.group(3), text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {_mask_opaque(m.group(2))}", text)
    text = _JWT.sub(lambda m: mask_key(m.group(0)), text)
    text = _SK_TOKEN.sub(lambda m: mask_key(m.group(0)), text)
    return text


def _mask_opaque(value: str) -> str:
    """Mask a value known to be secret; keep already-masked values stable."""
    if "…" in value or value == _MASK or value.startswith("$"):
        return value
    return mask_key(value)


def _mask_cookie(value: str) -> str:
    """Cookies keep their names (useful evidence); every value is masked."""
    parts = []
    for part in value.split(";"):
        name, sep, val = part.partition("=")
        parts.append(f"{name}={_mask_opaque(val.strip())}" if sep else _mask_opaque(part.strip()))
    return ";".join(parts)


def _mask_named_header(name: str, value: str) -> str:
    if "cookie" in name.lower():
        return _mask_cookie(value)
    return _mask_header_value(value)


def _mask_header_value(value: str) -> str:
    value = value.rstrip()
    parts = value.split(None, 1)
    if len(parts) == 2 and parts[0].lower() in {"bearer", "basic", "token"}:
        return f"{parts[0]} {_mask_opaque(parts[1])}"
    return _mask_opaque(value)


def mask(value: T, secrets: Iterable[str] = ()) -> T:
    """Return ``value`` with every secret masked; the type is preserved.

    Handles ``str``, ``bytes`` (invalid UTF-8 survives), mappings (sensitive
    header names and JSON fields are masked whatever their value), lists,
    tuples and scalars. Anything else is turned into a masked ``str``.
    """
    extra = tuple(s for s in secrets if s)
    return _mask_any(value, extra)  # type: ignore[return-value]


def _mask_any(value: Any, extra: tuple[str, ...]) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _mask_str(value, extra)
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "surrogateescape")
        return _mask_str(text, extra).encode("utf-8", "surrogateescape")
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            name = str(k).lower()
            if name in SENSITIVE_HEADERS and isinstance(v, str):
                out[k] = _mask_named_header(name, _mask_str(v, extra))
            elif _is_sensitive_field(name) and isinstance(v, str):
                out[k] = _mask_opaque(_mask_str(v, extra))
            else:
                out[k] = _mask_any(v, extra)
        return out
    if isinstance(value, list):
        return [_mask_pair(v, extra) for v in value]
    if isinstance(value, tuple):
        return tuple(_mask_pair(v, extra) for v in value)
    return _mask_str(str(value), extra)


def _mask_pair(item: Any, extra: tuple[str, ...]) -> Any:
    """Header lists are ``[(name, value), ...]``: mask values of sensitive names."""
    if (
        isinstance(item, tuple | list)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], str)
        and item[0].lower() in SENSITIVE_HEADERS
    ):
        return type(item)((item[0], _mask_named_header(item[0], _mask_str(item[1], extra))))
    return _mask_any(item, extra)


_FIELD_NAMES = {f.lower() for f in _SENSITIVE_FIELDS.split("|")}


def _is_sensitive_field(name: str) -> bool:
    return name in _FIELD_NAMES
