"""FilterIndex answers exactly what inspect_format.matches answers, from kept text."""

from __future__ import annotations

import pytest

from tests.test_inspector_ui import failed_exchange, json_exchange, sse_exchange
from tui.core import inspect_format as fmt
from tui.core.exchange import Exchange
from tui.core.inspect_index import FilterIndex


def _exchanges() -> list[Exchange]:
    noted = json_exchange(5, status=429, reason="Too Many Requests", note="not needed: x")
    return [json_exchange(1), sse_exchange(2), failed_exchange(3), noted]


@pytest.mark.parametrize(
    "text", ["", "stream", "COMPLETIONS 404", "timed", "req-0002", "not needed", "ex-0003", "zz"]
)
@pytest.mark.parametrize("classes", [None, frozenset({"4xx", "5xx", "error"}), frozenset({"2xx"})])
def test_select_agrees_with_matches(text: str, classes: frozenset[str] | None) -> None:
    items = _exchanges()
    index = FilterIndex()
    for ex in items:
        index.add(ex)
    expected = [ex.id for ex in items if fmt.matches(ex, text, classes)]
    assert [ex.id for ex in index.select(items, text, classes)] == expected
    assert [ex.id for ex in items if index.passes(ex, text, classes)] == expected


def test_a_pending_exchange_indexed_again_when_answered() -> None:
    ex = json_exchange(7, status=None, reason="", response_headers=[])
    index = FilterIndex()
    index.add(ex)
    assert index.select([ex], "500") == []
    done = json_exchange(7, status=500, reason="Internal Server Error")
    index.add(done)
    assert index.select([done], "500 internal") == [done]
