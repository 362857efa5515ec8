"""Hostile-proxy rows for docs/hardening.md: the real-peer cases of tests/test_proxies_real.py.

The tests themselves live in ``test_proxies_real`` (they need the real
proxies started by ``tests/support/peers.py``); here each row is tied to the
test that asserts it, and a test fails if a row names no such test.
"""

from __future__ import annotations

from tests import test_proxies_real

HOSTILE_ROWS: list[tuple[str, str, str]] = [row[:3] for row in test_proxies_real.ROWS]


def test_every_row_is_asserted_by_a_real_proxy_test():
    for *_row, name in test_proxies_real.ROWS:
        assert callable(getattr(test_proxies_real, name, None)), name
