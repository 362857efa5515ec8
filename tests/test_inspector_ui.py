"""The inspector pane: incremental list, filters, follow mode, jump, exports, snapshots."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Select

from tests.conftest import CANARY_KEY, FAKE_KEY
from tests.support.host import HostApp
from tui.core.net.exchange import Exchange, ExchangeLog, SseEvent
from tui.ui import clipboard
from tui.ui.widgets.inspector import ExchangesRecorded, InspectorPane
from tui.ui.widgets.inspector_detail import ExchangeDetail
from tui.ui.widgets.inspector_list import ExchangeList

SIZE = (120, 48)


def InspectorApp(log: ExchangeLog, lang: str = "en") -> HostApp:
    """The inspector pane alone, as the console mounts it."""
    return HostApp(
        lambda app: InspectorPane(app.exchange_log, app.lang, id="inspector-pane"),
        log=log,
        lang=lang,
        system_copy=lambda text: clipboard.pyperclip_copy(text),  # as a test patches it
        title="InspectorApp",
    )


CHAT_REQ = json.dumps(
    {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "ping"}], "max_tokens": 4}
).encode()


def json_exchange(n: int = 1, **kw) -> Exchange:
    base = dict(
        id=f"ex-{n:04d}",
        step="model",
        started_at=f"2025-01-02T03:04:{n % 60:02d}.123Z",
        method="POST",
        url="http://127.0.0.1:8000/v1/chat/completions",
        request_headers=[
            ("host", "127.0.0.1:8000"),
            ("authorization", f"Bearer {FAKE_KEY}"),
            ("content-type", "application/json"),
        ],
        request_body=CHAT_REQ,
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        response_headers=[("content-type", "application/json"), ("x-request-id", "req-0001")],
        response_body=b'{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,'
        b'"message":{"role":"assistant","content":"pong"},"finish_reason":"stop"}]}',
        body_size=140,
        timings={"connect": 1.5, "ttfb": 210.0, "transfer": 4.0, "total": 216.0},
        duration_ms=216.0,
    )
    base.update(kw)
    return Exchange(**base)


def sse_exchange(n: int = 2) -> Exchange:
    chunks = [
        (15.0, '{"choices":[{"delta":{"role":"assistant","content":""}}]}'),
        (40.0, '{"choices":[{"delta":{"content":"Hel"}}]}'),
        (41.0, "PING"),
        (65.5, '{"choices":[{"delta":{"content":"lo"}}]}'),
        (90.0, '{"choices":[{"delta":{},"finish_reason":"stop"}]}'),
        (90.2, "[DONE]"),
    ]
    events = [SseEvent(o, d, comment=(d == "PING")) for o, d in chunks]
    body = "".join(f": {d}\n\n" if d == "PING" else f"data: {d}\n\n" for _, d in chunks)
    return json_exchange(
        n,
        step="stream",
        response_headers=[("content-type", "text/event-stream"), ("x-request-id", "req-0002")],
        response_body=body.encode(),
        body_size=len(body),
        streamed=True,
        sse_events=events,
        timings={"connect": 1.0, "ttfb": 14.0, "transfer": 76.0, "total": 91.0},
        duration_ms=91.0,
    )


def failed_exchange(n: int = 3) -> Exchange:
    return json_exchange(
        n,
        step="network",
        method="GET",
        url="https://api.alltkn.com/api/v1/models",
        request_body=b"",
        status=None,
        reason="",
        http_version="",
        response_headers=[],
        response_body=b"",
        body_size=0,
        error="connect timed out: timed out",
        error_kind="connect_timeout",
        timings={"total": 10003.0},
        duration_ms=10003.0,
    )


def sample_log() -> ExchangeLog:
    log = ExchangeLog()
    for ex in (
        json_exchange(1),
        sse_exchange(2),
        failed_exchange(3),
        json_exchange(4, status=404, reason="Not Found", step="model"),
    ):
        log.add(ex)
    return log


# --- snapshots ------------------------------------------------------------------------


def _snap(snap_compare, exchange_id: str) -> bool:
    async def run_before(pilot) -> None:
        pane = pilot.app.query_one(InspectorPane)
        pane.show_exchange(exchange_id)
        await pilot.pause()

    return snap_compare(InspectorApp(sample_log()), terminal_size=SIZE, run_before=run_before)


def test_snapshot_json_exchange(snap_compare) -> None:
    assert _snap(snap_compare, "ex-0001")


def test_snapshot_sse_exchange(snap_compare) -> None:
    assert _snap(snap_compare, "ex-0002")


def test_snapshot_failed_exchange(snap_compare) -> None:
    assert _snap(snap_compare, "ex-0003")


# --- behaviour ---------------------------------------------------------------------------


def rows(pane: InspectorPane) -> list[str]:
    table = pane.query_one(ExchangeList)
    return [table.key_at(i) for i in range(table.row_count)]


def shown(pane: InspectorPane) -> str | None:
    return pane.query_one(ExchangeDetail).exchange_id


async def wait_rows(pilot, pane: InspectorPane, n: int) -> None:
    for _ in range(100):
        if pane.query_one(ExchangeList).row_count >= n:
            return
        await pilot.pause(0.01)
    raise AssertionError(f"only {pane.query_one(ExchangeList).row_count} rows, expected {n}")


async def test_exchanges_recorded_from_another_thread_are_appended_not_rebuilt() -> None:
    log = sample_log()
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        assert rows(pane) == ["ex-0001", "ex-0002", "ex-0003", "ex-0004"]
        assert shown(pane) == "ex-0004"  # follow mode starts on
        rebuilds = []
        original = pane._rebuild
        pane._rebuild = lambda *a, **k: (rebuilds.append(1), original(*a, **k))  # type: ignore[method-assign]

        def record() -> None:
            for i in range(5, 205):
                log.add(json_exchange(i))

        worker = threading.Thread(target=record)
        worker.start()
        worker.join()
        await wait_rows(pilot, pane, 204)
        await pilot.pause()
        assert rebuilds == []
        assert rows(pane)[-1] == "ex-0204" and shown(pane) == "ex-0204"
        # and from the app's own thread too
        log.add(json_exchange(205))
        await wait_rows(pilot, pane, 205)
        assert shown(pane) == "ex-0205"


async def test_a_burst_from_another_thread_is_flushed_once() -> None:
    """Waiting ExchangesRecorded messages replace each other (``can_replace``)."""
    log = sample_log()
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        flushes = []
        original = pane._flush_pending
        pane._flush_pending = lambda: (flushes.append(1), original())  # type: ignore[method-assign]
        worker = threading.Thread(target=lambda: [log.add(json_exchange(i)) for i in range(5, 105)])
        worker.start()
        worker.join()  # the loop is blocked: all 100 messages are waiting when it runs
        await wait_rows(pilot, pane, 104)
        await pilot.pause()
        assert flushes == [1]
    assert ExchangesRecorded().can_replace(ExchangesRecorded())


async def test_language_switch_keeps_the_cursor_while_following() -> None:
    app = InspectorApp(sample_log())
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        pane.focus_main()
        await pilot.press("up")
        assert pane.follow and shown(pane) == "ex-0003"
        pane.lang = "zh-CN"
        await pilot.pause()
        assert pane.follow and shown(pane) == "ex-0003"
        assert pane.query_one(ExchangeList).cursor_row == 2
        assert "InspectorPane" not in type(pane).focus.__qualname__  # focus_main, no override


async def test_follow_off_keeps_the_selection_while_new_exchanges_arrive() -> None:
    log = sample_log()
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        pane.query_one(ExchangeList).focus()
        await pilot.press("f", "up", "up")
        await pilot.pause()
        assert not pane.follow and shown(pane) == "ex-0002"
        log.add(json_exchange(9))
        await wait_rows(pilot, pane, 5)
        assert shown(pane) == "ex-0002"
        await pilot.press("f")
        assert pane.follow and shown(pane) == "ex-0009"


async def test_filter_by_text_and_status_class() -> None:
    app = InspectorApp(sample_log())
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        await pilot.press("slash")  # focus is in the pane's input already; "/" just types
        pane.query_one(Input).value = ""
        await pilot.click("#inspector-filter")
        await pilot.press(*"stream", "enter")
        await pilot.pause()
        assert rows(pane) == ["ex-0002"]
        pane.query_one(Input).value = "completions 404"
        await pilot.pause(0.3)  # debounced
        assert rows(pane) == ["ex-0004"]
        pane.query_one(Input).value = ""
        await pilot.pause(0.3)
        pane.query_one("#inspector-class", Select).value = "problems"
        await pilot.pause()
        assert rows(pane) == ["ex-0003", "ex-0004"]
        pane.query_one(ExchangeList).focus()
        await pilot.press("S")  # cycles to 2xx
        await pilot.pause()
        assert rows(pane) == ["ex-0001", "ex-0002"]
        assert "2/4" in str(pane.query_one("#inspector-count").render())


async def test_show_exchange_clears_a_hiding_filter_and_stops_following() -> None:
    log = sample_log()
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        pane.query_one("#inspector-class", Select).value = "2xx"
        await pilot.pause()
        assert "ex-0003" not in rows(pane)
        pane.show_exchange("ex-0003")
        await pilot.pause()
        assert shown(pane) == "ex-0003" and not pane.follow
        assert len(rows(pane)) == 4
        table = pane.query_one(ExchangeList)
        assert table.cursor_row == 2
        log.add(json_exchange(7))
        await wait_rows(pilot, pane, 5)
        assert shown(pane) == "ex-0003"
        pane.show_exchange("ex-9999")
        await pilot.pause()
        assert any("ex-9999" in n.message for n in app._notifications)


async def test_export_bindings_write_masked_files_and_copy_curl(monkeypatch, tmp_path) -> None:
    copied: list[str] = []
    from tui.ui import clipboard

    monkeypatch.setattr(clipboard, "pyperclip_copy", copied.append)
    log = sample_log()
    log.add(json_exchange(5, url=f"http://h/v1/models?key={CANARY_KEY}", request_body=b""))
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        pane.show_exchange("ex-0001")
        pane.focus_main()
        await pilot.press("c", "h", "j", "J")
        await pilot.pause()
    assert len(copied) == 1
    assert '-H "Authorization: Bearer $OPENAI_API_KEY"' in copied[0]
    files = sorted(Path(tmp_path / "state").iterdir())
    by_suffix = {p.suffix: p for p in files}
    har = json.loads(by_suffix[".har"].read_text())
    assert har["log"]["version"] == "1.2" and len(har["log"]["entries"]) == 5
    jsons = [json.loads(p.read_text()) for p in files if p.suffix == ".json"]
    assert sorted(len(d["exchanges"]) for d in jsons) == [1, 5]
    for p in files:
        text = p.read_text()
        assert FAKE_KEY not in text and CANARY_KEY not in text
    notes = [n.message for n in app._notifications]
    assert any(str(by_suffix[".har"]) in n for n in notes)


async def test_language_switch_relabels_in_place() -> None:
    from tui.ui.bindings import described

    app = InspectorApp(sample_log())
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        pane.show_exchange("ex-0002")
        pane.lang = "zh-CN"
        await pilot.pause()
        labels = [str(c.label) for c in pane.query_one(ExchangeList).columns.values()]
        assert labels == ["时间 (UTC)", "步骤", "方法", "状态", "耗时", "大小", "路径"]
        assert str(pane.query_one("#insp-request-title").render()) == "请求"
        assert "SSE 事件" in str(pane.query_one("#insp-sse-title").render())
        assert described(pane._bindings.key_to_bindings["c"][0], pane.lang).description == (
            "复制 curl"
        )
        assert shown(pane) == "ex-0002" and len(rows(pane)) == 4
        screen = app.export_screenshot()
        assert "全部状态" in screen and "方法" in screen and "All statuses" not in screen


async def test_empty_log_says_what_to_do_and_exports_refuse_politely() -> None:
    app = InspectorApp(ExchangeLog())
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        assert "No exchanges yet" in str(pane.query_one("#insp-summary").render())
        pane.focus_main()
        await pilot.press("c", "h")
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("Select an exchange first" in n for n in notes)
        assert any("No exchanges to save" in n for n in notes)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_large_and_binary_bodies_render_without_errors(size) -> None:
    log = ExchangeLog()
    big = json.dumps({"data": [{"id": f"model-{i}", "object": "model"} for i in range(5000)]})
    log.add(json_exchange(1, response_body=big.encode(), body_size=len(big)))
    log.add(json_exchange(2, response_body=b"\x89PNG\r\n\x1a\n\x00\xff" * 50, body_size=500))
    # list cells are not markup: a URL with "[/]" or "[bold]" must neither crash nor style
    log.add(json_exchange(3, url="http://h/v1/models?q=[/]&r=[bold]x", step="[red]step"))
    app = InspectorApp(log)
    async with app.run_test(size=size) as pilot:
        pane = app.query_one(InspectorPane)
        pane.show_exchange("ex-0001")
        await pilot.pause()
        body = str(pane.query_one("#insp-response-body").render())
        assert "truncated" in body or len(big) < 64 * 1024
        pane.show_exchange("ex-0002")
        await pilot.pause()
        assert "00000000  89 50 4e 47" in str(pane.query_one("#insp-response-body").render())
        table = pane.query_one(ExchangeList)
        row = table.get_row("ex-0003")
        keys = [str(c.key.value) for c in table.ordered_columns]
        assert "[bold]x" in str(row[keys.index("path")])
        assert row[keys.index("step")] == "[red]step"  # plain text, never markup
        assert "[red]step" in _screen_text(app) and "[bold]x" in _screen_text(app)


@pytest.mark.parametrize("width", [78, 80])
async def test_narrow_list_cuts_only_the_path_never_status_size_or_step(width) -> None:
    """80 columns, or the right column of the wide console (78 inside its border)."""
    log = ExchangeLog()
    long_path = (
        "http://127.0.0.1:41309/scenario/token_quota_exhausted_zh/v1/dashboard/billing/usage"
    )
    log.add(json_exchange(1, url=long_path, step="balance"))
    app = InspectorApp(log)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        screen = _screen_text(app)
        # the time column gives way first (the detail shows it); the path's end stays
        for header in ("Step", "Method", "Status", "Duration", "Size", "Path"):
            assert header in screen, header
        assert "balance" in screen and "200" in screen and "/billing/usage" in screen


def _screen_text(app: App) -> str:
    """The characters on the app's screen, line by line (what a user sees)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001
    return "\n".join(strip.text for strip in strips)


