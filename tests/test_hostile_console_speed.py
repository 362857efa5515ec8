"""Issue 14, console and chat: checks start before the screen is built, a spinner
frame repaints the running row alone, and one long streamed paragraph is shown in bounded parts.

Loopback servers over real sockets; rows of ``HOSTILE_ROWS`` are asserted below
(docs/hardening.md is generated from them).
"""

from __future__ import annotations

import asyncio
import json
import time

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from tests.support.console import wait_for
from tests.support.servers import MODELS_BODY, Conn, RawServer
from tests.test_console_live import live_app
from tui.core.chat.markdown_cuts import PART_CHARS, split_point
from tui.core.diagnosis.model import Status, Target
from tui.core.net.exchange import ExchangeLog
from tui.ui.paths import styles_dir
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_message import AssistantMessage
from tui.ui.widgets.checklist import Checklist, CheckRow

# fmt: off
HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Console speed", "the gateway holds every answer 2 s while the console builds its screen",
     "the checks' first request is on the wire before the main screen is mounted (the run "
     "starts when the target is resolved; the screen adopts it and shows its results)"),
    ("Console speed", "a check waits for seconds (its spinner runs at 10 frames a second)",
     "each spinner frame repaints the running row alone (one widget that draws its line): "
     "no other row is touched, and none asks for a layout of the screen"),
    ("Chat speed", "the model streams one 30 KB paragraph without a single line break",
     "the reply is shown in Markdown parts of about 4,000 characters (only the tail takes "
     "appends; a frozen part's height is pinned, the last one's when the reply ends), and "
     "the text shown is the whole reply"),
    ("Chat speed", "a long reply mixes a code fence, a list, open **bold** and paragraphs",
     "parts are cut only at a block boundary or after a sentence, never inside a code fence, "
     "a list, a quote, a table or an open inline span"),
]
# fmt: on

WORDS = "gateway stream token reply model doctor quick brown fox jumps".split()


def paragraph(n_chars: int) -> str:
    out, i = [], 0
    while sum(map(len, out)) < n_chars:
        w = WORDS[i % len(WORDS)]
        out.append(f"{w}. " if i % 13 == 12 else f"{w} ")
        i += 1
    return "".join(out)


# ----- console: the run starts before the screen -------------------------------------
async def _hold_answers(conn: Conn, seen: list[float], hold: float = 2.0) -> None:
    while (req := await conn.read_request()) is not None:
        seen.append(time.monotonic())
        await asyncio.sleep(hold)
        body = MODELS_BODY if req.target.endswith("/models") else b"{}"
        await conn.respond(200, [("Content-Type", "application/json")], body)


async def test_checks_reach_the_gateway_before_the_screen_is_mounted(monkeypatch) -> None:
    seen: list[float] = []
    mounted: list[float] = []
    sent: list[float] = []
    original = MainScreen.on_mount

    def on_mount(self) -> None:  # noqa: ANN001
        mounted.append(time.monotonic())
        original(self)

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)

    async def handler(conn: Conn) -> None:
        await _hold_answers(conn, seen)

    with RawServer(handler, max_seconds=30) as srv:
        app = live_app(srv.url + "/v1", timeout=5.0)
        app.exchange_log.subscribe_started(
            lambda ex: ex.step != "chat" and sent.append(time.monotonic())
        )
        async with app.run_test(size=(140, 40)) as pilot:
            await wait_for(pilot, lambda: bool(seen) and bool(mounted), timeout=10)
            assert sent and min(sent) < mounted[0], "the first request waited for the screen"
            checklist = app.screen.query_one(Checklist)
            # the screen adopted the early run: its rows follow it (no second run)
            await wait_for(pilot, lambda: checklist.rows["network"].status is not Status.PENDING)
            app.exit()


