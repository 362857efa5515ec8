"""network: DNS, TCP connect, TLS handshake, first HTTP answer, redirects.

Each phase is timed separately (like httpstat) so "it times out" becomes
"DNS is fine, TCP connect to 1.2.3.4:443 hangs". DNS uses ``loop.getaddrinfo``,
TCP/TLS use asyncio streams with the ``ssl`` module directly (so we can show the
certificate), and the first HTTP answer goes through the recording client.
A redirect is a warning: most clients turn the POST of a completion into a
GET when they follow a 301/302, so the base URL should be the final one.
The keyless probe follows redirects anywhere to report where they lead, but
the checks that send the key adopt the new address only when every hop stays
on the configured origin (scheme, host, port; ``tui.core.net.origin``). They then
send their own requests there, so no method or body is lost. A redirect to
another origin (another host or port, or http ↔ https) fails this step: the
key is not sent until the user changes the base URL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import ssl
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

from tui.core.diagnosis.checks import intermediaries
from tui.core.diagnosis.checks.base import Context, Results, short, skipped
from tui.core.diagnosis.checks.classify import GATEWAY_STATUSES, html_title, is_html
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange
from tui.core.net.http import CaBundleError, build_verify
from tui.core.net.origin import same_origin
from tui.core.net.tls_facts import (
    also_kinds,
    fetch_certificate,
    kind_of,
    verify_error_text,
    verify_handshake,
)
from tui.core.net.tls_text import problem_msg, tls_message
from tui.core.net.transport_error import error_msg
from tui.core.net.trust import system_context

_KIND_TO_CODE = {
    "dns": "dns_failed",
    "connect_refused": "connect_refused",
    "connect": "connect_refused",
    "connect_timeout": "connect_timeout",
    "tls": "tls_failed",
    "read_timeout": "timeout",
    "total_timeout": "timeout",
    "timeout": "timeout",
}
MAX_REDIRECTS = 5
#: The whole redirect chain gets this many times --timeout; a hop needs at least
#: MIN_HOP_SECONDS of it to be sent.
REDIRECT_BUDGET = 2
MIN_HOP_SECONDS = 0.5


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)


async def probe_dns(host: str, port: int, timeout: float) -> tuple[list[str], float, Msg | None]:
    """``(addresses, ms, error)`` for ``host``; IP literals resolve instantly."""
    loop = asyncio.get_running_loop()
    t0 = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        return [], _ms(t0), msg("check.network.dns_timeout", host=host, limit=timeout)
    except (socket.gaierror, OSError, UnicodeError) as exc:
        return [], _ms(t0), msg("check.network.dns_failed", host=host, error=str(exc))
    addrs: list[str] = []
    for info in infos:
        a = str(info[4][0])
        if a not in addrs:
            addrs.append(a)
    return addrs, _ms(t0), None


def _cert_facts(sslobj: ssl.SSLObject | None) -> dict[str, Any]:
    if sslobj is None:
        return {}
    facts: dict[str, Any] = {"version": sslobj.version(), "cipher": (sslobj.cipher() or ("",))[0]}
    cert = sslobj.getpeercert()
    if cert:

        def name(field: str) -> str:
            rdns: Any = cert.get(field, ())  # ((("commonName", "x"),), …)
            parts = [f"{k}={v}" for rdn in rdns for k, v in rdn]
            return ", ".join(parts)

        facts["subject"] = name("subject")
        facts["issuer"] = name("issuer")
        sans: Any = cert.get("subjectAltName", ())  # (("DNS", "x"), …)
        facts["names"] = [v for _k, v in sans][:20]
        not_after = cert.get("notAfter")
        if isinstance(not_after, str):
            facts["not_after"] = not_after
            expires = ssl.cert_time_to_seconds(not_after)
            facts["days_left"] = int((expires - time.time()) // 86400)
    else:
        facts["verified"] = False  # --insecure: the certificate was not checked
    return facts


async def probe_tcp_tls(
    host: str, addr: str, port: int, use_tls: bool, ctx: Context
) -> tuple[dict[str, Any], str | None, Msg | None]:
    """``(facts, code, error)``: TCP connect then the TLS handshake, each timed."""
    facts: dict[str, Any] = {"address": addr}
    timeout = min(ctx.timeout, 10.0)
    t0 = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            # Every resolved address, IPv6/IPv4 raced like browsers do (happy eyeballs).
            _reader, writer = await asyncio.open_connection(host, port, happy_eyeballs_delay=0.25)
    except TimeoutError:
        where = {"host": host, "port": port}
        return facts, "connect_timeout", msg("check.network.tcp_timeout", **where, limit=timeout)
    except ConnectionRefusedError as exc:
        where = {"host": host, "port": port, "error": str(exc)}
        return facts, "connect_refused", msg("check.network.tcp_refused", **where)
    except OSError as exc:
        where = {"host": host, "port": port, "error": str(exc)}
        return facts, "connect_refused", msg("check.network.tcp_failed", **where)
    facts["connect_ms"] = _ms(t0)
    peer = writer.get_extra_info("peername")
    if peer:
        facts["address"] = str(peer[0])
    try:
        if use_tls:
            try:
                # Verified even under --insecure: the problem it hides is still reported.
                verify = build_verify(dataclasses.replace(ctx.target, insecure=False))
            except CaBundleError as exc:
                return facts, "tls_failed", exc.message
            sslctx = verify if isinstance(verify, ssl.SSLContext) else system_context()
            t1 = time.perf_counter()
            try:
                async with asyncio.timeout(timeout):
                    await writer.start_tls(sslctx, server_hostname=host)
            except TimeoutError:
                return facts, "tls_failed", msg("check.network.tls_timeout", host=host)
            except ssl.SSLCertVerificationError as exc:
                message = str(exc.verify_message or exc)
                problem, cert = await _certificate_problem(
                    host, port, exc.verify_code, message, timeout
                )
                facts.update(tls_problem=problem, certificate=cert)
                if not ctx.target.insecure:
                    return facts, "tls_failed", problem_msg(problem, cert)
                return facts, None, None
            except (ssl.SSLError, OSError) as exc:
                error = str(exc)
                return (
                    facts,
                    "tls_failed",
                    msg("check.network.tls_handshake", host=host, error=error),
                )
            facts["tls_ms"] = _ms(t1)
            facts["tls"] = _cert_facts(writer.get_extra_info("ssl_object"))
    finally:
        writer.close()
        try:
            async with asyncio.timeout(1):
                await writer.wait_closed()
        except (TimeoutError, OSError, ssl.SSLError):
            pass
    return facts, None, None


async def _certificate_problem(
    host: str, port: int, code: int | None, message: str, timeout: float, proxy: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(tls_problem, certificate)``: what was presented (fetched unverified, no key) and why
    it is not trusted."""
    cert = await fetch_certificate(host, port, timeout, proxy=proxy)
    problem: dict[str, Any] = {
        "kind": kind_of(code, message, cert, host),
        "message": message,
        "verify_code": code,
        "host": host,
        "port": port,
    }
    if also := also_kinds(problem["kind"], cert, host):
        problem["also"] = also  # e.g. an unknown issuer AND another host's name
    return problem, cert


