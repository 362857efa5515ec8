"""Chat pane pilot tests against the demo gateway over real loopback sockets."""

from __future__ import annotations

import json
import time
from datetime import datetime

from textual.app import App
from textual.widgets import Input, Markdown, OptionList

from tests.conftest import CANARY_KEY, FAKE_KEY
from tests.support.host import HostApp
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.core.safe.masking import mask, register_secret
from tui.ui.paths import styles_dir
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.chat_message import AssistantMessage, ErrorBox


def ChatTestApp(target: Target, lang: str = "en", *, fixed_timings: bool = False) -> HostApp:
    """The chat pane alone, with its stylesheet, the message box focused."""
    return HostApp(
        lambda app: ChatPane(app.target, app.exchange_log, app.lang, fixed_timings=fixed_timings),
        target=target,
        lang=lang,
        css=[styles_dir() / "chat.tcss"],
        focus="#chat-input",
        title="ChatTestApp",
    )


def make_target(
    gw, scenario: str = "healthy", *, key: str = FAKE_KEY, timeout: float = 2.0
) -> Target:
    return Target(
        base_url=gw.scenario_url(scenario), api_key=key, model="gpt-4o-mini", timeout=timeout
    )


async def wait_idle(pilot, pane: ChatPane, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    await pilot.pause()
    while pane.busy:
        assert time.monotonic() < deadline, "chat reply did not finish in time"
        await pilot.pause(0.02)
    await pilot.pause()


async def wait_models(pilot, pane: ChatPane, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not pane.models and time.monotonic() < deadline:
        await pilot.pause(0.02)


async def type_and_send(pilot, text: str) -> None:
    pilot.app.query_one("#chat-input", Input).value = text
    await pilot.press("enter")


def chat_bodies(log: ExchangeLog) -> list[dict]:
    return [
        json.loads(ex.request_body) for ex in log.all() if ex.path.endswith("/chat/completions")
    ]


async def test_multi_turn_sends_whole_history(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, "first question")
        await wait_idle(pilot, pane)
        await type_and_send(pilot, "second question")
        await wait_idle(pilot, pane)
        replies = list(app.query(AssistantMessage))
        assert len(replies) == 2
        first_text = pane.session.history[0].reply.content
        assert replies[0].query_one(Markdown).source == first_text
        assert "first question" in first_text
        assert "tok/s" in str(replies[1].query_one(".chat-stats").render())
    bodies = chat_bodies(app.exchange_log)
    sent = bodies[1]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    # (the log is masked: compare with the masked reply text)
    assert [m["content"] for m in sent] == ["first question", mask(first_text), "second question"]
    assert all(ex.step == "chat" for ex in app.exchange_log.all())


async def test_escape_stops_reply_and_keeps_partial_text(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway, "stream_stall", timeout=10))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, "tell me a story")
        deadline = time.monotonic() + 5
        while not (pane.session.history and pane.session.history[-1].reply.content):
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        assert pane.busy
        started = time.monotonic()
        await pilot.press("escape")
        await wait_idle(pilot, pane, 2)
        assert time.monotonic() - started < 1.5
        reply = pane.session.history[-1].reply
        assert reply.stopped and reply.content
        msg = app.query_one(AssistantMessage)
        assert msg.has_class("-stopped")
        assert "stopped by you" in str(msg.query_one(".chat-stopped").render())
        assert msg.query_one(Markdown).source == reply.content
    chats = [ex for ex in app.exchange_log.all() if ex.path.endswith("/chat/completions")]
    assert chats[-1].error_kind == "cancelled"


async def test_error_reply_shows_code_remediation_and_copies_summary(demo_gateway, tmp_path):
    register_secret(CANARY_KEY)
    app = ChatTestApp(make_target(demo_gateway, "quota_exhausted", key=CANARY_KEY), lang="zh-CN")
    async with app.run_test(size=(100, 50)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, "hi")
        await wait_idle(pilot, pane)
        box = app.query_one(ErrorBox)
        text = " ".join(str(w.render()) for w in box.query(".chat-error-title, .chat-error-steps"))
        assert "balance.insufficient" in text and "处理办法：" in text and "处理办法:" not in text
        said = str(box.query_one(".chat-error-text").render())
        assert "You exceeded your current quota" in said and "HTTP 429：" in said, said
        await pilot.click(".chat-copy-summary")
        await pilot.pause()
        summary = pane.last_copied
        assert "balance.insufficient" in summary and CANARY_KEY not in summary
        saved = list((tmp_path / "state").glob("chat-support-summary-*"))
        assert saved and CANARY_KEY not in saved[0].read_text()
        pane.last_copied = ""
        await pilot.press("ctrl+y")
        assert "balance.insufficient" in pane.last_copied


