"""ExchangeLog at scale: lookups by id without a scan, header lines shared after masking."""

from __future__ import annotations

from tests.conftest import FAKE_KEY
from tests.test_inspector_ui import json_exchange
from tui.core.net.exchange import SHARED_HEADERS, ExchangeLog


def test_get_answers_by_id_and_the_first_of_a_repeated_id() -> None:
    log = ExchangeLog()
    first = log.add(json_exchange(1))
    log.add(json_exchange(1, status=500))
    log.add(json_exchange(2))
    assert log.get("ex-0001") is first and log.get("ex-0002").id == "ex-0002"
    assert log.get("ex-9999") is None
    log.clear()
    assert log.get("ex-0001") is None and len(log) == 0


def test_equal_header_lines_are_one_tuple_and_hold_no_key() -> None:
    log = ExchangeLog()
    a = log.add(json_exchange(1))
    b = log.add(json_exchange(2))
    for ha, hb in zip(a.request_headers, b.request_headers, strict=True):
        assert ha is hb  # one tuple for both exchanges
    auth = dict(a.request_headers)["authorization"]
    assert FAKE_KEY not in auth and "Bearer" in auth  # shared only once masked


def test_the_shared_lines_start_over_past_their_limit() -> None:
    log = ExchangeLog()
    for i in range(SHARED_HEADERS + 50):
        log.add(json_exchange(i, response_headers=[("x-request-id", f"req-{i}")]), premasked=True)
    assert len(log._headers) <= SHARED_HEADERS + 1  # noqa: SLF001
    assert log.all()[-1].response_headers == [("x-request-id", f"req-{SHARED_HEADERS + 49}")]


def test_a_request_recorded_before_it_was_announced_is_not_pending() -> None:
    log = ExchangeLog()
    done = log.add(json_exchange(3))
    log.started(json_exchange(3, status=None))
    assert log.in_flight() == [] and log.get(done.id) is done
