"""The demo gateway: a simulated OpenAI-compatible API with fault scenarios.

One server serves every scenario: ``/scenario/<id>/v1/...`` selects one per
request, unprefixed paths use the server's default. API roots are ``/v1``
and ``/api/v1`` (ALLTKN/OpenRouter style). Built on plain asyncio streams
(see ``http11.py`` for why). Runs in-process on its own loop in a daemon
thread (tests, the console's embedded demo) or in the foreground (the CLI).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from tui.core.i18n import catalogue
from tui.demo import handlers, ledger, model_mix, words
from tui.demo import scenarios as sc
from tui.demo.handlers import HUGE_BODY_BYTES, bearer_key
from tui.demo.http11 import MAX_HEAD, ClientGone, Conn, HttpError, Request, read_request
from tui.demo.responses import (
    HTML_HEADERS,
    JSON_HEADERS,
    NGINX_405_HTML,
    NOT_FOUND_HTML,
    SPA_HTML,
    error_body,
)
from tui.demo.scenarios import SCENARIOS

__all__ = ["DEMO_KEY", "HUGE_BODY_BYTES", "SCENARIOS", "DemoGateway", "DemoStartError"]

DEMO_KEY = "sk-demo-gateway-doctor-0000000000000000"
API_ROOTS = ("/api/v1", "/v1")
_log = logging.getLogger(__name__)
_ids = itertools.count(1)

#: endpoint name -> allowed method
ENDPOINTS = {
    "models": "GET",
    "model": "GET",
    "chat": "POST",
    "subscription": "GET",
    "usage": "GET",
    "key": "GET",
    "key_info": "GET",
    "user_info": "GET",
}


def request_id() -> str:
    """new-api style: timestamp + sequence + random, unique per request."""
    return f"{time.strftime('%Y%m%d%H%M%S')}{next(_ids):06d}{secrets.token_hex(4)}"


def route(path: str) -> tuple[str | None, str | None, str | None]:
    """``(scenario or None, api root or None, endpoint or None)`` for a path."""
    scenario = None
    if path.startswith("/scenario/"):
        scenario, _, rest = path[len("/scenario/") :].partition("/")
        path = "/" + rest
    root = next((r for r in API_ROOTS if path == r or path.startswith(r + "/")), None)
    rest = path[len(root) :] if root else path
    rest = rest.rstrip("/") or "/"
    if rest == "/dashboard/billing/subscription":
        return scenario, root, "subscription"
    if rest == "/dashboard/billing/usage":
        return scenario, root, "usage"
    if rest in ("/key/info", "/user/info"):  # LiteLLM's, beside its API root
        return scenario, root, rest[1:].replace("/", "_")
    if rest == "/api/pricing":  # new-api's public price list, beside the API root
        return scenario, None, "pricing"
    if root is None:
        return scenario, None, None
    if rest == "/models":
        return scenario, root, "models"
    if rest.startswith("/models/"):
        return scenario, root, "model"
    if rest == "/chat/completions":
        return scenario, root, "chat"
    if rest in ("/key", "/auth/key"):
        return scenario, root, "key"
    return scenario, root, None


class DemoStartError(TimeoutError):
    """The demo gateway did not start listening in time; ``.message`` is for the user."""

    def __init__(self) -> None:
        self.message = catalogue.msg("demo.start_timeout")
        super().__init__(catalogue.text("demo.start_timeout", "en"))


class DemoGateway:
    """A real HTTP server on a real socket; see the module docstring."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        scenario: str = "healthy",
        latency_ms: float = 0,
        tokens_per_second: float = 50.0,
    ) -> None:
        if scenario not in SCENARIOS:
            # A caller's bug: the commands and the console offer only known scenarios.
            problem = f"unknown scenario {scenario!r}"  # not-ui-text: callers validate
            raise ValueError(f"{problem}; valid: {', '.join(SCENARIOS)}")
        self.host = host
        self.port = port
        self.scenario = scenario
        self.latency = max(0.0, latency_ms / 1000.0)
        self.tokens_per_second = tokens_per_second
        self._server: asyncio.AbstractServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._conns: set[Conn] = set()
        self._stopped = False
        #: Requests in flight per key (scenarios with a parallel-request limit).
        self._in_flight: dict[str, int] = {}
        #: What this gateway charged per scenario (the balance endpoints subtract it).
        self.ledger = ledger.Ledger()

    # -- addresses --------------------------------------------------------
    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + "/v1"

    def scenario_url(self, name: str) -> str:
        return f"{self.root_url}/scenario/{name}/v1"

    # -- lifecycle --------------------------------------------------------
    async def start(self) -> None:
        """Bind and listen on the running loop; ``.port`` is the real port after."""
        self._loop = asyncio.get_running_loop()
        self._server = await asyncio.start_server(
            self._on_client, self.host, self.port, limit=MAX_HEAD
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def serve_forever(self, on_ready: Callable[[DemoGateway], None] | None = None) -> None:
        """Serve in the foreground until cancelled (the CLI); ``on_ready(self)`` once bound."""
        await self.start()
        if on_ready is not None:
            on_ready(self)
        try:
            await asyncio.Event().wait()
        finally:
            await self.aclose()

    def start_in_thread(self, timeout: float = 10.0) -> DemoGateway:
        """Start on a private loop in a daemon thread; returns once listening."""
        self._stopped = False
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def main() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # reported to the caller below
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.aclose())
                loop.close()

        self._thread = threading.Thread(target=main, name="demo-gateway", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise DemoStartError()
        if failure:
            raise failure[0]
        return self

    async def aclose(self) -> None:
        """Stop listening, drop every open connection and wait for their tasks."""
        if self._server is not None:
            self._server.close()
        for conn in list(self._conns):
            conn.closed = True
            conn.writer.transport.abort()
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None

    def stop(self) -> None:
        """Stop a gateway started with :meth:`start_in_thread` (idempotent, prompt)."""
        if self._stopped or self._thread is None or self._loop is None:
            self._stopped = True
            return
        self._stopped = True
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    # -- connections ------------------------------------------------------
    async def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        conn = Conn(reader, writer, self.latency)
        self._tasks.add(task)
        self._conns.add(conn)
        try:
            await self._serve_conn(conn)
        except (ClientGone, ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        except Exception:  # a bug here must not kill the server or spam tracebacks
            _log.warning("demo gateway: request failed", exc_info=True)  # not-ui-text: log
        finally:
            self._tasks.discard(task)
            self._conns.discard(conn)
            with contextlib.suppress(Exception):
                writer.close()

    async def _serve_conn(self, conn: Conn) -> None:
        while not conn.closed:
            try:
                req = await read_request(conn.reader, conn.writer)
            except HttpError as exc:
                conn.begin(request_id(), False)
                await conn.send(exc.status, JSON_HEADERS, error_body(exc.message, "bad_request"))
                return
            if req is None:
                return
            conn.begin(request_id(), req.keep_alive)
            await self.handle(conn, req)
            if not conn.keep_alive:
                return

    # -- requests ---------------------------------------------------------
    async def handle(self, conn: Conn, req: Request) -> None:
        """Answer one request according to its scenario."""
        prefixed, root, endpoint = route(req.path)
        scenario = prefixed or self.scenario
        if scenario not in SCENARIOS:
            body = error_body(
                f"unknown demo scenario {scenario!r}; valid scenarios: {', '.join(SCENARIOS)}",  # not-ui-text: the gateway's words
                "invalid_request_error",
                "unknown_scenario",
                valid_scenarios=list(SCENARIOS),
            )
            await conn.send(404, JSON_HEADERS, body)
            return
        if req.method == "OPTIONS":
            await conn.send(204, _CORS_HEADERS, b"")
            return
        conn.head_delay = 30.0 if scenario == "slow_headers" else 0.0
        conn.trickle = scenario == "one_byte_per_second"
        conn.strip_content_type = scenario == "no_content_type"
        if scenario == "nginx_buffered":
            conn.server = words.NGINX
        if scenario == "gateway_upgraded":
            conn.server = sc.UPGRADED_SERVER  # issue 18: the version header changed
        if scenario in words.EVERY_REQUEST:
            await conn.send(*words.every_request(scenario))
            return
        if scenario in ("redirect", "redirect_loop"):
            await self._redirect(conn, req, scenario, prefixed is not None)
            return
        if scenario in sc.NO_BALANCE and endpoint in ("subscription", "usage", "key"):
            endpoint = None
        # LiteLLM has only its own balance endpoints, and the other gateways none of its.
        litellm = scenario in words.LITELLM
        if endpoint in (("subscription", "usage", "key") if litellm else ("key_info", "user_info")):
            endpoint = None
        if endpoint == "pricing":
            if scenario in model_mix.SCENARIOS and req.method == "GET":
                await conn.send(200, JSON_HEADERS, model_mix.pricing_body(scenario))
                return
            endpoint = None
        if endpoint is None:
            if root is None:
                await conn.send(404, HTML_HEADERS, NOT_FOUND_HTML)
            else:
                msg = f"Invalid URL ({req.method} {req.path})"
                body = error_body(msg, "invalid_request_error", "unknown_url")
                await conn.send(404, JSON_HEADERS, body)
            return
        if scenario == "html_frontend":
            if req.method == "GET":
                await conn.send(200, HTML_HEADERS, SPA_HTML)
            else:
                await conn.send(405, [*HTML_HEADERS, ("Server", "nginx")], NGINX_405_HTML)
            return
        if req.method != ENDPOINTS[endpoint]:
            msg = f"Method {req.method} not allowed for {req.path}; use {ENDPOINTS[endpoint]}"  # not-ui-text: the gateway's words
            await conn.send(405, JSON_HEADERS, error_body(msg, "invalid_request_error", None))
            return
        key = bearer_key(req)
        if not key:
            await conn.send(401, JSON_HEADERS, sc.MISSING_KEY_BODY)
            return
        if scenario in sc.AUTH_ERRORS:
            status, body = sc.AUTH_ERRORS[scenario](key)
            await conn.send(status, JSON_HEADERS, body)
            return
        handler = getattr(handlers, f"ep_{endpoint}")
        ledger.use(self.ledger)
        if endpoint == "chat":
            conn.on_ok = lambda: self.ledger.charge(scenario)
        limit = sc.MAX_PARALLEL.get(scenario)
        if limit is None:
            try:
                await handler(conn, req, scenario, self.tokens_per_second)
            finally:
                conn.settle()  # a stream cut or left half-way is charged too
            return
        busy = self._in_flight.get(key, 0)
        if busy >= limit:
            headers = [*JSON_HEADERS, ("Retry-After", "1")]
            await conn.send(429, headers, sc.parallel_limit_body(key, busy, limit))
            return
        self._in_flight[key] = busy + 1
        try:
            await handler(conn, req, scenario, self.tokens_per_second)
        finally:
            conn.settle()
            self._in_flight[key] -= 1

    async def _redirect(self, conn: Conn, req: Request, scenario: str, prefixed: bool) -> None:
        if scenario == "redirect_loop":
            location, status = req.target, 302
        else:
            status = 301
            prefix = "/scenario/redirect"
            if prefixed:
                location = req.target[len(prefix) :] or "/"
            else:
                location = "/scenario/healthy" + req.target
        host = req.header("host")
        if host:
            location = f"http://{host}{location}"
        body = f'<a href="{location}">Moved</a>.\n'.encode()
        await conn.send(status, [*HTML_HEADERS, ("Location", location)], body)


_CORS_HEADERS = [
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Authorization, Content-Type"),
    ("Access-Control-Max-Age", "600"),
]
