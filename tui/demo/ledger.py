"""What the demo gateway has charged: a small amount per answered completion.

So that ``gateway-doctor demo`` (and a client pointed at the demo) sees the
balance go down like a real gateway's: the balance endpoints subtract what
this gateway instance charged in that scenario. One ledger per gateway (a
context variable set per connection), guarded by a lock: the server runs in
its own thread and the tests read it from theirs.
"""

from __future__ import annotations

import contextvars
import threading

__all__ = ["CENTS_PER_COMPLETION", "Ledger", "current", "use"]

#: What one answered completion costs, in cents (0.001 USD).
CENTS_PER_COMPLETION = 0.1


class Ledger:
    """Cents charged per scenario."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cents: dict[str, float] = {}

    def charge(self, scenario: str, cents: float = CENTS_PER_COMPLETION) -> None:
        with self._lock:
            self._cents[scenario] = round(self._cents.get(scenario, 0.0) + cents, 6)

    def spent(self, scenario: str) -> float:
        """Cents charged so far in ``scenario``."""
        with self._lock:
            return self._cents.get(scenario, 0.0)


_CURRENT: contextvars.ContextVar[Ledger | None] = contextvars.ContextVar(
    "demo_ledger", default=None
)


def use(ledger: Ledger) -> None:
    """Make ``ledger`` the one the handlers of this connection's task charge and read."""
    _CURRENT.set(ledger)


def current() -> Ledger | None:
    return _CURRENT.get()