async def _tls_failed(
    ctx: Context, done: Results, ex: Exchange, chain: list[Exchange]
) -> CheckResult:
    """A failed TLS handshake of the client: the certificate facts, the kind and its fix.

    ``ex`` may be a redirect's target (``chain`` longer than one): the problem is
    reported there, not as an odd answer from the first address.
    """
    parts = urlsplit(ex.url)
    host, port = parts.hostname or "", parts.port or 443
    found = verify_error_text(ex.error or "")
    if found is None:
        return done(Status.FAIL, "tls_failed", error_msg(ex), exchanges=chain, facts=ex)
    code, message = found
    problem, cert = await _certificate_problem(
        host, port, code, message, min(ctx.timeout, 10.0), proxy=ctx.client.proxy_label
    )
    if len(chain) > 1:
        problem["url"] = ex.url
        done.evidence["redirects"] = [
            {"status": e.status, "url": e.url, "location": e.header("location")} for e in chain
        ]
    done.evidence.update(tls_problem=problem, certificate=cert)
    return done(Status.FAIL, "tls_failed", problem_msg(problem, cert), exchanges=chain, facts=ex)


async def _proxy_url_wrong(ctx: Context, proxy: str) -> bool:
    """Wait for the proxy step when its URL may be wrong (no scheme, ``https://``).

    The proxy step tells in under 3 s; this step's own request would wait for the
    connect timeout (10 s) in a TLS handshake the plain proxy never answers.
    """
    if urlsplit(proxy).scheme in ("http", "socks5", "socks5h", "socks4"):
        return False
    found = await ctx.result_of("proxy")
    return found is not None and found.code == "proxy.bad_url"


