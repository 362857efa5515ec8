"""Issue 15, wrong facts in the chat: "Charged" decided from what happened and the
same in the chat and the checklist summaries, "Started" is the request's time,
quick-prompt hints follow the result, Ctrl+S saves compare turns, and the
transcript names the gateway of each turn (real demo gateway on loopback)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests.support.targets import target_for
from tests.test_chat_ui import ChatTestApp, make_target, type_and_send, wait_idle
from tui.core.chat.transcript import chat_error_summary, transcript_markdown
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.summary import support_summary
from tui.core.net.exchange import ExchangeLog
from tui.ui.widgets.chat import ChatPane

LATER = datetime.now(UTC) + timedelta(hours=3)


def row(summary: str, name: str) -> str:
    return next(line for line in summary.splitlines() if line.startswith(name + ":"))


def status(app) -> str:
    return str(app.query_one("#chat-status").render())


async def _chat_summary(gw, scenario: str) -> tuple[str, object]:
    app = ChatTestApp(make_target(gw, scenario))
    async with app.run_test(size=(100, 36)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, "hello there")
        await wait_idle(pilot, pane)
        reply = pane.session.history[-1].reply
        text = chat_error_summary(reply, app.target, app.exchange_log, now=LATER)
        return text, app.exchange_log.get(reply.stats.exchange_id)


async def test_stream_cut_is_charged_in_chat_and_checklist_alike(demo_gateway):
    chat, _ = await _chat_summary(demo_gateway, "stream_cut")
    assert row(chat, "Charged").split(":", 1)[1].strip().startswith("yes — reply tokens received")
    log = ExchangeLog()
    report = await run_checks(target_for(demo_gateway.scenario_url("stream_cut")), log)
    checks = support_summary(report, log=log)
    assert row(checks, "Charged").split(":", 1)[1].strip().startswith("yes — ")


async def test_refused_requests_are_not_charged_and_say_why(demo_gateway):
    chat, _ = await _chat_summary(demo_gateway, "invalid_key")
    charged = row(chat, "Charged")
    assert "no — every completion was refused (HTTP 401)" in charged, charged
    # A 524: Cloudflare stopped waiting for an origin that had the request (may be billed).
    chat, _ = await _chat_summary(demo_gateway, "cloudflare_524")
    charged = row(chat, "Charged")
    assert "unknown — the intermediary (Cloudflare 524) stopped waiting" in charged, charged


async def test_started_is_the_request_time_not_the_copy_time(demo_gateway):
    chat, ex = await _chat_summary(demo_gateway, "invalid_key")
    assert ex is not None
    assert row(chat, "Started").split(":", 1)[1].strip() == ex.started_at
    assert LATER.strftime("%Y-%m-%d %H:%M") in chat  # the copy time is still there, as "Time"


async def test_quick_prompt_hint_follows_the_result(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway, "invalid_key"))
    async with app.run_test(size=(100, 36)) as pilot:
        pane = app.query_one(ChatPane)
        pane.action_quick("short")
        assert "testing connection, key and model name" in status(app)
        await wait_idle(pilot, pane)
        hint = status(app)
        assert "work." not in hint and "failed (auth.invalid_key)" in hint, hint
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 36)) as pilot:
        pane = app.query_one(ChatPane)
        pane.action_quick("short")
        await wait_idle(pilot, pane)
        assert status(app) == "✓ Short test: Connection, key and model name work."
        pane.lang = "zh-CN"
        await pilot.pause()
        assert status(app) == "✓ 短消息测试：连接、密钥和模型名称都正常。"


async def test_long_reply_scrolls_the_transcript(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 36)) as pilot:
        pane = app.query_one(ChatPane)
        pane.action_quick("long")
        await wait_idle(pilot, pane, limit=20)
        log = app.query_one("#chat-log")
        # The last parts are laid out a frame or more after the reply ends (later on a
        # busy machine): wait for the transcript to grow, up to 15 s.
        end = time.monotonic() + 15
        while log.max_scroll_y <= 1.5 * log.size.height and time.monotonic() < end:
            await pilot.pause(0.1)
        # ~970 words: well over two screens (60 rows of scroll measured at 98×30)
        assert log.max_scroll_y > 1.5 * log.size.height, (log.max_scroll_y, log.size)


async def test_ctrl_s_saves_compare_turns_and_earlier_ones(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, "before compare")
        await wait_idle(pilot, pane)
        pane.start_compare("gpt-4o-mini", "deepseek-chat")
        await pilot.pause()
        await type_and_send(pilot, "compare this")
        await wait_idle(pilot, pane)
        await pilot.press("ctrl+t")  # leave compare mode: its turns stay saved
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        path = status(app).split(": ", 1)[1]
        text = open(path, encoding="utf-8").read()
        assert text.count("## You") == 3 and "before compare" in text
        assert "(deepseek-chat" in text and "(gpt-4o-mini" in text
        assert text.index("before compare") < text.index("compare this")


async def test_transcript_names_the_gateway_of_each_turn(demo_gateway):
    first, second = make_target(demo_gateway), make_target(demo_gateway, "slow_steady")
    app = ChatTestApp(first)
    async with app.run_test(size=(100, 36)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, "one")
        await wait_idle(pilot, pane)
        pane.set_target(second)
        await pilot.pause(0.2)
        await type_and_send(pilot, "two")
        await wait_idle(pilot, pane, limit=20)
        text = transcript_markdown(pane.transcript, pane.target)
    assert f"  - {first.base_url} (turns 1)" in text, text
    assert f"  - {second.base_url} (turns 2)" in text
    assert f"· {first.base_url})" in text and f"· {second.base_url})" in text
