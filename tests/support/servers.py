"""Tiny misbehaving servers for the hardening tests.

Each runs on its own asyncio loop in a daemon thread, listens on loopback
only, and stops itself after ``max_seconds`` whatever the test does (a failed
test must not leave a socket open for the next one). ``stop()`` is prompt and
idempotent; every server is also a context manager.

* :class:`RawServer` — runs ``handler(conn)`` for each connection: full
  control over the bytes (resets, trickles, odd bodies), optionally over TLS.
* :func:`canned` — a handler answering every request with one fixed response.
* :func:`tls_context` — server certificates made with ``trustme``:
  ``valid`` / ``self_signed`` / ``expired`` / ``wrong_host``.
* :class:`ForwardProxy` — an HTTP proxy (``CONNECT`` tunnels and absolute-form
  forwarding) that can demand ``Proxy-Authorization`` (407).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import ssl
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

MODELS_BODY = json.dumps(
    {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model", "owned_by": "test"}]}
).encode()


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Conn:
    """One accepted connection: read a request, write raw bytes."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def read_request(self) -> Request | None:
        """The next HTTP/1.1 request, or None when the peer went away."""
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2:
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        body = b""
        length = int(headers.get("content-length", "0") or 0)
        if length:
            body = await self.reader.readexactly(length)
        return Request(parts[0], parts[1], headers, body)

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def respond(
        self, status: int, headers: list[tuple[str, str]] | None = None, body: bytes = b""
    ) -> None:
        reason = {200: "OK", 302: "Found", 401: "Unauthorized", 407: "Proxy Auth Required"}
        lines = [f"HTTP/1.1 {status} {reason.get(status, 'Status')}"]
        hdrs = list(headers or [])
        if not any(k.lower() == "content-length" for k, _ in hdrs):
            hdrs.append(("Content-Length", str(len(body))))
        lines += [f"{k}: {v}" for k, v in hdrs]
        await self.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0), not a polite FIN."""
        import socket
        import struct

        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Handler = Callable[[Conn], Awaitable[None]]


class RawServer:
    """A loopback TCP (or TLS) server running ``handler`` per connection."""

    def __init__(
        self,
        handler: Handler,
        *,
        ssl_context: ssl.SSLContext | None = None,
        host: str = "127.0.0.1",
        max_seconds: float = 60.0,
    ) -> None:
        self.handler = handler
        self.ssl_context = ssl_context
        self.host = host
        self.max_seconds = max_seconds
        self.port = 0
        self.requests: list[Request] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped = threading.Event()
        self._error: OSError | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_context else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def start(self) -> RawServer:
        self._thread = threading.Thread(target=self._run, name="raw-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(10) or self._error is not None:
            raise RuntimeError(f"test server did not start: {self._error}")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()
            self._stopped.set()

    async def _main(self) -> None:
        kw = {"ssl": self.ssl_context, "ssl_handshake_timeout": 5} if self.ssl_context else {}
        try:
            self._server = await asyncio.start_server(self._accept, self.host, 0, **kw)
        except OSError as exc:
            self._error = exc
            self._ready.set()
            return
        self.port = self._server.sockets[0].getsockname()[1]
        self._stop_event = asyncio.Event()
        self._ready.set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.max_seconds):
                await self._stop_event.wait()
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self.handler(_Recording(reader, writer, self.requests))
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and not self._stopped.is_set():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._stop_event.set)
            self._stopped.wait(5)

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Recording(Conn):
    def __init__(self, reader, writer, log: list[Request]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(reader, writer)
        self._log = log

    async def read_request(self) -> Request | None:
        req = await super().read_request()
        if req is not None:
            self._log.append(req)
        return req


def canned(
    status: int = 200,
    headers: list[tuple[str, str]] | None = None,
    body: bytes = MODELS_BODY,
) -> Handler:
    """Answer every request on the connection with the same response."""

    async def handle(conn: Conn) -> None:
        while await conn.read_request() is not None:
            await conn.respond(status, headers, body)

    return handle


JSON = [("Content-Type", "application/json")]


# --- TLS -------------------------------------------------------------------------


@dataclass
class TlsFiles:
    """A server context and the CA file a client may trust (``--ca-bundle``)."""

    server: ssl.SSLContext
    ca_pem: Path


def tls_context(kind: str, directory: Path) -> TlsFiles:
    """Certificates for 127.0.0.1 that are ``valid`` (given the CA), or broken in one way.

    ``self_signed``: the client is not given the CA (its default store does not
    know it). ``expired``: trusted CA, leaf expired yesterday. ``wrong_host``:
    trusted CA, leaf issued for ``other.example`` only.
    """
    import trustme

    ca = trustme.CA()
    now = dt.datetime.now(dt.UTC)
    if kind == "expired":
        leaf = ca.issue_cert(
            "127.0.0.1",
            "localhost",
            not_before=now - dt.timedelta(days=30),
            not_after=now - dt.timedelta(days=1),
        )
    elif kind == "wrong_host":
        leaf = ca.issue_cert("other.example")
    elif kind in ("valid", "self_signed"):
        leaf = ca.issue_cert("127.0.0.1", "localhost")
    else:
        raise ValueError(kind)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(server)
    ca_pem = directory / f"ca-{kind}.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    return TlsFiles(server, ca_pem)


# --- proxy -----------------------------------------------------------------------


class ForwardProxy(RawServer):
    """An HTTP proxy for tests; ``credentials="user:pass"`` makes it demand them (407)."""

    def __init__(
        self,
        *,
        credentials: str | None = None,
        hosts: dict[str, str] | None = None,
        max_seconds: float = 60.0,
    ) -> None:
        super().__init__(self._handle, max_seconds=max_seconds)
        self.credentials = credentials
        #: names only the proxy can resolve (an intranet gateway behind a proxy)
        self.hosts = dict(hosts or {})
        self.seen: list[str] = []

    def _authorized(self, req: Request) -> bool:
        if self.credentials is None:
            return True
        import base64

        expected = "Basic " + base64.b64encode(self.credentials.encode()).decode()
        return req.header("proxy-authorization") == expected

    async def _handle(self, conn: Conn) -> None:
        req = await conn.read_request()
        if req is None:
            return
        self.seen.append(f"{req.method} {req.target}")
        if not self._authorized(req):
            await conn.respond(
                407,
                [("Proxy-Authenticate", 'Basic realm="test"'), ("Content-Type", "text/plain")],
                b"proxy authentication required\n",
            )
            return
        if req.method == "CONNECT":
            host, _, port = req.target.rpartition(":")
            host = self.hosts.get(host, host)
            up_r, up_w = await asyncio.open_connection(host.strip("[]"), int(port))
            await conn.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            from urllib.parse import urlsplit

            parts = urlsplit(req.target)
            host = self.hosts.get(parts.hostname or "", parts.hostname)
            up_r, up_w = await asyncio.open_connection(host, parts.port or 80)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            headers = {
                k: v
                for k, v in req.headers.items()
                if k not in ("proxy-authorization", "proxy-connection", "connection")
            }
            headers["connection"] = "close"
            head = f"{req.method} {path or '/'} HTTP/1.1\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in headers.items()
            )
            up_w.write(head.encode("latin-1") + b"\r\n" + req.body)
            await up_w.drain()
        await asyncio.gather(_pipe(conn.reader, up_w), _pipe(up_r, conn.writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.close()


def reverse_proxy(port: int, host: str = "127.0.0.1") -> Handler:
    """Forward each request to ``host:port`` over plain HTTP (a TLS front for the demo)."""

    async def handle(conn: Conn) -> None:
        req = await conn.read_request()
        if req is None:
            return
        up_r, up_w = await asyncio.open_connection(host, port)
        headers = {k: v for k, v in req.headers.items() if k != "connection"}
        headers["connection"] = "close"
        head = f"{req.method} {req.target} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        up_w.write(head.encode("latin-1") + b"\r\n" + req.body)
        await up_w.drain()
        await _pipe(up_r, conn.writer)

    return handle


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
