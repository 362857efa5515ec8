"""The HTTP transport: every request is bounded in time and recorded.

:class:`GatewayClient` wraps ``httpx.AsyncClient``. Each call returns an
:class:`~tui.core.net.exchange.Exchange` (also appended to the log) whether it
succeeded or not: transport errors become ``error``/``error_kind`` instead of
exceptions, so checks and chat classify failures instead of crashing.
Phase timings come from httpx's ``trace`` extension.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import os
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urljoin

import httpx

from tui import __version__
from tui.core.diagnosis.model import Target
from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.body_decode import ACCEPT_ENCODING, KEEP_OF_BOMB, BodyDecoder, BodyError
from tui.core.net.body_limits import MASK_MARGIN, MAX_STORED_SSE_BODY, cut_to_limit
from tui.core.net.exchange import MAX_STORED_BODY, Exchange, ExchangeLog, masked_exchange, now_iso
from tui.core.net.origin import withheld_reason
from tui.core.net.sse import ParsedEvent, SseParser
from tui.core.net.sse_keep import EventKeeper
from tui.core.net.transport_error import quoted, set_error, transport_error
from tui.core.net.trust import system_context
from tui.core.safe import json_parse as safe_json

USER_AGENT = f"gateway-doctor/{__version__}"

#: Exchanges bigger than this are masked in a worker thread, not on the event loop.
OFF_LOOP_BYTES = 256 * 1024
#: A read of a stream is parsed in slices this big, yielding to the loop between them.
PARSE_SLICE = 8 * 1024
#: Reads between two yields to the loop (a flood of one-byte chunks never pauses by itself).
YIELD_EVERY = 64

SseCallback = Callable[[ParsedEvent, float], Awaitable[None] | None]


class StopReading(Exception):  # noqa: N818 - a signal, not a failure of ours
    """Raised by an ``on_sse`` callback to stop reading; recorded as ``kind`` and the message
    (a catalogue message, or an English line for a caller not yet converted)."""

    def __init__(self, kind: str, message: str | Msg) -> None:
        super().__init__(render(message, "en"))
        self.kind = kind
        self.message = message


class CaBundleError(ValueError):
    """The CA bundle cannot be loaded; the message names the file and what to give."""

    def __init__(self, message: Msg) -> None:
        super().__init__(render(message, "en"))
        self.message = message


def build_verify(target: Target) -> ssl.SSLContext | bool:
    """TLS verification: the OS store by default (trust.py); a CA bundle replaces it."""
    if target.insecure:
        return False
    if target.ca_bundle:
        try:
            return ssl.create_default_context(cafile=target.ca_bundle)
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise CaBundleError(
                msg("transport.ca_bundle", path=target.ca_bundle, said=quoted(str(exc)))
            ) from exc
    return system_context()


_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy")


def _env_proxies() -> bool:
    return any(os.environ.get(v) or os.environ.get(v.upper()) for v in _PROXY_VARS)


class _TlsWhenNeeded(httpx.AsyncBaseTransport):
    """For an ``http://`` gateway: no TLS context (OS store, CA file) until an
    ``https://`` URL needs one (a redirect can lead there), then a verified one."""

    def __init__(self, target: Target, limits: httpx.Limits) -> None:
        self._target, self._limits = target, limits
        self._plain: httpx.AsyncHTTPTransport | None = None
        self._tls: httpx.AsyncHTTPTransport | None = None

    def _for(self, scheme: str) -> httpx.AsyncHTTPTransport:
        if scheme == "https":
            if self._tls is None:
                verify = build_verify(self._target)  # CaBundleError: classified per request
                self._tls = httpx.AsyncHTTPTransport(verify=verify, limits=self._limits)
            return self._tls
        if self._plain is None:
            # verify=False builds a bare context without loading certificates; never used.
            self._plain = httpx.AsyncHTTPTransport(verify=False, limits=self._limits)
        return self._plain

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._for(request.url.scheme).handle_async_request(request)

    async def aclose(self) -> None:
        for inner in (self._plain, self._tls):
            if inner is not None:
                await inner.aclose()