# ----- console: a spinner frame repaints the running row alone ----------------------------
async def test_a_spinner_frame_repaints_the_running_row_alone(monkeypatch) -> None:
    seen: list[float] = []

    async def handler(conn: Conn) -> None:
        # Held long enough that a console built slowly (a loaded machine: over 2 s, once)
        # still finds the network step running.
        await _hold_answers(conn, seen, hold=12.0)

    with RawServer(handler, max_seconds=30) as srv:
        app = live_app(srv.url + "/v1", timeout=15.0)
        async with app.run_test(size=(140, 40)) as pilot:
            checklist = app.screen.query_one(Checklist)
            network_running = lambda: checklist.rows["network"].status is Status.RUNNING  # noqa: E731
            await wait_for(pilot, network_running, timeout=10.0)
            await pilot.pause(0.2)
            updates: list[tuple[str, bool]] = []
            original = CheckRow.refresh

            def refresh(self, *regions, layout: bool = False, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
                updates.append((self.check_id, layout))
                return original(self, *regions, layout=layout, **kwargs)

            monkeypatch.setattr(CheckRow, "refresh", refresh)
            row = checklist.rows["network"]
            row.started_at = time.monotonic()  # the elapsed second does not change now
            row.refresh_text()
            before = row.shown_text()
            updates.clear()
            checklist._spin()
            monkeypatch.setattr(CheckRow, "refresh", original)
            running = {cid for cid, r in checklist.rows.items() if r.status is Status.RUNNING}
            assert updates and {cid for cid, _ in updates} == running, updates
            assert not any(layout for _, layout in updates), updates
            after = row.shown_text()
            assert after.mark != before.mark and after._replace(mark=before.mark) == before
            app.exit()


# ----- chat: one long paragraph in bounded parts ----------------------------------------
def _stream_handler(text: str):  # noqa: ANN202
    pieces = [text[i : i + 24] for i in range(0, len(text), 24)]

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            if req.method == "GET":
                await conn.respond(200, [("Content-Type", "application/json")], MODELS_BODY)
                continue
            await conn.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            )
            for i in range(0, len(pieces), 200):
                out = b""
                for p in pieces[i : i + 200]:
                    chunk = {"choices": [{"index": 0, "delta": {"content": p}}]}
                    out += b"data: " + json.dumps(chunk).encode() + b"\n\n"
                await conn.write(out)
                await asyncio.sleep(0.01)
            end = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            await conn.write(b"data: " + json.dumps(end).encode() + b"\n\ndata: [DONE]\n\n")
            return

    return handle


class _ChatApp(App):
    CSS_PATH = str(styles_dir() / "chat.tcss")

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        yield ChatPane(self.target, ExchangeLog(), "en")


async def test_one_long_paragraph_is_shown_in_bounded_parts() -> None:
    text = paragraph(30_000)
    with RawServer(_stream_handler(text), max_seconds=60) as srv:
        target = Target(
            base_url=srv.url + "/v1", api_key="", model="gpt-4o-mini", timeout=10, trust_env=False
        )
        app = _ChatApp(target)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = app.query_one(ChatPane)
            await pilot.pause(0.2)
            pane.send_prompt("go")
            end = time.monotonic() + 40
            while pane.busy and time.monotonic() < end:  # no pilot.pause: a loaded CI box
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            msg = app.query(AssistantMessage).last()
            parts = list(msg.body.query(Markdown))
            assert pane.session.history[-1].reply.content == text
            got = msg.body.source
            assert got in (text, text.rstrip())
            assert len(parts) >= 30_000 // PART_CHARS - 1, len(parts)
            # each part was a bounded tail: at most a part plus one frame's batch
            assert max(len(p.source) for p in parts) < PART_CHARS + 20_000
            # every part of a finished reply, the last one too, has a fixed height
            pinned = [p for p in parts if p.styles.height and p.styles.height.is_cells]
            assert len(pinned) >= len(parts) - 1, (len(pinned), len(parts))
            assert parts[-1] in pinned


def test_parts_are_cut_only_where_markdown_allows() -> None:
    long = paragraph(PART_CHARS + 500)
    cut, continued = split_point(long)
    assert 0 < cut < len(long) and continued and long[cut - 2] in ".!?"
    blocks = paragraph(PART_CHARS * 3 // 4) + "\n\n" + paragraph(PART_CHARS // 2)
    cut, continued = split_point(blocks)
    assert blocks[cut - 2 : cut] == "\n\n" and not continued
    assert split_point("```python\n" + long) == (0, False)  # inside a code fence
    assert split_point("- " + long) == (0, False)  # a list item
    assert split_point("> " + long) == (0, False)  # a quote
    assert split_point("| a | b |\n" + long) == (0, False)  # a table
    assert split_point("**" + long) == (0, False)  # open bold
    assert split_point("`" + long) == (0, False)  # open code span