async def test_model_not_found_inline(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway, "model_not_found"))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, "hi")
        await wait_idle(pilot, pane)
        title = str(app.query_one(".chat-error-title").render())
        assert "model.not_found" in title
        assert app.query_one(AssistantMessage).has_class("-error")


async def test_compare_streams_two_models_at_once(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ChatPane)
        app.query_one("#chat-max", Input).value = "300"
        app.query_one("#chat-model-b", Input).value = "deepseek-chat"
        await pilot.press("ctrl+t")
        assert pane.compare is not None and pane.compare.models == ["gpt-4o-mini", "deepseek-chat"]
        await type_and_send(pilot, "compare this")
        await wait_idle(pilot, pane)
        cols = [app.query_one("#chat-log-a"), app.query_one("#chat-log-b")]
        msgs = [col.query_one(AssistantMessage) for col in cols]
        assert [m.model for m in msgs] == ["gpt-4o-mini", "deepseek-chat"]
        for m in msgs:
            assert m.reply is not None and m.reply.ok and m.reply.stats.completion_tokens == 300
            assert "tok/s" in str(m.query_one(".chat-stats").render())
    chats = [ex for ex in app.exchange_log.all() if ex.path.endswith("/chat/completions")]
    assert sorted(json.loads(ex.request_body)["model"] for ex in chats) == [
        "deepseek-chat",
        "gpt-4o-mini",
    ]
    spans = []
    for ex in chats:
        start = datetime.fromisoformat(ex.started_at.replace("Z", "+00:00")).timestamp() * 1000
        spans.append((start, start + ex.duration_ms))
    (a0, a1), (b0, b1) = spans
    assert a0 < b1 and b0 < a1, "the two compare requests did not overlap in time"


async def test_quick_prompts_and_commands(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway), lang="zh-CN")
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await pilot.press("f2")
        await wait_idle(pilot, pane)
        assert pane.session.history[-1].prompt == "只回复：OK"
        await type_and_send(pilot, "/follow")
        await wait_idle(pilot, pane)
        body = chat_bodies(app.exchange_log)[-1]
        assert len(body["messages"]) == 3 and body["messages"][-1]["content"].startswith("用一句话")
        await type_and_send(pilot, "/help")
        await pilot.pause()
        assert "/short" in str(app.query(".chat-note").last().render())  # in the transcript
        await type_and_send(pilot, "/bogus")
        assert "/bogus" in str(app.query_one("#chat-status").render())
        await type_and_send(pilot, "/system 你是助手")
        await type_and_send(pilot, "/stream off")
        await type_and_send(pilot, "你好")
        await wait_idle(pilot, pane)
        body = chat_bodies(app.exchange_log)[-1]
        assert body["messages"][0] == {"role": "system", "content": "你是助手"}
        assert body["stream"] is False
        assert "演示网关" in app.query(Markdown).last().source


async def test_model_picker_filters_models_from_the_gateway(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        assert "deepseek-chat" in pane.models
        box = app.query_one("#chat-model", Input)
        box.focus()
        box.value = ""
        await pilot.press(*"deeps")
        await pilot.pause()
        listing = app.query_one("#chat-model-list", OptionList)
        assert listing.display
        names = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        # the models, then the list's own "Probe models" entry (issue 17)
        assert names == ["deepseek-chat", "deepseek-reasoner", "Probe models"]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert box.value == "deepseek-reasoner" and not listing.display
        box.value = "my-private-model"  # free text is allowed
        await pilot.press("enter")
        assert app.query_one("#chat-input", Input).has_focus


async def test_bad_settings_and_save_clear(demo_gateway, tmp_path):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        await pilot.press("ctrl+s")
        assert "Nothing to save" in str(app.query_one("#chat-status").render())
        app.query_one("#chat-temp", Input).value = "hot"
        app.query_one("#chat-max", Input).value = "20"
        await type_and_send(pilot, "hello")
        await wait_idle(pilot, pane)
        assert "must be a number" in str(app.query_one("#chat-status").render())
        body = chat_bodies(app.exchange_log)[-1]
        assert "temperature" not in body and body["max_tokens"] == 20
        await pilot.press("ctrl+s")
        saved = list((tmp_path / "state").glob("chat-*.md"))
        assert len(saved) == 1 and "hello" in saved[0].read_text()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not pane.session.history and not app.query(AssistantMessage)


async def test_no_target_gives_a_clear_message():
    app = ChatTestApp(Target())
    async with app.run_test(size=(100, 30)) as pilot:
        await type_and_send(pilot, "hi")
        assert "No gateway configured" in str(app.query_one("#chat-status").render())


async def test_set_target_switches_gateway(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway, "invalid_key"))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        pane.set_target(make_target(demo_gateway))
        await pilot.pause(0.1)
        await type_and_send(pilot, "hi")
        await wait_idle(pilot, pane)
        assert pane.session.history[-1].reply.ok