async def test_follow_indicator_is_lit_from_the_start() -> None:
    app = InspectorApp(sample_log())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        indicator = app.query_one("#inspector-follow")
        assert app.query_one(InspectorPane).follow and indicator.has_class("-on")
        app.query_one(InspectorPane).action_toggle_follow()
        assert not indicator.has_class("-on")


async def test_keys_and_a_click_move_the_cursor_and_show_that_exchange() -> None:
    log = ExchangeLog()
    for i in range(1, 121):
        log.add(json_exchange(i))
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        table = pane.query_one(ExchangeList)
        table.focus()
        await pilot.press("home")
        assert table.cursor_row == 0 and shown(pane) == "ex-0001"
        await pilot.press("pagedown")
        assert table.cursor_row > 5 and shown(pane) == table.key_at(table.cursor_row)
        await pilot.press("end")
        await pilot.pause()
        assert shown(pane) == "ex-0120" and table.scroll_offset.y > 0
        await pilot.click("#inspector-list", offset=(20, 3))  # the third row on screen
        await pilot.pause()
        row = table.scroll_offset.y + 2
        assert table.cursor_row == row and shown(pane) == table.key_at(row)
        assert str(log.get(shown(pane)).id) in _screen_text(app)


async def test_a_pending_request_hidden_by_the_filter_is_listed_when_its_answer_passes() -> None:
    log = sample_log()
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        pane.query_one("#inspector-class", Select).value = "4xx"
        await pilot.pause()
        assert rows(pane) == ["ex-0004"]
        log.started(json_exchange(3, id="ex-0003b", status=None, reason="", response_body=b""))
        log.started(json_exchange(9, status=None, reason="", response_body=b""))
        await pilot.pause()
        assert rows(pane) == ["ex-0004"]  # waiting: no status class yet
        log.add(json_exchange(9, status=429, reason="Too Many Requests"))
        await pilot.pause()
        assert rows(pane) == ["ex-0004", "ex-0009"]
        assert pane.query_one(ExchangeList).get_row("ex-0009")[3] == "429"
