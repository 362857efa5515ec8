"""A deliberately small HTTP/1.1 server layer on plain asyncio streams.

Why not uvicorn or aiohttp: it would be a new dependency, and the fault
scenarios need byte-level control a framework hides on purpose: cutting a
chunked body half-way, waiting before the status line, trickling one byte a
second, writing stray lines into an SSE stream, resetting the socket. Here
every byte the client sees is written explicitly.

Supported: request heads up to 64 KiB, bodies by Content-Length or chunked
(up to 8 MiB), ``Expect: 100-continue``, keep-alive, chunked or sized
responses, gzip-encoded chunked streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus

MAX_HEAD = 64 * 1024
MAX_BODY = 8 * 1024 * 1024
SERVER_NAME = "gateway-doctor-demo"

Headers = list[tuple[str, str]]


class HttpError(Exception):
    """A request we cannot parse: answered with ``status`` and the connection closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ClientGone(ConnectionError):
    """The client closed the connection; stop writing quietly."""


@dataclass
class Request:
    method: str
    target: str
    path: str
    query: str
    version: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def keep_alive(self) -> bool:
        conn = self.header("connection").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in conn
        return "close" not in conn


async def read_request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> Request | None:
    """Read one request; ``None`` on a clean end of connection between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise HttpError(400, "incomplete request head") from None
    except asyncio.LimitOverrunError:
        raise HttpError(431, "request head too large") from None
    try:
        text = head.decode("latin-1")
        first, *lines = text[:-4].split("\r\n")
        method, target, version = first.split(" ")
    except ValueError:
        raise HttpError(400, "malformed request line") from None
    if not version.startswith("HTTP/1."):
        raise HttpError(505, "only HTTP/1.x is supported")
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise HttpError(400, f"malformed header line: {line[:60]!r}")
        headers[name.strip().lower()] = value.strip()
    path, _, query = target.partition("?")
    req = Request(method.upper(), target, path, query, version, headers)
    if req.header("expect").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
    if "chunked" in req.header("transfer-encoding").lower():
        req.body = await _read_chunked(reader)
    elif req.header("content-length"):
        try:
            length = int(req.header("content-length"))
        except ValueError:
            raise HttpError(400, "bad Content-Length") from None
        if length < 0 or length > MAX_BODY:
            raise HttpError(413, "request body too large")
        req.body = await reader.readexactly(length)
    return req


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";")[0].strip(), 16)
        except ValueError:
            raise HttpError(400, "bad chunk size") from None
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return bytes(body)
        if len(body) + size > MAX_BODY:
            raise HttpError(413, "request body too large")
        body += await reader.readexactly(size)
        await reader.readexactly(2)


def reason(status: int) -> str:
    if status == 524:
        return "A Timeout Occurred"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class Conn:
    """One client connection: writes a response's head and body, byte-exactly."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float = 0.0
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.latency = latency
        self.closed = False
        self.begin("", True)

    def begin(self, request_id: str, keep_alive: bool) -> None:
        """Reset per-response state before handling the next request."""
        self.request_id = request_id
        self.keep_alive = keep_alive
        self.head_delay = 0.0
        self.trickle = False
        self.strip_content_type = False
        #: The Server header (a scenario can pose as nginx in front of the gateway).
        self.server = SERVER_NAME
        #: Called once when a 2xx response is complete (the demo charges a completion then).
        self.on_ok: Callable[[], None] | None = None
        self.head_status: int | None = None
        self._gzip: zlib._Compress | None = None  # type: ignore[name-defined,unused-ignore]

    # -- liveness ---------------------------------------------------------
    def check_alive(self) -> None:
        if self.closed or self.writer.transport.is_closing():
            raise ClientGone()

    async def wait_or_disconnect(self, seconds: float | None) -> bool:
        """Wait ``seconds`` (forever if None); True as soon as the client has left."""
        loop = asyncio.get_running_loop()
        deadline = None if seconds is None else loop.time() + seconds
        while True:
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            try:
                data = await asyncio.wait_for(self.reader.read(1), remaining)
            except TimeoutError:
                return False
            except ConnectionError:
                return True
            if not data:
                return True
            # The client sent bytes mid-response (pipelining): we cannot resync.
            self.keep_alive = False

    # -- writing ----------------------------------------------------------
    async def _write(self, data: bytes, *, body: bool = True) -> None:
        self.check_alive()
        if self.trickle and body:
            for i in range(len(data)):
                self.check_alive()
                self.writer.write(data[i : i + 1])
                await self.writer.drain()
                if await self.wait_or_disconnect(1.0):
                    raise ClientGone()
            return
        self.writer.write(data)
        await self.writer.drain()

    async def send_head(
        self,
        status: int,
        headers: Headers,
        *,
        length: int | None = None,
        chunked: bool = False,
        close: bool = False,
    ) -> None:
        delay = self.latency + self.head_delay
        if delay > 0 and await self.wait_or_disconnect(delay):
            raise ClientGone()
        self.head_status = status
        if close or (length is None and not chunked):
            self.keep_alive = False
        names = {name.lower() for name, _ in headers}
        base: Headers = [("Date", formatdate(usegmt=True))]
        if "server" not in names:
            base.append(("Server", self.server))
        base += [
            ("X-Request-Id", self.request_id),
            ("X-Oneapi-Request-Id", self.request_id),
            ("Access-Control-Allow-Origin", "*"),
        ]
        out = base + [
            (n, v)
            for n, v in headers
            if not (self.strip_content_type and n.lower() == "content-type")
        ]
        if length is not None:
            out.append(("Content-Length", str(length)))
        elif chunked:
            out.append(("Transfer-Encoding", "chunked"))
        out.append(("Connection", "keep-alive" if self.keep_alive else "close"))
        lines = [f"HTTP/1.1 {status} {reason(status)}"] + [f"{n}: {v}" for n, v in out]
        await self._write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"), body=False)

    async def send(
        self, status: int, headers: Headers, body: bytes, *, close: bool = False
    ) -> None:
        """A complete response with Content-Length."""
        await self.send_head(status, headers, length=len(body), close=close)
        self.settle()  # before the body's last byte: the client then sees the charge
        if body:
            await self._write(body)

    async def start_stream(
        self, status: int, headers: Headers, *, gzip: bool = False, close: bool = False
    ) -> None:
        """Start a chunked response; ``gzip`` compresses it (flushed per chunk)."""
        if gzip:
            headers = [*headers, ("Content-Encoding", "gzip")]
            self._gzip = zlib.compressobj(6, zlib.DEFLATED, 31)
        await self.send_head(status, headers, chunked=True, close=close)

    async def chunk(self, data: bytes) -> None:
        if self._gzip is not None:
            data = self._gzip.compress(data) + self._gzip.flush(zlib.Z_SYNC_FLUSH)
        if data:
            await self._write(b"%x\r\n%s\r\n" % (len(data), data))

    def settle(self) -> None:
        """Run ``on_ok`` once if a 2xx head went out (a reply, or a cut stream, was served)."""
        status, on_ok = self.head_status, self.on_ok
        if on_ok is not None and status is not None and 200 <= status < 300:
            self.on_ok = None
            on_ok()

    async def end_stream(self) -> None:
        self.settle()
        if self._gzip is not None:
            tail = self._gzip.flush(zlib.Z_FINISH)
            self._gzip = None
            if tail:
                await self._write(b"%x\r\n%s\r\n" % (len(tail), tail))
        await self._write(b"0\r\n\r\n")

    async def write_raw(self, data: bytes) -> None:
        """Body bytes with no framing (after a head with neither length nor chunked)."""
        await self._write(data)

    def cut(self) -> None:
        """Close after what was sent: no terminating chunk (a truncated body)."""
        self.keep_alive = False
        self.closed = True
        with contextlib.suppress(Exception):
            self.writer.close()

    def reset(self) -> None:
        """Abort with a TCP reset (SO_LINGER 0), like a crashing proxy."""
        self.keep_alive = False
        self.closed = True
        sock = self.writer.get_extra_info("socket")
        with contextlib.suppress(Exception):
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()