async def test_echoed_key_never_reaches_the_screen(demo_gateway):
    """The demo echoes the prompt: a pasted key comes back in the reply, masked on screen."""
    register_secret(CANARY_KEY)
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await type_and_send(pilot, f"is this my key {CANARY_KEY} ?")
        await wait_idle(pilot, pane)
        sources = [m.body.source for m in app.query(AssistantMessage)]
        assert sources and all(CANARY_KEY not in s for s in sources)
        assert CANARY_KEY not in app.export_screenshot()


def _visible_text(app: App) -> str:
    """The characters on screen, as a user reads them."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())  # noqa: SLF001


async def test_language_switch_relabels_the_whole_pane(demo_gateway):
    """Labels, the empty hint, the status line and replies on screen all follow ``pane.lang``."""
    app = ChatTestApp(make_target(demo_gateway, "model_not_found"))
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(ChatPane)
        await wait_models(pilot, pane)
        pane.lang = "zh-CN"
        await pilot.pause()
        screen = _visible_text(app)
        for zh in ("系统提示词", "温度", "最大 token", "流式", "按测试顺序试用", "/models 返回"):
            assert zh in screen, zh
        for en in ("System prompt", "temp", "max tok", "stream", "Try the testing", "models from"):
            assert en not in screen, en
        pane.lang = "en"
        pane.action_quick("short")
        await wait_idle(pilot, pane)
        pane.lang = "zh-CN"
        await pilot.pause()
        screen = _visible_text(app)
        assert "助手" in screen and "你" in screen and "处理办法" in screen
        assert "What to do" not in screen and "Assistant" not in screen
        # the hint follows the (failed) result, in the new language; never the all-clear
        hint = str(pane.query_one("#chat-status").render())
        assert hint.startswith("✗ 短消息测试失败（model.not_found）"), hint
        assert "确认连接、鉴权和模型名正确" not in hint


async def test_escape_with_nothing_to_stop_leaves_the_text_box(demo_gateway):
    app = ChatTestApp(make_target(demo_gateway))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.focused is app.query_one("#chat-input")
        await pilot.press("escape")
        assert app.focused is None


async def test_footer_shows_the_chat_keys_in_the_current_language():
    """In the console, the chat's keys follow its language; the class's bindings stay data."""
    from tests.support.console import wait_for
    from tests.test_console_focus import make_app

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.main.late_ready, timeout=15)
        app.main.show_pane("chat")
        await pilot.pause()
        shown = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"Compare", "Save", "Clear", "Copy summary"} <= shown
        assert "Stop" not in shown  # only while a reply streams (test_walk_ux_panes.py)
        app.lang = "zh-CN"
        await pilot.pause()
        assert app.main.query_one(ChatPane).lang == "zh-CN"
        shown = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"对比", "保存", "清空", "复制摘要"} <= shown and "停止" not in shown
        assert ChatPane.BINDINGS[0].description == "Stop"  # never rewritten


async def test_a_key_split_across_deltas_is_never_shown_half():
    """Every intermediate frame of the reply is free of any 8-character piece of the key."""
    from textual.app import App as _App

    register_secret(CANARY_KEY)

    class One(_App):
        def compose(self):
            yield AssistantMessage("gpt-4o-mini", fixed_timings=True)

    app = One()
    async with app.run_test(size=(100, 30)) as pilot:
        msg = app.query_one(AssistantMessage)
        half = len(CANARY_KEY) // 2
        seen = []
        for delta in ("Your key is ", CANARY_KEY[:half], CANARY_KEY[half:], " — keep it safe."):
            await msg.write(delta)
            await msg.flush()
            await pilot.pause()
            seen.append(msg.body.source)
        await msg.end_of_text()
        seen.append(msg.body.source)
    pieces = {CANARY_KEY[i : i + 8] for i in range(len(CANARY_KEY) - 7)}
    for frame in seen:
        assert not any(p in frame for p in pieces), frame
    assert seen[-1].endswith("keep it safe.") and "sk-…3210" in seen[-1]


async def test_model_names_with_brackets_are_listed_as_text():
    """Model names come from the gateway: '[/]' in one is text, not markup (no crash)."""
    from tui.ui.widgets.chat_settings import ModelFilterList

    app = ChatTestApp(Target())
    async with app.run_test(size=(100, 40)) as pilot:
        app.query_one(ModelFilterList).models = ["[free] llama", "llama[/]x"]
        box = app.query_one("#chat-model", Input)
        box.focus()
        box.value = ""
        await pilot.press(*"llama")
        await pilot.pause()
        listing = app.query_one("#chat-model-list", OptionList)
        names = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert names == ["[free] llama", "llama[/]x"]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert box.value == "llama[/]x"
