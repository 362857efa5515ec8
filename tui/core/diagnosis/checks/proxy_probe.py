"""Small raw probes of a proxy: is its URL right, what does it say itself.

httpx hides what a proxy says when a ``CONNECT`` fails (only "502 Bad
Gateway" reaches us, not mitmproxy's "Connect call failed"), and a proxy
given as ``https://`` that speaks plain HTTP makes the TLS handshake wait
until the connect timeout (10 s). These probes talk to the proxy directly,
each bounded by a short timeout, and never send the API key: only a
``CONNECT`` line and, when the proxy URL has them, its own credentials.
"""

from __future__ import annotations

import asyncio
import base64
import html
import re
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.trust import unverified_context

#: Proxy URL schemes httpx can use (socks needs the ``httpx[socks]`` extra).
SCHEMES = ("http", "https", "socks5", "socks5h")
#: How long a probe may take: detection must be quicker than the connect timeout.
PROBE_TIMEOUT = 3.0
#: The most of a proxy's own error page that is read.
MAX_BODY = 4096


@dataclass(frozen=True, slots=True)
class ProxyAnswer:
    """What a proxy itself answered to ``CONNECT``: status line, a short text, headers."""

    status: int | None
    reason: str
    text: str
    server: str | None = None


@dataclass(frozen=True, slots=True)
class UrlProblem:
    """Why a proxy URL cannot work: a kind (for translations), a sentence, a fix."""

    kind: str  # no_scheme | bad_scheme | no_host | unparsable | plain_http
    message: Msg
    suggestion: str | None = None


def url_problem(proxy: str) -> UrlProblem | None:
    """Why ``proxy`` cannot be used as a proxy URL, or None when it can."""
    raw = proxy.strip()
    if "://" not in raw:
        fix = _hide_password(f"http://{raw}")
        return UrlProblem("no_scheme", msg("check.proxy.url.no_scheme", fix=fix), fix)
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return UrlProblem("unparsable", msg("check.proxy.url.unparsable", error=str(exc)))
    if parts.scheme.lower() not in SCHEMES:
        return UrlProblem("bad_scheme", msg("check.proxy.url.bad_scheme", scheme=parts.scheme))
    if not parts.hostname:
        return UrlProblem("no_host", msg("check.proxy.url.no_host"))
    return None


def _hide_password(url: str) -> str:
    """``url`` with its password (up to the last ``@``, as parsers read it) as ``****``."""
    scheme, _, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    userinfo, at, host = netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return f"{scheme}://{userinfo.split(':', 1)[0]}:****@{host}{slash}{path}"


def plain_http_problem(proxy: str) -> UrlProblem:
    """An ``https://`` proxy URL for a proxy that speaks plain HTTP."""
    fix = _hide_password("http://" + proxy.strip().split("://", 1)[1])
    return UrlProblem("plain_http", msg("check.proxy.url.plain_http", fix=fix), fix)


async def speaks_plain_http(host: str, port: int, timeout: float = PROBE_TIMEOUT) -> bool:
    """True when ``host:port`` fails a TLS handshake but answers plain HTTP.

    That is an ``https://`` proxy URL for a plain HTTP proxy: the handshake
    either breaks (the proxy answers "400 Bad Request" in clear text) or
    waits for bytes that never come.
    """
    try:
        async with asyncio.timeout(timeout):
            _r, w = await asyncio.open_connection(
                host, port, ssl=unverified_context(), server_hostname=host
            )
        w.close()
        return False  # TLS works: it really is an https proxy
    except (TimeoutError, ssl.SSLError, ConnectionError, OSError):
        pass
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(b"CONNECT gateway-doctor.invalid:443 HTTP/1.1\r\n\r\n")
                await writer.drain()
                first = await reader.read(16)
            finally:
                writer.close()
    except (TimeoutError, ConnectionError, OSError):
        return False
    return first.startswith(b"HTTP/")


async def connect_answer(
    proxy: str, host: str, port: int, timeout: float = PROBE_TIMEOUT
) -> ProxyAnswer | None:
    """The proxy's own answer to ``CONNECT host:port`` (status, reason, page text), or None."""
    parts = urlsplit(proxy)
    lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
    if parts.username is not None:
        user = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        lines.append("Proxy-Authorization: Basic " + base64.b64encode(user.encode()).decode())
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(parts.hostname or "", parts.port or 80)
            try:
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                body = await _body(reader, head)
            finally:
                writer.close()
    except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    return parse_answer(head, body)


async def _body(reader: asyncio.StreamReader, head: bytes) -> bytes:
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    if m:
        want = min(int(m.group(1)), MAX_BODY)
        return await reader.read(want) if want else b""
    if not head.startswith(b"HTTP/1.1 2") and not head.startswith(b"HTTP/1.0 2"):
        try:
            async with asyncio.timeout(1.0):
                return await reader.read(MAX_BODY)  # an error page closed by the proxy
        except TimeoutError:
            return b""
    return b""


def parse_answer(head: bytes, body: bytes) -> ProxyAnswer:
    """Status, reason, the page's readable text and ``Server`` from a raw answer."""
    first = head.split(b"\r\n", 1)[0].decode("latin-1")
    m = re.match(r"HTTP/\d(?:\.\d)?\s+(\d{3})\s*(.*)", first)
    status, reason = (int(m.group(1)), m.group(2).strip()) if m else (None, first[:80])
    server = re.search(rb"(?im)^server:\s*([^\r\n]{1,120})", head)
    return ProxyAnswer(
        status, reason, page_text(body), server.group(1).decode("latin-1") if server else None
    )


def page_text(body: bytes | str, limit: int = 160) -> str:
    """An error page as one line of readable text (tags and extra spaces removed)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text[:MAX_BODY])
    text = re.sub(r"<[^>]{0,500}>", " ", text)
    text = " ".join(html.unescape(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
