"""config: local sanity of base URL, key and model, before any network traffic.

Most support tickets for OpenAI-compatible gateways are configuration: an
endpoint pasted into the API host (``…/v1/chat/completions``), a key copied
with a trailing newline, ``http://`` to a public host. Catching them here
gives a precise answer without a single request.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from tui.core.diagnosis.checks.base import Context, Results
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.net.trust import trust_source

#: Endpoint suffixes users paste into the base URL, longest first.
ENDPOINT_SUFFIXES = (
    "/chat/completions",
    "/completions",
    "/embeddings",
    "/responses",
    "/models",
    "/messages",
)
_KEY_SHAPE = re.compile(r"^[A-Za-z0-9_\-\.:=+/]{8,512}$")


def strip_endpoint(url: str) -> tuple[str, str | None]:
    """``url`` without a pasted endpoint suffix, and the suffix found."""
    path = urlsplit(url).path.rstrip("/")
    for suffix in ENDPOINT_SUFFIXES:
        if path.lower().endswith(suffix):
            return url.rstrip("/")[: -len(suffix)], suffix
    return url, None


def is_loopback_or_private(host: str) -> bool:
    if host in ("localhost",) or host.endswith((".localhost", ".local", ".internal", ".lan")):
        return True
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local


def inspect_base_url(url: str) -> tuple[str | None, str, dict[str, Any]]:
    """``(code_suffix or None, detail, evidence)`` for the base URL alone."""
    ev: dict[str, Any] = {"base_url": url}
    if not url.strip():
        return "missing_base_url", "no base URL is set", ev
    if any(c.isspace() for c in url.strip()):
        return "invalid_base_url", "the base URL contains spaces", ev
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        return "invalid_base_url", f"the base URL cannot be parsed: {exc}", ev
    if parts.scheme.lower() not in ("http", "https"):
        what = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        return (
            "invalid_base_url",
            f"the base URL has {what}; it must start with https:// (or http:// for a local gateway)",
            ev,
        )
    if not host:
        return "invalid_base_url", "the base URL has no host name", ev
    if parts.query or parts.fragment:
        ev["query"] = parts.query
    ev.update({"scheme": parts.scheme.lower(), "host": host, "port": port, "path": parts.path})
    base, suffix = strip_endpoint(url.strip())
    if suffix:
        ev["suggested_base_url"] = base
        return (
            "base_url_has_endpoint",
            f"the base URL ends with the endpoint {suffix!r}; clients add it themselves — "
            f"use {base}",
            ev,
        )
    if parts.scheme.lower() == "http" and not is_loopback_or_private(host):
        return "insecure_http", f"plain http:// to {host}: the key travels unencrypted", ev
    return None, "", ev


def inspect_key(key: str) -> tuple[str | None, str, dict[str, Any]]:
    ev: dict[str, Any] = {"key_length": len(key)}
    if not key or not key.strip():
        return (
            "missing_key",
            "no API key: set GATEWAY_DOCTOR_API_KEY or OPENAI_API_KEY, use --api-key-stdin, "
            "or store one with `gateway-doctor key set`",
            ev,
        )
    if any(c.isspace() for c in key.strip()):
        return "key_whitespace", "the key contains spaces or line breaks inside it", ev
    if key != key.strip():
        ev["trimmed"] = True
        return (
            "key_whitespace",
            "the key has leading/trailing spaces or a line break; many clients send it as is",
            ev,
        )
    stripped = key.strip()
    odd = next((c for c in stripped if not c.isascii() or not c.isprintable()), None)
    if odd is not None:
        # Not a style problem: HTTP headers cannot carry these, no client can send the key.
        ev["unsendable"] = True
        ev["position"] = stripped.index(odd)
        what = "a control character" if odd.isascii() else "a non-ASCII character"
        return (
            "key_format",
            f"the key contains {what} at position {ev['position']}: HTTP cannot send it; "
            "copy the key again from the gateway's console (no spaces, quotes or other "
            "characters around it)",
            ev,
        )
    if stripped.lower().startswith("bearer "):
        return "key_format", "the key starts with 'Bearer ': give the key alone", ev
    if not _KEY_SHAPE.match(stripped) or not stripped.isascii():
        return "key_format", "the key has an unusual shape (too short or odd characters)", ev
    ev["prefix"] = stripped[:3]
    return None, "", ev


#: Sub-codes that are only a warning (the run can go on).
WARN_ONLY = {"insecure_http", "key_format"}


async def check_config(ctx: Context) -> CheckResult:
    """Report the first configuration problem, or config.ok."""
    done = Results("config")
    t = ctx.target
    problems: list[tuple[str, str]] = []
    evidence = done.evidence
    code, detail, ev = inspect_base_url(t.base_url)
    evidence["base_url"] = ev
    if code:
        problems.append((code, detail))
    code, detail, ev = inspect_key(t.api_key)
    evidence["key"] = ev
    if code:
        problems.append((code, detail))
    if not t.model.strip():
        problems.append(("missing_model", "no model name is set (use --model)"))
    evidence["model"] = t.model
    evidence["timeout_s"] = t.timeout
    if t.insecure:
        evidence["tls_verification"] = "disabled (--insecure)"
    if t.ca_bundle:
        evidence["ca_bundle"] = t.ca_bundle
    evidence["tls_trust"] = trust_source(t, ctx.env)
    if problems:
        evidence["problems"] = [f"config.{c}: {d}" for c, d in problems]
    hard = [
        p
        for p in problems
        if (p[0] not in WARN_ONLY or evidence["key"].get("unsendable"))
        and not _trailing_only(p, evidence)
    ]
    if hard:
        code, detail = hard[0]
        return done(Status.FAIL, code, detail)
    if problems:
        code, detail = problems[0]
        return done(Status.WARN, code, detail)
    return done(Status.PASS, "ok", f"{t.base_url} · model {t.model} · key {t.masked_key}")


def _trailing_only(problem: tuple[str, str], evidence: dict[str, Any]) -> bool:
    """Leading/trailing whitespace is a warning: we trim it, many clients do not."""
    return problem[0] == "key_whitespace" and bool(evidence["key"].get("trimmed"))
