"""Which product is the user's own forward proxy? Asked only when a stream came buffered.

A buffered stream through a configured proxy is as likely the proxy's doing
(mitmproxy holds whole bodies unless ``stream_large_bodies`` is set; content
scanners and TLS inspection buffer too) as the gateway's nginx. The gateway's
``Server`` header names only the gateway's side, so the configured proxy is
identified on its own: a ``Via`` header it added, its answer to ``CONNECT``,
or the issuer of the certificate it presents when it re-signs HTTPS. The
probes send no HTTP request to the gateway and never the key.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tui.core.diagnosis.checks.base import Context
from tui.core.diagnosis.checks.proxy_probe import PROBE_TIMEOUT, connect_answer
from tui.core.i18n.catalogue import msg, render
from tui.core.net.exchange import Exchange
from tui.core.net.tls_facts import fetch_certificate, interception_product
from tui.core.safe.masking import mask
from tui.core.setup.target import proxy_for_url

#: Forward proxies that say who they are in ``Via`` or ``Server`` (besides the
#: interception products of :mod:`tui.core.net.tls_facts`).
_NAMED = (("Squid", re.compile(r"\bsquid\b", re.I)), ("mitmproxy", re.compile(r"mitmproxy", re.I)))


def _named(text: str) -> str | None:
    for name, pattern in _NAMED:
        if pattern.search(text):
            return name
    return interception_product(text)


def configured_proxy(ctx: Context) -> str | None:
    """The forward proxy this run's requests went through (flag/profile, else environment)."""
    if ctx.target.proxy:
        return ctx.target.proxy
    if not ctx.target.trust_env:
        return None
    return proxy_for_url(ctx.base_url or ctx.target.base_url, ctx.env).proxy


async def identify(proxy: str, ex: Exchange, timeout: float) -> dict[str, str] | None:
    """``{"name", "how", "seen", "by"}`` for the proxy's product, or None when nothing names it.

    ``how`` says where the name was seen (``via``, ``certificate``, ``connect``),
    ``seen`` is the text that named it (the header's value, the issuer) and ``by``
    the English line for both (``Via: 1.1 squid``), kept for scripts.
    """
    via = ex.header("via") or ""
    if name := _named(via):
        return _found(name, "via", via[:120])
    parts = urlsplit(ex.url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    if not host or not proxy.startswith("http://"):
        return None
    limit = min(timeout, PROBE_TIMEOUT)
    if parts.scheme == "https":
        cert = await fetch_certificate(host, port, limit, proxy=proxy)
        if cert.get("interception"):
            return _found(str(cert["interception"]), "certificate", str(cert.get("issuer") or ""))
    answer = await connect_answer(proxy, host, port, limit)
    if answer is not None and answer.server and (name := _named(answer.server)):
        return _found(name, "connect", answer.server[:120])
    return None


def _found(name: str, how: str, seen: str) -> dict[str, str]:
    by = render(msg(f"check.proxy.seen_{how}", seen=seen), "en")
    return {"name": name, "how": how, "seen": seen, "by": by}


async def buffered_by_proxy(ctx: Context, ex: Exchange, ev: dict[str, Any]) -> None:
    """Identify the configured proxy a buffered stream came through, into
    ``ev["proxy_product"]`` (``{"proxy", "name", …}``; nothing without a proxy).

    When the proxy's product is known its advice replaces the gateway server's.
    """
    proxy = configured_proxy(ctx)
    if not proxy:
        return
    try:
        found = await identify(proxy, ex, ctx.timeout)
    except (TimeoutError, OSError, ValueError):
        found = None
    shown = mask(proxy)
    if found is None:
        ev["proxy_product"] = {"proxy": shown, "name": None}
        return
    ev["proxy_product"] = {"proxy": shown, **found}
    ev["advice"] = "mitmproxy.buffered" if found["name"] == "mitmproxy" else "proxy.buffered"
