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
from tui.core.i18n.catalogue import Msg, msg, render
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


def inspect_base_url(url: str) -> tuple[str | None, Msg | None, dict[str, Any]]:
    """``(code_suffix or None, detail, evidence)`` for the base URL alone."""
    ev: dict[str, Any] = {"base_url": url}
    if not url.strip():
        return "missing_base_url", msg("check.config.missing_base_url"), ev
    if any(c.isspace() for c in url.strip()):
        return "invalid_base_url", msg("check.config.base_url_spaces"), ev
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        return "invalid_base_url", msg("check.config.base_url_unparsable", error=str(exc)), ev
    if parts.scheme.lower() not in ("http", "https"):
        if parts.scheme:
            return "invalid_base_url", msg("check.config.bad_scheme", scheme=parts.scheme), ev
        return "invalid_base_url", msg("check.config.no_scheme"), ev
    if not host:
        return "invalid_base_url", msg("check.config.no_host"), ev
    if parts.query or parts.fragment:
        ev["query"] = parts.query
    ev.update({"scheme": parts.scheme.lower(), "host": host, "port": port, "path": parts.path})
    base, suffix = strip_endpoint(url.strip())
    if suffix:
        ev["suggested_base_url"] = base
        detail = msg("check.config.base_url_has_endpoint", suffix=suffix, base=base)
        return "base_url_has_endpoint", detail, ev
    if parts.scheme.lower() == "http" and not is_loopback_or_private(host):
        return "insecure_http", msg("check.config.insecure_http", host=host), ev
    return None, None, ev


def inspect_key(key: str) -> tuple[str | None, Msg | None, dict[str, Any]]:
    ev: dict[str, Any] = {"key_length": len(key)}
    if not key or not key.strip():
        return "missing_key", msg("check.config.missing_key"), ev
    if any(c.isspace() for c in key.strip()):
        return "key_whitespace", msg("check.config.key_inner_space"), ev
    if key != key.strip():
        ev["trimmed"] = True
        return "key_whitespace", msg("check.config.key_outer_space"), ev
    stripped = key.strip()
    odd = next((c for c in stripped if not c.isascii() or not c.isprintable()), None)
    if odd is not None:
        # Not a style problem: HTTP headers cannot carry these, no client can send the key.
        ev["unsendable"] = True
        ev["position"] = stripped.index(odd)
        which = "key_control_char" if odd.isascii() else "key_non_ascii"
        return "key_format", msg(f"check.config.{which}", position=ev["position"]), ev
    if stripped.lower().startswith("bearer "):
        return "key_format", msg("check.config.key_bearer"), ev
    if not _KEY_SHAPE.match(stripped) or not stripped.isascii():
        return "key_format", msg("check.config.key_shape"), ev
    ev["prefix"] = stripped[:3]
    return None, None, ev


#: Sub-codes that are only a warning (the run can go on).
WARN_ONLY = {"insecure_http", "key_format"}


async def check_config(ctx: Context) -> CheckResult:
    """Report the first configuration problem, or config.ok."""
    done = Results("config")
    t = ctx.target
    problems: list[tuple[str, Msg]] = []
    evidence = done.evidence
    code, detail, ev = inspect_base_url(t.base_url)
    evidence["base_url"] = ev
    if code and detail:
        problems.append((code, detail))
    code, detail, ev = inspect_key(t.api_key)
    evidence["key"] = ev
    if code and detail:
        problems.append((code, detail))
    if not t.model.strip():
        problems.append(("missing_model", msg("check.config.missing_model")))
    evidence["model"] = t.model
    evidence["timeout_s"] = t.timeout
    if t.insecure:
        evidence["tls_verification"] = "disabled (--insecure)"
    if t.ca_bundle:
        evidence["ca_bundle"] = t.ca_bundle
    evidence["tls_trust"] = trust_source(t, ctx.env)
    if problems:
        evidence["problems"] = [f"config.{c}: {render(d, 'en')}" for c, d in problems]
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
    ok = msg("check.config.ok", base_url=t.base_url, model=t.model, key=t.masked_key)
    return done(Status.PASS, "ok", ok)


def _trailing_only(problem: tuple[str, Msg], evidence: dict[str, Any]) -> bool:
    """Leading/trailing whitespace is a warning: we trim it, many clients do not."""
    return problem[0] == "key_whitespace" and bool(evidence["key"].get("trimmed"))