async def _hidden_behind_proxy(
    ctx: Context, ev: dict[str, Any], host: str, port: int, proxy: str
) -> bool:
    """--insecure through a proxy: verify through the tunnel; record what it hides.

    True when the verdict is known (trusted or not), False when no handshake could be made.
    """
    try:
        sslctx = build_verify(dataclasses.replace(ctx.target, insecure=False))
    except CaBundleError:
        return False
    if not isinstance(sslctx, ssl.SSLContext):
        sslctx = system_context()
    timeout = min(ctx.timeout, 10.0)
    verdict, code, message = await verify_handshake(host, port, sslctx, timeout, proxy=proxy)
    if verdict == "untrusted":
        problem, cert = await _certificate_problem(host, port, code, message, timeout, proxy)
        ev.update(tls_problem=problem, certificate=cert)
    return verdict != "unchecked"


async def _follow(ctx: Context, url: str) -> list[Exchange]:
    """The keyless probe and the redirects it leads to, within one time budget.

    A hop whose exchange failed (its body held past the limit, say) ends the
    chain, and all hops together get REDIRECT_BUDGET times ``--timeout``: six slow
    hops must not stretch this step to six limits.
    """
    ex = await ctx.request("GET", url, step="network", auth=False)
    chain = [ex]
    left = REDIRECT_BUDGET * ctx.timeout - ex.duration_ms / 1000
    while ex.status in (301, 302, 303, 307, 308) and ex.header("location") and not ex.error:
        if len(chain) > MAX_REDIRECTS or left < MIN_HOP_SECONDS:
            break
        url = ex.redirect_to or urljoin(url, ex.header("location") or "")
        limit = min(ctx.timeout, left)
        ex = await ctx.request("GET", url, step="network", auth=False, total_timeout=limit)
        chain.append(ex)
        left -= ex.duration_ms / 1000
    return chain


def _effective_base(final_url: str) -> str:
    return final_url[: -len("/models")] if final_url.rstrip("/").endswith("/models") else final_url


async def check_network(ctx: Context) -> CheckResult:
    """Can we reach the gateway? A failure explained by a failed proxy step defers to it.

    (``NO_PROXY`` sending an intranet gateway direct fails DNS here *and* is
    ``proxy.required`` there: one root cause, not two reds.)
    """
    res = await _check_network(ctx)
    if res.failed:
        proxy_result = await ctx.result_of("proxy")
        if proxy_result is not None and proxy_result.failed:
            ev = {**res.evidence, "blocked_by": [proxy_result.code], "own_result": res.code}
            why = msg(
                "check.network.waits_for_proxy", step=msg("step.proxy"), code=proxy_result.code
            )
            return skipped("network", why, evidence=ev)
    return res


