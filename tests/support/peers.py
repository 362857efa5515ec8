"""Real proxy software started on loopback for the tests (issue 12).

Nobody here wrote these peers, which is the point: ``proxy.py`` is the plain
forward proxy (with and without basic auth) and mitmproxy's ``mitmdump`` the
TLS-intercepting one, re-signing every site with its own CA. Each fixture
starts its peer as a child process on a free loopback port, waits until it
listens, and stops it by its own pid. A peer that truly cannot start skips
the test with the reason (the test extra installs both).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.servers import free_port

#: Fake proxy credentials for the tests; never a real secret.
PROXY_USER = "alice"
PROXY_PASSWORD = "S3cret@Winter2024"


@dataclass
class Peer:
    """A running proxy: where it listens, and (mitmdump) the CA it signs with."""

    name: str
    host: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    ca_pem: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url_with(self, user: str, password: str) -> str:
        """The proxy URL carrying credentials as typed (not percent-encoded)."""
        return f"http://{user}:{password}@{self.host}:{self.port}"


def _listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
        return True
    return False


def _start(name: str, argv: list[str], port: int, log: Path, wait: float = 20.0) -> Peer:
    """Start ``argv`` and wait until ``port`` accepts; skip with the reason if it cannot."""
    fh = log.open("wb")
    try:
        proc = subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    except OSError as exc:
        pytest.skip(f"{name} cannot start: {exc}")
    finally:
        fh.close()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-600:]
            pytest.skip(f"{name} exited at start (code {proc.returncode}): {tail}")
        if _listening("127.0.0.1", port):
            return Peer(name, "127.0.0.1", port, proc, log)
        time.sleep(0.05)
    _stop(proc)
    pytest.skip(f"{name} did not listen on 127.0.0.1:{port} within {wait:g} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def start_proxy_py(tmp: Path, basic_auth: str | None = None) -> Peer:
    """proxy.py on a free loopback port, optionally demanding ``user:password``."""
    try:
        import proxy  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"proxy.py is not installed (pip install proxy.py): {exc}")
    port = free_port()
    argv = [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", str(port)]
    argv += ["--num-workers", "1", "--num-acceptors", "1", "--log-level", "WARNING"]
    if basic_auth:
        argv += ["--basic-auth", basic_auth]
    return _start("proxy.py", argv, port, tmp / f"proxy-py-{port}.log")


def _mitmdump() -> str | None:
    """``make`` installs mitmproxy in its own venv, ``.peers/`` (its pins conflict with ours)."""
    for local in (
        Path(__file__).resolve().parents[2] / ".peers" / "bin" / "mitmdump",
        Path(sys.executable).with_name("mitmdump"),
    ):
        if local.exists():
            return str(local)
    return shutil.which("mitmdump")


def start_mitmdump(
    tmp: Path, upstream_ca: Path | None = None, options: tuple[str, ...] = ()
) -> Peer:
    """mitmdump as a forward proxy re-signing TLS with a fresh CA in its own confdir.

    ``upstream_ca`` is the CA mitmproxy trusts for the real gateway (a trustme
    CA on loopback), as a company proxy trusts the public roots; ``options`` are
    more ``--set`` values (``stream_large_bodies=1``).
    """
    exe = _mitmdump()
    if exe is None:
        why = "mitmdump is not installed: `make setup` puts it in .peers/"
        if os.environ.get("CI"):
            pytest.fail(why)  # CI runs `make test`, which installs it: never skip there
        pytest.skip(why)
    confdir = tmp / f"mitm-{os.getpid()}-{time.monotonic_ns()}"
    confdir.mkdir()
    port = free_port()
    argv = [exe, "--listen-host", "127.0.0.1", "--listen-port", str(port), "-q"]
    argv += ["--set", f"confdir={confdir}"]
    if upstream_ca is not None:
        argv += ["--set", f"ssl_verify_upstream_trusted_ca={upstream_ca}"]
    for option in options:
        argv += ["--set", option]
    peer = _start("mitmdump", argv, port, tmp / f"mitmdump-{port}.log", wait=30.0)
    ca = confdir / "mitmproxy-ca-cert.pem"
    deadline = time.monotonic() + 10
    while not ca.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not ca.exists():
        _stop(peer.proc)
        pytest.skip("mitmdump did not write its CA certificate")
    peer.ca_pem = ca
    return peer


@pytest.fixture
def proxy_py(tmp_path: Path) -> Iterator[Peer]:
    """proxy.py without authentication."""
    peer = start_proxy_py(tmp_path)
    try:
        yield peer
    finally:
        _stop(peer.proc)


@pytest.fixture
def proxy_py_auth(tmp_path: Path) -> Iterator[Peer]:
    """proxy.py demanding ``PROXY_USER:PROXY_PASSWORD`` (407 otherwise)."""
    peer = start_proxy_py(tmp_path, basic_auth=f"{PROXY_USER}:{PROXY_PASSWORD}")
    try:
        yield peer
    finally:
        _stop(peer.proc)


@pytest.fixture
def mitmdump_factory(tmp_path: Path) -> Iterator:
    """Start mitmdump (optionally trusting an upstream CA); every one is stopped after."""
    started: list[Peer] = []

    def start(upstream_ca: Path | None = None, options: tuple[str, ...] = ()) -> Peer:
        peer = start_mitmdump(tmp_path, upstream_ca, options)
        started.append(peer)
        return peer

    try:
        yield start
    finally:
        for peer in started:
            _stop(peer.proc)
