"""Where the key may go: only to the origin of the configured base URL.

An origin is (scheme, host, port), as browsers define it: ``https://gw`` and
``http://gw`` differ, so do ``127.0.0.1`` and ``localhost``. Default ports are
normalised (``https://gw:443`` is ``https://gw``) and hosts compare
case-insensitively in their IDNA form (``Bücher.example`` is
``xn--bcher-kva.example``). URLs are parsed with httpx, the parser that decides
where a request actually connects, so a trick URL cannot look like one host
here and reach another there.

A redirect never moves the key: :func:`withheld_reason` is the guard the HTTP
client applies before sending anything that carries it.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from tui.core.i18n.catalogue import Msg, msg

__all__ = ["Origin", "carries_key", "origin_of", "origin_text", "same_origin", "withheld_reason"]

Origin = tuple[str, str, int | None]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> Origin | None:
    """``(scheme, host, port)`` of ``url``, normalised; None when it cannot be parsed."""
    try:
        parsed = httpx.URL(url.strip())
        host = parsed.raw_host.decode("ascii").lower()
    except (httpx.InvalidURL, UnicodeError, TypeError, ValueError):
        return None
    scheme = parsed.scheme.lower()
    if not scheme or not host:
        return None
    return scheme, host, parsed.port or _DEFAULT_PORTS.get(scheme)


def same_origin(a: str, b: str) -> bool:
    """True when both URLs parse and share scheme, host and port."""
    oa = origin_of(a)
    return oa is not None and oa == origin_of(b)


def origin_text(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` for messages (the port only when not the default)."""
    o = origin_of(url)
    if o is None:
        return url
    scheme, host, port = o
    if ":" in host:
        host = f"[{host}]"
    default = _DEFAULT_PORTS.get(scheme)
    return f"{scheme}://{host}" + ("" if port in (None, default) else f":{port}")


def carries_key(key: str, url: str, headers: Mapping[str, str]) -> bool:
    """Whether the key is in a header value or in the URL (``?key=...``)."""
    key = key.strip()
    if not key:
        return False
    return key in url or any(key in str(v) for v in headers.values())


def withheld_reason(url: str, base_url: str, key: str, headers: Mapping[str, str]) -> Msg | None:
    """Why a request must not be sent, or None when it may go.

    A request that carries the key goes only to the configured base URL's
    origin. A URL httpx cannot parse is let through: httpx refuses it itself,
    without connecting anywhere, and that error is the clearer one.
    """
    if not carries_key(key, url, headers) or origin_of(url) is None:
        return None
    if same_origin(url, base_url):
        return None
    if origin_of(base_url) is None:
        return msg("transport.key_withheld_no_base", to=origin_text(url))
    return msg("transport.key_withheld", allowed=origin_text(base_url), to=origin_text(url))
