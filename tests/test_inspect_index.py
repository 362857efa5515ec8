"""ExchangeIndex answers exactly what inspect_format.matches answers, from kept text."""

from __future__ import annotations

import pytest

from tests.test_inspector_ui import failed_exchange, json_exchange, sse_exchange
from tui.core.inspect import format as fmt
from tui.core.inspect.index import ExchangeIndex
from tui.core.net.exchange import Exchange


def _exchanges() -> list[Exchange]:
    noted = json_exchange(5, status=429, reason="Too Many Requests", note="not needed: x")
    upper = json_exchange(6, url="http://H/V1/Models?Q=Abc")
    return [json_exchange(1), sse_exchange(2), failed_exchange(3), noted, upper]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "stream",
        "COMPLETIONS 404",
        "timed",
        "req-0002",
        "not needed",
        "ex-0003",
        "zz",
        "v1/models?q=abc",
        "models post",
    ],
)
@pytest.mark.parametrize("classes", [None, frozenset({"4xx", "5xx", "error"}), frozenset({"2xx"})])
def test_select_agrees_with_matches(text: str, classes: frozenset[str] | None) -> None:
    items = _exchanges()
    index = ExchangeIndex()
    for ex in items:
        assert index.put(ex)
    expected = [ex.id for ex in items if fmt.matches(ex, text, classes)]
    assert [ex.id for ex in index.select(text, classes)] == expected
    assert [ex.id for ex in items if index.passes(ex, text, classes)] == expected


def test_a_pending_exchange_indexed_again_when_answered() -> None:
    ex = json_exchange(7, status=None, reason="", response_headers=[])
    index = ExchangeIndex()
    index.put(json_exchange(6))
    assert index.put(ex)
    assert index.select("500") == []
    done = json_exchange(7, status=500, reason="Internal Server Error")
    assert not index.put(done)  # replaced in place, not added
    assert index.select("500 internal") == [done] and index.get("ex-0007") is done
    assert [e.id for e in index.items] == ["ex-0006", "ex-0007"]
    assert index.select("", frozenset({"5xx"})) == [done]
