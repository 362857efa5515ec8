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
    """``{"name", "by"}`` for the proxy's product, or None when nothing names it."""
    via = ex.header("via") or ""
    if name := _named(via):
        return {"name": name, "by": f"Via: {via[:120]}"}
    parts = urlsplit(ex.url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    if not host or not proxy.startswith("http://"):
        return None
    limit = min(timeout, PROBE_TIMEOUT)
    if parts.scheme == "https":
        cert = await fetch_certificate(host, port, limit, proxy=proxy)
        if cert.get("interception"):
            return {"name": str(cert["interception"]), "by": f"certificate issuer {cert['issuer']}"}
    answer = await connect_answer(proxy, host, port, limit)
    if answer is not None and answer.server and (name := _named(answer.server)):
        return {"name": name, "by": f"Server: {answer.server[:120]} in its CONNECT answer"}
    return None


async def buffered_by_proxy(ctx: Context, ex: Exchange, ev: dict[str, Any]) -> str:
    """The clause naming the configured proxy a buffered stream came through ('' without one).

    When the proxy's product is known its advice replaces the gateway server's.
    """
    proxy = configured_proxy(ctx)
    if not proxy:
        return ""
    try:
        found = await identify(proxy, ex, ctx.timeout)
    except (TimeoutError, OSError, ValueError):
        found = None
    shown = mask(proxy)
    if found is None:
        ev["proxy_product"] = {"proxy": shown, "name": None}
        return f"; it came through your proxy {shown}, which may be the one buffering"
    ev["proxy_product"] = {"proxy": shown, **found}
    ev["advice"] = "mitmproxy.buffered" if found["name"] == "mitmproxy" else "proxy.buffered"
    return f"; it came through your proxy {shown}, which is {found['name']} ({found['by']})"


def buffered_by_proxy_zh(ev: dict[str, Any]) -> str:
    """The Chinese clause for the same evidence ('' without a configured proxy)."""
    seen = ev.get("proxy_product")
    if not isinstance(seen, dict):
        return ""
    if not seen.get("name"):
        return f"；响应经过了你配置的代理 {seen.get('proxy')}，缓冲也可能发生在它那里"
    return f"；响应经过了你配置的代理 {seen.get('proxy')}，它是 {seen['name']}（{seen.get('by')}）"