async def _check_network(ctx: Context) -> CheckResult:
    """Can we reach the gateway and get an HTTP answer from it?"""
    parts = urlsplit(ctx.base_url)
    host = parts.hostname or ""
    use_tls = parts.scheme == "https"
    port = parts.port or (443 if use_tls else 80)
    done = Results("network", {"host": host, "port": port, "scheme": parts.scheme})
    ev = done.evidence
    proxy = ctx.target.proxy
    if proxy:
        ev["via_proxy"] = True
        if await _proxy_url_wrong(ctx, proxy):
            wrong = msg("check.network.proxy_url_wrong", step=msg("step.proxy"))
            return done(Status.FAIL, "connect_refused", wrong)
    else:
        addrs, dns_ms, err = await probe_dns(host, port, min(ctx.timeout, 10.0))
        ev["dns"] = {"addresses": addrs, "ms": dns_ms}
        if err or not addrs:
            err = err or msg("check.network.dns_empty", host=host)
            return done(Status.FAIL, "dns_failed", err)
        facts, code, err = await probe_tcp_tls(host, addrs[0], port, use_tls, ctx)
        ev.update(facts)
        if code:
            return done(Status.FAIL, code, err or msg("check.network.failed", code=code))

    chain = await _follow(ctx, ctx.url("models"))
    first = chain[0]
    ev["timings"] = first.timings
    if proxy and first.status == 407:
        # Only the gateway's own answer shows it is reachable; 407 is the proxy's.
        only_proxy = msg("check.network.proxy_407")
        return done(Status.FAIL, "gateway_error", only_proxy, facts=first)
    if chain[-1].error_kind == "tls":
        return await _tls_failed(ctx, done, chain[-1], chain)
    if first.error:
        code = _KIND_TO_CODE.get(first.error_kind or "other", "gateway_error")
        detail = error_msg(first)
        if code == "timeout" and "limit" not in detail.params:
            detail = msg("check.network.no_answer", limit=ctx.timeout, error=detail)
        return done(Status.FAIL, code, detail, facts=first)
    ev["http"] = {
        "status": first.status,
        "server": first.header("server"),
        "http_version": first.http_version,
        "ttfb_ms": first.timings.get("ttfb"),
    }
    if len(chain) > 1:
        return _redirected(ctx, done, chain)
    text = first.text()
    seen = intermediaries.wrote_error(first.status, first.response_headers, first.response_body)
    if first.status in GATEWAY_STATUSES and (
        first.status != 503 or is_html(first.content_type, text) or seen is not None
    ):
        title = html_title(text) if is_html(first.content_type, text) else short(text, 120)
        server = first.header("server") or "?"
        said = {"status": first.status, "server": server, "title": title}
        detail = msg("check.network.intermediary" + ("_titled" if title else ""), **said)
        if seen is not None:  # its own advice (nginx 504 is not Cloudflare's 100 s)
            ev.update(intermediary=seen.evidence(), advice=seen.advice)
            detail = intermediaries.gateway_message(first.status, seen, title)
        return done(Status.FAIL, "gateway_error", detail, facts=first)
    if use_tls and ctx.target.insecure:
        checked = not proxy or await _hidden_behind_proxy(ctx, ev, host, port, proxy)
        ev.update(tls_verification="disabled", tls_checked=checked)
        unverified = tls_message(ev) or msg("tls.unverified.unseen")
        return done(Status.WARN, "tls_unverified", unverified, facts=first)
    which = "check.network.ok_keyless" if first.status == 401 else "check.network.ok"
    ok = msg(which, host=host, port=port, status=first.status, ms=first.duration_ms)
    return done(Status.PASS, "ok", ok, facts=first)


def _redirected(ctx: Context, done: Results, chain: list[Exchange]) -> CheckResult:
    """Report where the base URL leads; adopt it only when the key can follow (same origin)."""
    ev = done.evidence
    first, last = chain[0], chain[-1]
    base = ctx.base_url or ctx.target.base_url
    hops = [{"status": e.status, "url": e.url, "location": e.header("location")} for e in chain]
    ev["redirects"] = hops
    targets = [urljoin(e.url, e.header("location") or "") for e in chain[:-1]]
    target_url = targets[0]
    away = next((t for t in targets if not same_origin(t, base)), None)
    answered = last.status is not None and not (300 <= last.status < 400) and not last.error
    ev["redirect_from"], ev["redirect_to"] = first.url, away or target_url
    if last.status is not None and 300 <= last.status < 400:
        loop = msg(
            "check.network.redirect_loop", count=len(chain) - 1, url=first.url, to=target_url
        )
        return done(Status.FAIL, "redirect", loop, exchanges=chain, facts=first)
    if away is not None:
        suggested = _effective_base(last.url if answered else away)
        ev.update(other_origin=True, suggested_base_url=suggested)
        moved = msg("check.network.redirect_away", url=first.url, to=away, base=suggested)
        return done(Status.FAIL, "redirect", moved, exchanges=chain, facts=first)
    if last.error:
        code = _KIND_TO_CODE.get(last.error_kind or "other", "gateway_error")
        failed = msg(
            "check.network.redirect_failed", url=first.url, to=last.url, error=error_msg(last)
        )
        return done(Status.FAIL, code, failed, exchanges=chain, facts=last)
    # The address the key will go to is the gateway's own, not its masked text.
    reached = chain[-2].redirect_to or last.url
    if answered and reached.rstrip("/").endswith("/models"):
        ctx.base_url = _effective_base(reached)
        ev["effective_base_url"] = ctx.base_url
    base_url = _effective_base(target_url)
    moved = msg("check.network.redirect", status=first.status, to=target_url, base=base_url)
    return done(Status.WARN, "redirect", moved, exchanges=chain, facts=first)
