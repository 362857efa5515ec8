"""Shared fixtures: the demo gateway on loopback, and an isolated user environment.

Every test runs with its own config/state directories, no OPENAI_* variables,
no proxy variables and no registered secrets, so nothing on the developer's
machine (or their real keyring) leaks into a test, and no test touches it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from tui.core.safe import masking

#: Obviously fake keys; a canary never appears in any output.
FAKE_KEY = "sk-FAKE-test-0000-1111-2222-3333-4444"
CANARY_KEY = "sk-CANARY-do-not-leak-9f8e7d6c5b4a3210"

_ENV_TO_CLEAR = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "GATEWAY_DOCTOR_API_KEY",
    "GATEWAY_DOCTOR_PROFILE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "LC_ALL",
    "LC_MESSAGES",
    "LANGUAGE",
    "GATEWAY_DOCTOR_LOG",
    "GATEWAY_DOCTOR_LOG_LEVEL",
)

#: The developer's shell settings that change how Python or a terminal behaves.
#: Cleared for every test (and so for every subprocess it starts), so `make test`
#: gives the same result in a plain `env -i` shell and in a tuned one; a test
#: that needs one of them sets it itself.
_SHELL_TO_CLEAR = (
    "PYTHONUNBUFFERED",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "PYTHONWARNINGS",
    "PYTHONDEVMODE",
    "PYTHONOPTIMIZE",
    "PYTHONSTARTUP",
    "PYTHONBREAKPOINT",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR_FORCE",
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "COLUMNS",
    "LINES",
    "TEXTUAL",
    "TEXTUAL_DRIVER",
)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch) -> Iterator[None]:
    for name in (*_ENV_TO_CLEAR, *_SHELL_TO_CLEAR):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("TERM", "xterm-256color")
    for xdg in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(xdg, str(tmp_path / "xdg" / xdg.lower()))  # never the user's own
    monkeypatch.setenv("GATEWAY_DOCTOR_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    masking.clear_secrets()
    yield
    masking.clear_secrets()


class _PinnedSalt(dict):
    """Every state directory's key salt is the same fixed bytes: key ids (``#…``, shown
    next to masked keys) are then the same in every run, so snapshots stay stable."""

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        return b"gateway-doctor-tests-fixed-salt!"  # 32 bytes, not a secret


@pytest.fixture(autouse=True)
def pinned_key_salt(monkeypatch) -> None:
    from tui.core.safe import fingerprint

    monkeypatch.setattr(fingerprint, "_salt_cache", _PinnedSalt())


@pytest.fixture(scope="session")
def demo_gateway():
    """One demo gateway for the whole session; use ``.scenario_url(name)`` per test."""
    from tui.demo.server import DemoGateway

    gw = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=2000)
    gw.start_in_thread()
    try:
        yield gw
    finally:
        gw.stop()


@pytest.fixture
def gw():
    """A demo gateway of the test's own: the test may change its scenario, latency and
    models (the history tests compare two runs across such a change)."""
    from tui.demo.server import DemoGateway

    gateway = DemoGateway(host="127.0.0.1", port=0, tokens_per_second=4000)
    gateway.start_in_thread()
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture
def fake_key_env(monkeypatch) -> None:
    """The fake key in the environment, as a user of ``check`` would set it."""
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


@pytest.fixture
def env_without_proxies() -> dict[str, str]:
    """A copy of the environment fit for subprocesses of the CLI."""
    env = {k: v for k, v in os.environ.items() if k not in (*_ENV_TO_CLEAR, *_SHELL_TO_CLEAR)}
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture
def memory_keyring():
    """An in-memory keyring for the test (the default is the null backend)."""
    import keyring

    from tests.support.keyrings import MemoryKeyring

    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch) -> None:
    """Text boxes keep a steady cursor, so a screen does not depend on when it is taken."""
    from textual.widgets import Input, TextArea

    for cls in (Input, TextArea):

        def steady(self, *args, _init=cls.__init__, **kwargs) -> None:
            _init(self, *args, **kwargs)
            self.cursor_blink = False

        monkeypatch.setattr(cls, "__init__", steady)


@pytest.fixture
def host():
    """The shared host app and its wait: ``host.HostApp(...)``, ``await host.settle(pilot)``."""
    from tests.support import host as support

    return support


@pytest.fixture
def pinned_clock(monkeypatch):
    """Times in UTC and a fixed OS line, so snapshots that show a summary stay the same."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("tui.core.diagnosis.summary.os_text", lambda: "Linux (snapshot)")
    yield
    monkeypatch.undo()
    time.tzset()