def make_client(
    target: Target, *, proxy: str | None = None, direct: bool = False
) -> httpx.AsyncClient:
    """An AsyncClient for ``target``; ``direct`` ignores every proxy setting."""
    timeout = httpx.Timeout(target.timeout, connect=min(target.timeout, 10.0))
    kwargs: dict[str, Any] = {
        "timeout": timeout,
        "follow_redirects": False,
        "headers": {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        "trust_env": False if direct else target.trust_env,
    }
    chosen = None if direct else (proxy or target.proxy)
    if chosen:
        kwargs["proxy"] = chosen
        kwargs["trust_env"] = False
    elif target.base_url.strip().lower().startswith("http://") and not (
        kwargs["trust_env"] and _env_proxies()
    ):
        kwargs["transport"] = _TlsWhenNeeded(target, httpx.Limits())
        return httpx.AsyncClient(**kwargs)
    kwargs["verify"] = build_verify(target)
    return httpx.AsyncClient(**kwargs)


class GatewayClient:
    """Makes requests to a gateway and records each one in ``log``."""

    def __init__(
        self,
        target: Target,
        log: ExchangeLog,
        *,
        proxy: str | None = None,
        direct: bool = False,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.target = target
        self.log = log
        self.proxy_label = None if direct else (proxy or target.proxy)
        #: Why no client could be built (SOCKS without its extra, a bad CA bundle...):
        #: every request then records this as its error instead of raising.
        self.setup_error: Exception | None = None
        try:
            self._client = client or make_client(target, proxy=proxy, direct=direct)
        except Exception as exc:  # noqa: BLE001 - reported per request, classified
            self.setup_error = exc
            self._client = httpx.AsyncClient(trust_env=False, timeout=1.0)

    async def __aenter__(self) -> GatewayClient:
        return self

    def _timeouts(self) -> httpx.Timeout | None:
        timeout = getattr(self._client, "timeout", None)
        return timeout if isinstance(timeout, httpx.Timeout) else None

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def auth_headers(self) -> dict[str, str]:
        if not self.target.api_key:
            return {}
        return {"Authorization": f"Bearer {self.target.api_key.strip()}"}

    async def request(
        self,
        method: str,
        url: str,
        *,
        step: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        stream: bool = False,
        on_sse: SseCallback | None = None,
        total_timeout: float | None = None,
        auth: bool = True,
    ) -> Exchange:
        """Send one request; never raises for network or HTTP failures.

        ``total_timeout`` bounds the whole exchange (headers and body);
        it defaults to twice the per-read timeout for plain requests.
        Cancellation (e.g. the user pressed Esc) is recorded, then re-raised.
        """
        hdrs = {
            "Accept": "text/event-stream" if stream else "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,  # not br/zstd: see body_decode
        }
        if auth:
            hdrs.update(self.auth_headers())
        hdrs.update(headers or {})
        body = jsonlib.dumps(json, ensure_ascii=False).encode() if json is not None else b""
        if json is not None:
            hdrs["Content-Type"] = "application/json"
        ex = Exchange(
            id=self.log.new_id(),
            step=step,
            started_at=now_iso(),
            method=method,
            url=url,
            request_body=body,
            streamed=stream,
            proxy=self.proxy_label,
            ca_bundle=self.target.ca_bundle,
            tls_verify=not self.target.insecure,
        )
        withheld = withheld_reason(url, self.target.base_url, self.target.api_key, hdrs)
        if withheld is not None:  # the key goes only to the configured origin (origin.py)
            set_error(ex, "key_withheld", withheld)
            self.log.add(ex)
            return ex
        trace = _Trace()
        start = ex.perf_start = time.perf_counter()
        limit = total_timeout if total_timeout is not None else self.target.timeout * 2
        try:
            if self.setup_error is not None:
                raise self.setup_error
            request = self._client.build_request(
                method, url, content=body or None, headers=hdrs, extensions={"trace": trace}
            )
            ex.request_headers = list(request.headers.multi_items())
            self.log.started(ex)  # the inspector shows it as pending until it ends
            async with asyncio.timeout(limit):
                response = await self._client.send(request, stream=True)
                try:
                    ex.status = response.status_code
                    ex.reason = response.reason_phrase
                    ex.http_version = response.http_version
                    ex.response_headers = list(response.headers.multi_items())
                    if 300 <= response.status_code < 400 and "location" in response.headers:
                        ex.redirect_to = urljoin(url, response.headers["location"])
                    trace.mark("headers")
                    await _read_body(ex, response, start, on_sse)
                finally:
                    await response.aclose()
        except (StopReading, BodyError) as exc:
            said = getattr(exc, "message", None)
            if isinstance(said, Msg):
                set_error(ex, exc.kind, said)
            else:  # a message not yet in the catalogue: its English line, said as is
                ex.error_kind, ex.error = exc.kind, str(exc)
        except TimeoutError:
            set_error(ex, "total_timeout", msg("transport.total_timeout", limit=limit))
        except asyncio.CancelledError:
            set_error(ex, "cancelled", msg("transport.cancelled"))
            _finish(ex, trace, start)
            await _record(self.log, ex)
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is classified, not raised
            set_error(ex, *transport_error(exc, self._timeouts()))
        _finish(ex, trace, start)
        await _record(self.log, ex)
        return ex


async def _read_body(
    ex: Exchange, response: httpx.Response, start: float, on_sse: SseCallback | None
) -> None:
    """Read the body into at most MAX_STORED_BODY bytes (a stream's into MAX_STORED_SSE_BODY);
    SSE events kept bounded (sse_keep).

    The raw bytes are decoded here (body_decode), not by httpx, in bounded steps
    with a yield between them: a compression bomb cannot hold the loop or the memory.
    """
    is_sse = "text/event-stream" in response.headers.get("content-type", "").lower()
    parser = SseParser() if is_sse else None
    keeper = EventKeeper(ex) if is_sse else None
    body = bytearray()
    keep = MAX_STORED_SSE_BODY if is_sse else MAX_STORED_BODY
    reads = 0

    async def take(chunk: bytes) -> None:
        ex.body_size += len(chunk)
        room = keep + MASK_MARGIN - len(body)  # cut to `keep` once masked (_record)
        if room > 0:
            body.extend(chunk[:room])
        if ex.body_size > keep:
            ex.body_truncated = True
        if parser is not None and keeper is not None:
            offset = (time.perf_counter() - start) * 1000
            for i in range(0, len(chunk), PARSE_SLICE):
                if i:
                    # Thousands of events in one read: let timeouts and Ctrl-C in.
                    await asyncio.sleep(0)
                for pe in parser.feed(chunk[i : i + PARSE_SLICE]):
                    await _deliver(keeper, pe, offset, on_sse)

    try:
        if response.is_stream_consumed:  # read and decoded by httpx already (MockTransport)
            decoder, raws = BodyDecoder(""), _one(response.content)
        else:
            decoder = BodyDecoder(",".join(response.headers.get_list("content-encoding")))
            raws = response.aiter_raw()
        async for raw in raws:
            reads += 1
            if reads % YIELD_EVERY == 0:
                # Tiny chunks already buffered come without a pause: let timeouts in.
                await asyncio.sleep(0)
            if keeper is not None:
                keeper.stats.chunks += 1
            for chunk in decoder.feed(raw):
                if decoder.active:
                    await asyncio.sleep(0)  # one bounded decoding step at a time
                await take(chunk)
        for chunk in decoder.flush():
            await take(chunk)
        if parser is not None and keeper is not None:
            offset = (time.perf_counter() - start) * 1000
            for pe in parser.close():
                await _deliver(keeper, pe, offset, on_sse)
    except BodyError as exc:
        if exc.kind == "too_large":  # a bomb's filler: not worth storing or masking
            del body[KEEP_OF_BOMB + MASK_MARGIN :]  # cut to KEEP_OF_BOMB once masked
            ex.body_truncated = True
        raise
    finally:
        # Also on a timeout or cancel: what arrived stays visible, counters included.
        ex.response_body = bytes(body)
        if keeper is not None:
            keeper.finish(parser, (time.perf_counter() - start) * 1000)


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _deliver(
    keeper: EventKeeper, pe: ParsedEvent, offset: float, on_sse: SseCallback | None
) -> None:
    keeper.add(pe, offset)
    if on_sse is not None:
        result = on_sse(pe, offset)
        if asyncio.iscoroutine(result):
            await result


async def _record(log: ExchangeLog, ex: Exchange) -> None:
    """Mask, cut to its limit and log ``ex``; a large exchange is masked in a thread so
    the loop stays free."""
    if _weight(ex) > OFF_LOOP_BYTES:
        try:
            await asyncio.to_thread(masked_exchange, ex)
        except asyncio.CancelledError:
            # Cancelled again while masking: keep the record, not the unmasked body.
            ex.response_body, ex.body_truncated = b"", True
            masked_exchange(ex)
            log.add(ex, premasked=True)
            raise
    else:
        masked_exchange(ex)
    cut_to_limit(ex)
    log.add(ex, premasked=True)


def _weight(ex: Exchange) -> int:
    """Rough size of what masking an exchange has to scan."""
    return len(ex.response_body) + len(ex.request_body) + sum(len(e.data) for e in ex.sse_events)


def _finish(ex: Exchange, trace: _Trace, start: float) -> None:
    ex.duration_ms = (time.perf_counter() - start) * 1000
    ex.timings = trace.phases(start, ex.duration_ms)
    if ex.status is None:
        # No answer from the gateway: a first byte seen was the proxy's CONNECT answer.
        ex.timings.pop("ttfb", None)
        ex.timings.pop("transfer", None)


class _Trace:
    """Collects httpcore trace events to split time into httpstat-like phases.

    Through an HTTP proxy an https request is two exchanges on one socket: the
    ``CONNECT`` to the proxy, then (after TLS inside the tunnel) the request to
    the gateway. Each event keeps its first and last time, so server
    processing is measured on the gateway's answer (the last exchange), and
    the ``CONNECT`` round trip counts as connecting, like curl's ``connect``.
    """

    def __init__(self) -> None:
        self.t: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.t.setdefault(name, now)
        self.last[name] = now

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        self.mark(name)

    def phases(self, start: float, total_ms: float) -> dict[str, float]:
        t, last = self.t, self.last

        def ms(a: float, b: float) -> float:
            return round((b - a) * 1000, 2)

        out: dict[str, float] = {}
        tcp_a, tcp_b = "connection.connect_tcp.started", "connection.connect_tcp.complete"
        tls_key = next(
            (k for k in ("proxy.start_tls", "connection.start_tls") if f"{k}.started" in t),
            None,
        )
        send = _suffix(last, "send_request_headers.started")
        sent = _suffix(last, "send_request_body.complete") or send
        recv = _suffix(last, "receive_response_headers.complete")
        first_recv = _suffix(t, "receive_response_headers.complete")
        if tcp_a in t and tcp_b in t:
            out["connect"] = ms(t[tcp_a], t[tcp_b])
            if tls_key == "proxy.start_tls" and first_recv is not None:
                # TCP to the proxy plus its answer to CONNECT: the tunnel is up.
                out["proxy_connect"] = ms(t[tcp_b], t[first_recv[0]])
                out["connect"] = ms(t[tcp_a], t[first_recv[0]])
        if tls_key is not None and f"{tls_key}.complete" in t:
            out["tls"] = ms(t[f"{tls_key}.started"], t[f"{tls_key}.complete"])
        if sent and recv:
            out["ttfb"] = ms(last[sent[0]], last[recv[0]])
            out["transfer"] = round(max(0.0, total_ms - (last[recv[0]] - start) * 1000), 2)
        elif "headers" in t:
            out["ttfb"] = ms(start, t["headers"])
        out["total"] = round(total_ms, 2)
        return out


def _suffix(t: dict[str, float], suffix: str) -> tuple[str] | None:
    """The trace event ending in ``suffix`` (http11 / http2 prefixes), as a 1-tuple."""
    key = next((k for k in t if k.endswith(suffix)), None)
    return (key,) if key is not None else None


def classify_transport_error(
    exc: BaseException, timeouts: httpx.Timeout | None = None
) -> tuple[str, str]:
    """``(kind, English line)`` for an httpx/OS exception (:func:`transport_error` has the
    message itself)."""
    kind, message = transport_error(exc, timeouts)
    return kind, render(message, "en")


def parse_json(ex: Exchange) -> Any:
    """The response body as JSON, or ``None`` when it is not JSON (or nested too deep).

    A body cut at MAX_STORED_BODY is never whole JSON: it is not parsed (parsing
    8 MB of small objects to fail at the cut builds some 130 MB first).
    """
    if ex.body_truncated:
        return None
    return safe_json.loads(ex.response_body)
