"""proxy: which proxy applies, is it reachable, does it want auth, does it work.

Behind a corporate or "scientific-internet" proxy the usual failure is a
mismatch: the shell has ``HTTPS_PROXY`` but the desktop client does not (or
the reverse), or ``NO_PROXY`` sends the gateway direct. So besides testing the
proxy we compare with a direct request and say which route works.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import SplitResult, urlsplit

from tui.core.diagnosis.checks.base import Context, Results, is_timeout
from tui.core.diagnosis.checks.proxy_probe import (
    UrlProblem,
    connect_answer,
    page_text,
    plain_http_problem,
    speaks_plain_http,
    url_problem,
)
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange
from tui.core.net.http import GatewayClient
from tui.core.net.tls_facts import fetch_certificate, verify_error_text
from tui.core.net.transport_error import error_msg
from tui.core.safe.masking import mask
from tui.core.setup.target import proxy_for_url

#: What a proxy answers when it cannot reach the gateway.
_PROXY_ERRORS = (502, 503, 504)
#: A proxy's own words saying its TLS verification toward the gateway failed
#: (mitmproxy "Certificate verify failed", Squid "SSL Certificate error", OpenSSL's texts).
_CERT_WORDS = re.compile(
    r"certificate verify failed|certificate_verify_failed|ssl certificate error|"
    r"unable to get local issuer|self[- ]signed certificate|certificate has expired|"
    r"hostname mismatch|x509|err_secure_connect_fail|untrusted certificate",
    re.I,
)


def _works(ex: Exchange) -> bool:
    return ex.error is None and ex.status is not None and ex.status != 407


async def _get(ctx: Context, *, proxy: str | None, direct: bool) -> Exchange:
    client = GatewayClient(ctx.target, ctx.log, proxy=proxy, direct=direct)
    try:
        return await client.request(
            "GET", ctx.url("models"), step="proxy", auth=False, total_timeout=ctx.timeout
        )
    finally:
        await client.aclose()


async def _reachable(proxy: str, timeout: float) -> Msg | None:
    """None when a TCP connection to the proxy opens, else why not."""
    try:
        parts = urlsplit(proxy)
        host = parts.hostname or ""
        default = {"https": 443, "socks5": 1080, "socks5h": 1080, "socks4": 1080}
        port = parts.port or default.get(parts.scheme, 80)
    except ValueError as exc:
        return msg("check.proxy.url.unparsable", error=str(exc))
    if not host:
        return msg("check.proxy.url.no_host")
    try:
        async with asyncio.timeout(min(timeout, 10.0)):
            _r, w = await asyncio.open_connection(host, port)
    except TimeoutError:
        return msg("check.proxy.connect_timeout", host=host, port=port)
    except OSError as exc:
        return msg("check.proxy.connect_failed", host=host, port=port, error=str(exc))
    w.close()
    return None


def _source(ctx: Context, proxy: str) -> str:
    env_choice = proxy_for_url(ctx.base_url, ctx.env)
    if env_choice.proxy and env_choice.proxy == proxy:
        return env_choice.source or "env"
    return "flag/profile"


async def check_proxy(ctx: Context) -> CheckResult:
    """Report the proxy route and compare it with the direct one."""
    done = Results("proxy")
    proxy = ctx.target.proxy
    ev = done.evidence
    ev["gateway"] = _origin(ctx.url("models"))  # for the commands in the remediation
    if not proxy:
        choice = proxy_for_url(ctx.base_url, ctx.env)
        if choice.bypassed_by and choice.configured:
            ev.update(
                {
                    "configured": mask(choice.configured),
                    "source": choice.source,
                    "no_proxy_match": choice.bypassed_by,
                }
            )
            direct, via = await asyncio.gather(
                _get(ctx, proxy=None, direct=True), _get(ctx, proxy=choice.configured, direct=False)
            )
            ev["direct_works"], ev["proxy_works"] = _works(direct), _works(via)
            if not _works(direct) and _works(via):
                why = msg("check.proxy.required", entry=choice.bypassed_by, error=error_msg(direct))
                return done(Status.FAIL, "required", why, exchanges=[direct, via])
            why = msg(
                "check.proxy.bypassed", source=choice.source or "env", entry=choice.bypassed_by
            )
            return done(Status.PASS, "bypassed", why, exchanges=[direct, via])
        return done(Status.PASS, "none", msg("check.proxy.none"))

    ev.update({"proxy": mask(proxy), "source": _source(ctx, proxy)})
    bad = url_problem(proxy)
    if bad:
        return _bad_url(done, bad)
    unreachable = await _reachable(proxy, ctx.timeout)
    if unreachable:
        direct = await _get(ctx, proxy=None, direct=True)
        ev["direct_works"] = _works(direct)
        detail = msg(
            "check.proxy.unreachable", reason=masked(unreachable), hint=_direct_hint(direct)
        )
        return done(Status.FAIL, "unreachable", detail, exchanges=[direct])
    parts = urlsplit(proxy)
    if parts.scheme == "https" and await speaks_plain_http(parts.hostname or "", _port(parts)):
        return _bad_url(done, plain_http_problem(proxy))
    via, direct, seen = await asyncio.gather(
        _get(ctx, proxy=proxy, direct=False),
        _get(ctx, proxy=None, direct=True),
        _cert_via(ctx, proxy),
    )
    ev["direct_works"], ev["proxy_works"] = _works(direct), _works(via)
    if seen:
        ev["certificate_via_proxy"] = seen
    ev["proxy_timings"] = via.timings
    exchanges = [via, direct]
    if via.status == 407 or via.error_kind == "proxy_auth":
        return _auth_failed(done, proxy, via, exchanges)
    if via.error_kind == "proxy_socks":
        detail = msg("check.proxy.socks_missing", hint=_direct_hint(direct))
        return done(Status.FAIL, "refused", detail, exchanges=exchanges, facts=via)
    if via.error_kind == "tls" and verify_error_text(via.error or ""):
        intercepted = await _interception(ctx, done, proxy, via, direct)
        if intercepted is not None:
            return intercepted
        detail = msg("check.proxy.ok_tls_both", proxy=mask(proxy), step=msg("step.network"))
        return done(Status.PASS, "ok", detail, exchanges=exchanges)
    upstream = await _upstream_failed(ctx, done, proxy, via, direct)
    if upstream is not None:
        return upstream
    if is_timeout(via) and is_timeout(direct):
        # A slow or silent gateway times out on both routes: not the proxy's fault.
        ev["neither_route"] = "timeout"
        detail = msg(
            "check.proxy.ok_both_timeout",
            proxy=mask(proxy),
            error=error_msg(via),
            step=msg("step.network"),
        )
        return done(Status.PASS, "ok", detail, exchanges=exchanges)
    if not _works(via):
        detail = msg("check.proxy.not_forwarding", error=_said(via), hint=_direct_hint(direct))
        return done(Status.FAIL, "refused", detail, exchanges=exchanges, facts=via)
    # Blame the proxy only when the direct route got a real answer: a gateway that
    # itself says 503 (behind a load balancer that adds Via) says it on both routes.
    if (
        via.status in _PROXY_ERRORS
        and via.header("via")
        and _works(direct)
        and direct.status not in _PROXY_ERRORS
    ):
        detail = msg("check.proxy.answers_error", status=via.status, direct=direct.status)
        return done(Status.FAIL, "refused", detail, exchanges=exchanges, facts=via)
    note = _direct_note(ctx, ev, direct)
    detail = msg("check.proxy.ok", proxy=mask(proxy), status=via.status, note=note)
    return done(Status.PASS, "ok", detail, exchanges=exchanges)


async def _cert_via(ctx: Context, proxy: str) -> dict[str, Any] | None:
    """The certificate seen through the proxy (https gateways; no request, no key), kept
    for the history: behind a proxy whose CA the machine trusts, a new re-signing issuer
    is otherwise invisible (the network step does not handshake through the proxy)."""
    parts = urlsplit(ctx.url("models"))
    if parts.scheme != "https" or not parts.hostname:
        return None
    seen = await fetch_certificate(
        parts.hostname, parts.port or 443, min(ctx.timeout, 10.0), proxy=proxy
    )
    return None if "fetch_error" in seen else seen


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _port(parts: SplitResult) -> int:
    default = {"https": 443, "socks5": 1080, "socks5h": 1080, "socks4": 1080}
    return parts.port or default.get(parts.scheme, 80)


def _bad_url(done: Results, bad: UrlProblem) -> CheckResult:
    done.evidence["url_problem"] = bad.kind
    if bad.suggestion:
        done.evidence["suggested_proxy"] = mask(bad.suggestion)
    return done(Status.FAIL, "bad_url", masked(bad.message))


def _auth_failed(
    done: Results, proxy: str, via: Exchange, exchanges: list[Exchange]
) -> CheckResult:
    """407: credentials missing (say where they go) or sent and rejected (say what to check)."""
    done.evidence["credentials_sent"] = urlsplit(proxy).username is not None
    if done.evidence["credentials_sent"]:
        detail = msg("check.proxy.auth_rejected")
        return done(Status.FAIL, "auth_rejected", detail, exchanges=exchanges, facts=via)
    detail = msg("check.proxy.auth_required")
    return done(Status.FAIL, "auth_required", detail, exchanges=exchanges, facts=via)


async def _interception(
    ctx: Context, done: Results, proxy: str, via: Exchange, direct: Exchange
) -> CheckResult | None:
    """The certificate through the proxy is not trusted: does the proxy re-sign HTTPS?

    It does when it presents another certificate than the gateway presents
    directly; when the direct route cannot tell, an untrusted certificate that
    only the proxy route shows is reported as interception too.
    """
    parts = urlsplit(ctx.url("models"))
    host, port = parts.hostname or "", parts.port or 443
    timeout = min(ctx.timeout, 10.0)
    seen, own = await asyncio.gather(
        fetch_certificate(host, port, timeout, proxy=proxy),
        fetch_certificate(host, port, timeout),
    )
    if "sha256" in seen and seen.get("sha256") == own.get("sha256"):
        return None  # the gateway's own certificate on both routes: network reports it
    issuer = seen.get("issuer") or msg("check.proxy.cert_unreadable")
    product = seen.get("interception")
    done.evidence["certificate_via_proxy"] = seen
    if "sha256" in own:
        done.evidence["certificate_direct"] = {k: own.get(k) for k in ("subject", "issuer")}
    named = msg("check.proxy.product", product=product) if product else ""
    detail = msg("check.proxy.intercepts", host=host, issuer=issuer, product=named)
    return done(Status.FAIL, "intercepts_tls", detail, exchanges=[via, direct], facts=via)


async def _upstream_failed(
    ctx: Context, done: Results, proxy: str, via: Exchange, direct: Exchange
) -> CheckResult | None:
    """The proxy works but says it could not reach the gateway (its own 502/503/504).

    Only when the direct route got no answer either: a gateway's own 5xx
    through the proxy reaches us on the direct route too.
    """
    if direct.status is not None:
        return None
    if via.status in _PROXY_ERRORS:
        status, text = via.status, page_text(via.response_body)
        server = via.header("server")
    elif via.error_kind == "proxy" and any(str(s) in (via.error or "") for s in _PROXY_ERRORS):
        parts = urlsplit(ctx.url("models"))
        answer = await connect_answer(proxy, parts.hostname or "", parts.port or 443)
        if answer is None or answer.status not in _PROXY_ERRORS:
            return None
        status, text, server = answer.status, answer.text or answer.reason, answer.server
    else:
        return None
    done.evidence["proxy_answer"] = {"status": status, "text": text, "server": server}
    facts = {
        "status": status,
        "server": msg("check.proxy.server", server=server) if server else "",
        "said": msg("check.proxy.said", text=text) if text else "",
    }
    if _CERT_WORDS.search(text or ""):
        # The proxy reached the gateway but does not trust its certificate: the gateway
        # may be fine; the proxy's trust store (or the gateway's certificate) is the fix.
        done.evidence.update(upstream_problem="certificate", advice="proxy.upstream_tls")
        detail = masked(msg("check.proxy.upstream_tls", **facts))
        return done(Status.FAIL, "upstream_failed", detail, exchanges=[via, direct], facts=via)
    detail = masked(msg("check.proxy.upstream_failed", **facts, error=error_msg(direct)))
    return done(Status.FAIL, "upstream_failed", detail, exchanges=[via, direct], facts=via)


def _direct_note(ctx: Context, ev: dict[str, Any], direct: Exchange) -> Msg | str:
    """What the direct route says beside a working proxy route: the proxy is needed only
    when the direct route cannot get through, not when it fails on TLS."""
    if _works(direct):
        return ""
    if direct.error_kind != "tls":
        return msg("check.proxy.note_needed")
    ev["direct_failure"] = "tls"
    ev["direct_ca_bundle"] = bool(ctx.target.ca_bundle)
    which = "check.proxy.note_tls_bundle" if ctx.target.ca_bundle else "check.proxy.note_tls"
    return msg(which)


def _direct_hint(direct: Exchange) -> Msg | str:
    return msg("check.proxy.hint_direct") if _works(direct) else ""


def _said(ex: Exchange) -> Msg:
    """The failure of ``ex`` with the proxy's words masked (a proxy URL may hold a password)."""
    return masked(error_msg(ex))


def masked(message: Msg) -> Msg:
    """``message`` with every text fact masked (nested messages too)."""

    def one(value: Any) -> Any:
        if isinstance(value, Msg):
            return masked(value)
        return mask(value) if isinstance(value, str) else value

    return Msg(message.id, {k: one(v) for k, v in message.params.items()})
