"""proxy: which proxy applies, is it reachable, does it want auth, does it work.

Behind a corporate or "scientific-internet" proxy the usual failure is a
mismatch: the shell has ``HTTPS_PROXY`` but the desktop client does not (or
the reverse), or ``NO_PROXY`` sends the gateway direct. So besides testing the
proxy we compare with a direct request and say which route works.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from tui.core.checks.base import Context, Results, transport_detail
from tui.core.exchange import Exchange
from tui.core.http import GatewayClient
from tui.core.masking import mask
from tui.core.model import CheckResult, Status
from tui.core.target import proxy_for_url

#: What a proxy answers when it cannot reach the gateway.
_PROXY_ERRORS = (502, 503, 504)


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


async def _reachable(proxy: str, timeout: float) -> str | None:
    """None when a TCP connection to the proxy opens, else why not."""
    try:
        parts = urlsplit(proxy)
        host = parts.hostname or ""
        default = {"https": 443, "socks5": 1080, "socks5h": 1080, "socks4": 1080}
        port = parts.port or default.get(parts.scheme, 80)
    except ValueError as exc:
        return f"the proxy URL cannot be parsed: {exc}"
    if not host:
        return "the proxy URL has no host"
    try:
        async with asyncio.timeout(min(timeout, 10.0)):
            _r, w = await asyncio.open_connection(host, port)
    except TimeoutError:
        return f"TCP connect to the proxy {host}:{port} timed out"
    except OSError as exc:
        return f"cannot connect to the proxy {host}:{port}: {exc}"
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
                return done(
                    Status.FAIL,
                    "required",
                    f"NO_PROXY entry {choice.bypassed_by!r} sends the gateway direct, which "
                    f"fails ({transport_detail(direct)}); through the proxy it answers",
                    exchanges=[direct, via],
                )
            return done(
                Status.PASS,
                "bypassed",
                f"a proxy is configured ({choice.source}) but NO_PROXY entry "
                f"{choice.bypassed_by!r} sends this gateway direct",
                exchanges=[direct, via],
            )
        return done(Status.PASS, "none", "no proxy applies: direct connection")

    ev.update({"proxy": mask(proxy), "source": _source(ctx, proxy)})
    unreachable = await _reachable(proxy, ctx.timeout)
    if unreachable:
        direct = await _get(ctx, proxy=None, direct=True)
        ev["direct_works"] = _works(direct)
        detail = mask(unreachable) + _direct_hint(direct)
        return done(Status.FAIL, "unreachable", detail, exchanges=[direct])
    via, direct = await asyncio.gather(
        _get(ctx, proxy=proxy, direct=False), _get(ctx, proxy=None, direct=True)
    )
    ev["direct_works"], ev["proxy_works"] = _works(direct), _works(via)
    ev["proxy_timings"] = via.timings
    exchanges = [via, direct]
    if via.status == 407 or via.error_kind == "proxy_auth":
        return done(
            Status.FAIL,
            "auth_required",
            "the proxy asks for authentication (407): put the user and password in the "
            "proxy URL (http://user:pass@host:port)",
            exchanges=exchanges,
            facts=via,
        )
    if via.error_kind == "proxy_socks":
        detail = (
            "this is a SOCKS proxy and SOCKS support is not installed: run "
            "`pip install 'httpx[socks]'` in gateway-doctor's environment, or use the "
            f"proxy's HTTP port{_direct_hint(direct)}"
        )
        return done(Status.FAIL, "refused", detail, exchanges=exchanges, facts=via)
    if not _works(via):
        detail = (
            f"the proxy does not forward to the gateway: {transport_detail(via)}"
            f"{_direct_hint(direct)}"
        )
        return done(Status.FAIL, "refused", detail, exchanges=exchanges, facts=via)
    # Blame the proxy only when the direct route got a real answer: a gateway that
    # itself says 503 (behind a load balancer that adds Via) says it on both routes.
    if (
        via.status in _PROXY_ERRORS
        and via.header("via")
        and _works(direct)
        and direct.status not in _PROXY_ERRORS
    ):
        detail = (
            f"the proxy answers {via.status} for the gateway while the direct route gets "
            f"HTTP {direct.status}"
        )
        return done(Status.FAIL, "refused", detail, exchanges=exchanges, facts=via)
    note = "" if _works(direct) else "; the direct route fails, so the proxy is needed"
    detail = f"through {mask(proxy)} the gateway answers HTTP {via.status}{note}"
    return done(Status.PASS, "ok", detail, exchanges=exchanges)


def _direct_hint(direct: Exchange) -> str:
    return " — the direct route works: remove the proxy setting" if _works(direct) else ""
