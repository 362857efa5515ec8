"""Recorded exchanges are packed: small in memory, read back exactly (issue 14, 100,000 rows).

ExchangeLog.add keeps each exchange's headers, bodies, timings, SSE events and notes
as one compressed ``bytes`` once masked; every read gives back what was recorded.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import tracemalloc
import zlib
from datetime import UTC, datetime

import pytest

from tests.conftest import FAKE_KEY
from tests.support.exchange_mix import mixed_exchange
from tui.core.i18n.catalogue import msg
from tui.core.inspect.exports import exchange_to_dict, render_har, render_json, to_curl
from tui.core.net import exchange as exchange_mod
from tui.core.net import exchange_pack
from tui.core.net.exchange import (
    PACK_LIMIT,
    Exchange,
    ExchangeLog,
    SseEvent,
    SseStats,
    masked_exchange,
)
from tui.core.net.notes import add_note, note_text, set_note
from tui.core.safe.masking import mask

MASKED_AUTH = mask(f"Bearer {FAKE_KEY}")


def typical(i: int) -> Exchange:
    """The mix of bench/bench_inspector.py: JSON answers, SSE streams, 429s, timeouts."""
    return mixed_exchange(i, MASKED_AUTH)


def rich(i: int = 7) -> Exchange:
    """Every heavy field set, including SSE stats, notes and an error message."""
    ex = typical(3)
    ex.id = f"ex-{i:04d}"
    ex.sse_events = [
        SseEvent(1.5, "hello", event="message", id="7"),
        SseEvent(2.0, "keep-alive", comment=True),
        SseEvent(3.25, "ünïcødé 中文"),
    ]
    ex.sse_stats = SseStats(events=3, data_events=2, comments=1, first_ms=1.5, max_gap_ms=1.25)
    ex.error_message = {"id": "transport.cancelled", "params": {"n": 1, "ok": True}}
    ex.note_messages = [{"id": "check.overlap.retry_of", "params": {"id": "ex-0001"}}]
    ex.note = "retry of ex-0001"
    ex.timings = {"connect": 1.0, "tls": 2.5, "total": 9.75}
    return ex


def recorded_size(n: int) -> float:
    """Bytes held per exchange by ``n`` exchanges of the typical mix, once recorded."""
    gc.collect()
    tracemalloc.start()
    try:
        log = ExchangeLog()
        for i in range(1, n + 1):
            log.add(typical(i), premasked=True)
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(log) == n
    return held / n


def test_a_typical_exchange_is_held_in_well_under_a_kilobyte() -> None:
    # Unpacked (plain lists, dicts, SseEvents) the same mix was ~1.7 KB each: 100,000
    # of them alone took 160 MiB of the inspector's 200 MiB budget.
    assert recorded_size(2000) < 900


def test_a_packed_exchange_reads_back_every_field() -> None:
    ex, same = rich(), rich()
    assert ex.pack() and ex.packed and not same.packed
    assert ex == same
    for f in dataclasses.fields(Exchange):
        assert getattr(ex, f.name) == getattr(same, f.name), f.name
    assert ex.sse_stats is not same.sse_stats  # a copy per read
    assert ex.header("content-type") == "text/event-stream" and ex.text() == same.text()
    assert repr(ex) == repr(same)


def test_exports_of_a_packed_exchange_are_those_of_the_plain_one() -> None:
    now = datetime(2026, 1, 2, tzinfo=UTC)
    ex, same = rich(), rich()
    ex.pack()
    assert exchange_to_dict(ex) == exchange_to_dict(same)
    assert render_json([ex], now=now) == render_json([same], now=now)
    assert json.loads(render_har(ex)) == json.loads(render_har(same))
    assert to_curl(ex) == to_curl(same)


def test_a_field_set_after_recording_is_kept_and_stays_packed() -> None:
    log = ExchangeLog()
    ex = log.add(rich(), premasked=True)
    assert ex.packed
    set_note(ex, msg("check.overlap.retry_of", id="ex-0001"))
    add_note(ex, msg("check.balance.read_again"))
    ex.status = 500
    ex.sse_stats = None
    assert ex.packed and ex.status == 500 and ex.sse_stats is None
    assert [m["id"] for m in ex.note_messages] == [
        "check.overlap.retry_of",
        "check.balance.read_again",
    ]
    assert "ex-0001" in note_text(ex, "en") and note_text(ex, "zh-CN") != note_text(ex, "en")
    assert ex.sse_events == rich().sse_events  # the rest as it was


def test_an_exchange_unpacked_again_changes_in_place() -> None:
    ex = rich()
    ex.pack()
    ex.unpack()
    assert not ex.packed
    ex.timings["total"] = 1.0
    ex.sse_events.append(SseEvent(9.0, "late"))
    assert ex.timings["total"] == 1.0 and ex.sse_events[-1].data == "late"


def test_a_large_exchange_and_an_odd_value_stay_as_they_are() -> None:
    big = typical(1)
    big.response_body = b"x" * (PACK_LIMIT + 1)
    assert not big.pack() and not big.packed

    class Text(str):
        pass

    odd = typical(2)
    odd.request_headers = [("x-odd", Text("value"))]
    assert not odd.pack() and odd.request_headers[0][1] == "value"
    log = ExchangeLog()
    assert log.add(big, premasked=True).response_body == b"x" * (PACK_LIMIT + 1)


def test_recording_masks_once_and_packs_only_the_masked_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def counted(ex: Exchange) -> Exchange:
        calls.append(ex.id)
        return masked_exchange(ex)

    monkeypatch.setattr(exchange_mod, "masked_exchange", counted)
    log = ExchangeLog()
    raw = typical(11)
    raw.request_headers = [("authorization", f"Bearer {FAKE_KEY}")]
    raw.response_body = b'{"echo":"%s"}' % FAKE_KEY.encode()
    raw.sse_events = [SseEvent(1.0, f"key {FAKE_KEY}")]
    ex = log.add(raw)
    assert calls == [ex.id] and ex.packed
    log.add(typical(12), premasked=True)
    assert calls == [ex.id]  # premasked: not scanned again
    blob = ex._heavy  # noqa: SLF001
    assert isinstance(blob, bytes)
    opener = zlib.decompressobj(zdict=exchange_pack._ZDICT)  # noqa: SLF001
    inside = opener.decompress(blob) + opener.flush()
    assert FAKE_KEY.encode() not in inside and FAKE_KEY[-4:].encode() in inside
    assert FAKE_KEY not in str(ex.request_headers) and FAKE_KEY not in ex.sse_events[0].data


def test_masking_a_packed_exchange_keeps_it_packed_and_masked() -> None:
    ex = typical(13)
    ex.pack()
    ex.response_body = b"key " + FAKE_KEY.encode()
    masked_exchange(ex)
    assert ex.packed and FAKE_KEY.encode() not in ex.response_body


def test_the_dataclass_api_is_kept() -> None:
    ex = rich()
    ex.pack()
    copy = dataclasses.replace(ex, id="ex-9999")
    assert copy.id == "ex-9999" and copy.sse_events == ex.sse_events and not copy.packed
    assert dataclasses.is_dataclass(ex) and len(dataclasses.fields(Exchange)) == 29
    positional = Exchange("ex-1", "model", "t", "POST", "http://127.0.0.1/v1/x")
    assert positional.request_headers == [] and positional.timings == {}
    assert positional.note_messages == [] and positional.sse_stats is None
    other = Exchange("ex-2", "model", "t", "POST", "http://127.0.0.1/v1/x")
    other.request_headers.append(("a", "b"))
    assert positional.request_headers == []  # a list of its own
    with pytest.raises(AttributeError):
        positional.unknown = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("packed", [False, True])
def test_a_shallow_copy_has_heavy_fields_of_its_own(packed: bool) -> None:
    import copy

    ex = Exchange("ex-1", "chat", "", "GET", "http://x/v1/models", response_body=b"original")
    if packed:
        assert ex.pack()
    dup = copy.copy(ex)
    dup.response_body = b"changed"
    dup.timings = {"total": 1.0}
    assert ex.response_body == b"original" and ex.timings == {}
    assert dup == copy.copy(dup) and dup.response_body == b"changed"
