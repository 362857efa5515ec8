"""Commands in remediation name the real gateway and proxy, not an example.

A step that says "test it with ``curl -x http://127.0.0.1:7890 -I
https://api.alltkn.com``" to a user whose gateway is ``http://10.0.0.5:3000``
behind ``http://proxy.corp:8080`` sends them to test the wrong thing. The
catalogue writes ``{gateway}`` (scheme://host[:port]), ``{host}``, ``{port}``
and ``{proxy}`` instead; they are filled from the result's evidence (the
network and proxy checks record where they went; the proxy already masked),
else with visible placeholders such as ``https://<gateway-host>`` (the code
reference, a step that recorded neither).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from tui.core.safe.masking import mask

GENERIC = {
    "{gateway}": "https://<gateway-host>",
    "{host}": "<gateway-host>",
    "{port}": "443",
    "{proxy}": "http://<proxy-host>:<port>",
}


def facts_of(evidence: Mapping[str, Any] | None) -> dict[str, str]:
    """The placeholder values a result's evidence gives (only those it has)."""
    ev = evidence or {}
    out: dict[str, str] = {}
    host: object
    port: object
    scheme: object
    gateway = ev.get("gateway")
    if isinstance(gateway, str) and gateway:
        parts = urlsplit(gateway)
        host, port, scheme = parts.hostname, parts.port, parts.scheme
    else:
        host, port, scheme = ev.get("host"), ev.get("port"), ev.get("scheme")
    if isinstance(host, str) and host and scheme in ("http", "https"):
        default = 443 if scheme == "https" else 80
        shown_host = f"[{host}]" if ":" in host else host
        suffix = f":{port}" if isinstance(port, int) and port != default else ""
        out["{gateway}"] = f"{scheme}://{shown_host}{suffix}"
        out["{host}"] = host
        out["{port}"] = str(port if isinstance(port, int) else default)
    # A corrected proxy URL (proxy.bad_url) is the one the commands must use.
    proxy = ev.get("suggested_proxy") or ev.get("proxy") or ev.get("configured")
    if isinstance(proxy, str) and "://" in proxy:
        out["{proxy}"] = mask(proxy)
    return out


def with_target(evidence: Mapping[str, Any] | None, target: Any = None) -> Mapping[str, Any]:
    """``evidence`` completed with the run's base URL and proxy where it names neither.

    Steps other than network and proxy (a timeout under auth, model or stream)
    record no address, but their advice still says ``curl -I {gateway}``.
    """
    ev: dict[str, Any] = dict(evidence or {})
    if target is None:
        return ev
    base = getattr(target, "base_url", None)
    if isinstance(base, str) and not ev.get("gateway") and not ev.get("host"):
        parts = urlsplit(base.strip())
        if parts.scheme in ("http", "https") and parts.hostname:
            ev["gateway"] = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    proxy = getattr(target, "proxy", None)
    if isinstance(proxy, str) and not ev.get("proxy") and not ev.get("configured"):
        ev["proxy"] = proxy
    return ev


def fill(text: str, evidence: Mapping[str, Any] | None = None) -> str:
    """``text`` with each placeholder replaced (evidence first, else the generic form)."""
    if "{" not in text:
        return text
    values = {**GENERIC, **facts_of(evidence)}
    for token, value in values.items():
        text = text.replace(token, value)
    return text
