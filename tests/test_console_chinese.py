"""Issue 13: the console in Chinese says nothing in English it wrote itself.

The console is opened in Chinese against the demo gateway (a new-api key_disabled
fault, whose own words are Chinese), at 80×24 and 160×45, and the screen is read
as the terminal shows it (the compositor's lines, as ``export_screenshot`` does)
in several states: checks done with the failure expanded, the help page, the
command palette (Textual's own commands, and a query that matches nothing), the
key panel, settings, the scenario picker, the chat and inspector tabs. Every
English word on screen must be one of: what the gateway itself said (its
headers and bodies, as recorded in the exchange log), a diagnosis code or other
identifier, a URL/path/host, a product name, a unit, a key name, or the
language toggle "English". The allow-list below is short on purpose.

Snapshots of the Chinese console (80×24 and 160×45) use a scripted engine and
offline chat/inspector panes, so they only change when the console does.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.geometry import Region

from tests.support.console import FIXED_URL, ScriptedEngine, auth_failed, fake_target, wait_for
from tests.test_console_live import live_app
from tui.demo.scenarios import SCENARIOS
from tui.ui.app import GatewayDoctorApp
from tui.ui.screens.help import help_renderable
from tui.ui.screens.main import MainScreen

#: English a Chinese screen may show besides codes, identifiers, URLs and the gateway's words.
ALLOWED = {
    # product and program names
    *("gateway-doctor", "ALLTKN", "alltkn", "OpenAI", "Chatbox", "Cherry", "Studio", "nginx"),
    *("new-api", "one-api", "OpenRouter", "LiteLLM", "Cloudflare", "Linux", "Python", "SDK"),
    # protocols, formats and acronyms used as such in Chinese text
    *("HTTP", "HTTPS", "URL", "API", "TLS", "DNS", "TCP", "SSE", "JSON", "HAR", "SVG", "curl"),
    *("CA", "IP", "ID", "UTC", "OSC", "GET", "POST", "DONE", "token", "sk-"),
    # units
    *("ms", "KB", "MB", "USD"),
    # key names
    *("ctrl", "Ctrl", "shift", "esc", "Esc", "Enter", "enter", "tab", "space", "home", "end"),
    *("PgUp", "PgDn", "pgup", "pgdn", "backspace", "delete", "del", "alt", "super"),
    # the language toggle
    "English",
}
_URL_OR_PATH = re.compile(r"\S*(?:://|/)\S*")
#: Text quoted from a gateway inside Chinese quotation marks (“该令牌已过期”, “You exceeded …”).
_QUOTED = re.compile(r"“[^”]{0,200}”", re.S)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.'\-]*")


def visible_text(app: GatewayDoctorApp, region: Region | None = None) -> str:
    """The screen as the terminal shows it (what ``export_screenshot`` draws), as text.

    ``region``: only what is inside it (a dialog; the console behind it, cut at the
    dialog's edges, is checked on its own).
    """
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    screen = app.screen._compositor.render_update(  # noqa: SLF001 (as export_screenshot)
        full=True, screen_stack=app._background_screens
    )
    console.print(screen)
    text = console.export_text()
    if region is None:
        return text
    rows = text.splitlines()[region.y : region.bottom]
    return "\n".join(_cells(row, region.x, region.right) for row in rows)


def _cells(line: str, start: int, end: int) -> str:
    """The characters of ``line`` drawn in cells ``start`` to ``end`` (CJK take two)."""
    out, x = [], 0
    for char in line:
        if start <= x < end:
            out.append(char)
        x += cell_len(char)
    return "".join(out)


def gateway_words(app: GatewayDoctorApp) -> set[str]:
    """Every word the HTTP exchanges hold: URLs (a long one wraps), the gateway's
    replies and the headers we sent."""
    words: set[str] = set()
    for ex in app.exchange_log.all():
        parts = [ex.url, ex.reason, ex.response_body.decode("utf-8", "replace")]
        parts += [f"{k} {v}" for k, v in (*ex.response_headers, *ex.request_headers)]
        for part in parts:
            words.update(w.strip(".'-") for w in _WORD.findall(part))
    return words


def english_words(screen: str, quoted: set[str] = frozenset()) -> list[str]:
    """English words on ``screen`` that no rule allows."""
    bad = []
    for word in _WORD.findall(_URL_OR_PATH.sub(" ", _QUOTED.sub(" ", screen))):
        word = word.rstrip(".'-")
        if (
            len(word) <= 1
            or word in ALLOWED
            or word in quoted
            or word in SCENARIOS  # a scenario's id: its name, as typed on the command line
            or any(c.isdigit() or c in "_." for c in word)  # codes, ids, hosts, models, F2
            or word.startswith("-")  # a flag: --timeout
        ):
            continue
        bad.append(word)
    return bad


def test_the_checker_catches_english_and_lets_the_allowed_through() -> None:
    screen = "✗ 鉴权 auth.invalid_key 401 http://127.0.0.1:9/v1/models 12 ms English ^p 命令"
    assert english_words(screen) == []
    assert english_words("q Quit  ? Help  No matches found") == [
        "Quit",
        "Help",
        "No",
        "matches",
        "found",
    ]
    assert english_words("错误原文：Incorrect key", quoted={"Incorrect", "key"}) == []
    assert english_words("healthy 提示“You exceeded your\n quota” → auth.x") == []


async def _show(pilot, app, what: str, typed: str = "") -> str:  # noqa: ANN001
    """The screen's text; fails naming the English words no rule allows (``typed``: the
    user's own typing, shown as typed)."""
    await pilot.pause(0.1)
    regions = [w.region for w in app.screen.query("*") if w.region.area]
    dialog = None if app.screen is app.main else Region.from_union(regions)
    text = visible_text(app, dialog)
    found = english_words(text, gateway_words(app) | {typed})
    assert not found, f"{what} at {app.size.width}x{app.size.height}: {sorted(set(found))}\n{text}"
    return text


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_chinese_console_shows_no_english_of_its_own(demo_gateway, size) -> None:
    from textual.widgets import HelpPanel

    from tui.ui.screens.help import HelpScreen
    from tui.ui.screens.scenario import ScenarioScreen
    from tui.ui.screens.settings import SettingsScreen

    app = live_app(
        demo_gateway.scenario_url("key_disabled"),
        lang="zh-CN",
        demo=demo_gateway,
        scenario="key_disabled",
    )
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=20)
        await wait_for(pilot, lambda: app.main.late_ready, timeout=10)
        await pilot.pause(0.3)
        text = await _show(pilot, app, "checks with the failure expanded")
        assert "auth.key_disabled" in text and "鉴权" in text and "English" in text

        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "帮助" in await _show(pilot, app, "help")
        await pilot.press("end")
        await _show(pilot, app, "help, scrolled to the end")
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: app.screen.id == "--command-palette")
        await pilot.pause(0.3)
        assert "搜索命令" in await _show(pilot, app, "the command palette")
        await pilot.press(*"zzqq")
        await wait_for(pilot, lambda: "没有匹配的命令" in visible_text(app), timeout=5)
        await _show(pilot, app, "the command palette, no matches", typed="zzqq")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)

        app.main.query_one("#chat-input").focus()  # a Textual Input: its keys in the panel
        app.action_show_help_panel()
        await wait_for(pilot, lambda: bool(app.screen.query(HelpPanel)))
        await pilot.pause(0.3)
        text = await _show(pilot, app, "the key panel")
        assert "输入框" in text or size[0] < 100
        app.action_hide_help_panel()
        await pilot.press("escape")

        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause(0.3)
        assert "配置档" in await _show(pilot, app, "settings")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)

        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ScenarioScreen))
        await _show(pilot, app, "the scenario picker")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)

        tabs = app.main.query_one("#panes")
        for key, pane in (("2", "chat"), ("3", "inspector"), ("4", "trial"), ("5", "history")):
            await pilot.press("escape", key)  # Esc first: in the chat's box a digit is text
            await wait_for(pilot, lambda pane=pane: tabs.active == pane)
            await _show(pilot, app, f"pane {key}")

        await pilot.press("escape", "4")  # the trial's budget, asked before anything is sent
        await wait_for(pilot, lambda: tabs.active == "trial")
        await pilot.press("g")
        await wait_for(pilot, lambda: app.screen is not app.main, timeout=10)
        await pilot.pause(0.3)
        await _show(pilot, app, "the trial's budget")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is app.main)


def test_the_whole_help_page_is_chinese() -> None:
    """Every key of every pane (the page lists those where the cursor is) in Chinese."""
    from textual.binding import ActiveBinding, Binding
    from textual.keys import format_key

    from tui.ui.screens.help import key_rows
    from tui.ui.widgets.chat import ChatPane
    from tui.ui.widgets.inspector import InspectorPane

    classes = (InspectorPane, ChatPane, MainScreen, GatewayDoctorApp)
    every = [
        ActiveBinding(cls, b, True) for cls in classes for b in Binding.make_bindings(cls.BINDINGS)
    ]
    keys = key_rows(every, "zh-CN", lambda b: format_key(b.key))
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(help_renderable("zh-CN", keys))
    page = console.export_text()
    assert "按键" in page and not english_words(page), english_words(page)


async def test_textual_words_follow_the_language_live(demo_gateway) -> None:
    """English first, then l: the footer, the palette and Textual's own commands follow."""
    app = live_app(demo_gateway.scenario_url("healthy"), lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=20)
        # The footer is laid out a frame or more after the report: wait for what it says.
        await wait_for(pilot, lambda: "Quit" in visible_text(app), timeout=10)
        assert "Search for commands" not in visible_text(app)
        await pilot.press("l")
        await wait_for(pilot, lambda: "退出" in visible_text(app), timeout=10)
        assert "Quit" not in visible_text(app)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "主题" in commands and "Theme" not in commands
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: "搜索命令" in visible_text(app), timeout=10)
        await pilot.press("escape")
        await pilot.press("l")
        await wait_for(pilot, lambda: "Quit" in visible_text(app), timeout=10)
        assert "退出" not in visible_text(app)
        assert "Theme" in [c.title for c in app.get_system_commands(app.screen)]


# ----- snapshots ------------------------------------------------------------------------------


def canned_results() -> dict:
    """``auth_failed()``, each detail as the catalogue message the real checks give."""
    from tui.core.i18n.catalogue import msg

    waits = msg("check.skip.waits_for", roots=[
        msg("check.skip.root", step=msg("step.auth"), code="auth.invalid_key")
    ])  # fmt: skip
    said = "Incorrect API key provided: sk-…abcd."
    messages = {
        "config": msg("check.config.ok", base_url=FIXED_URL, model="gpt-4o-mini", key="sk-…4444"),
        "network": msg("check.network.ok_keyless", host="127.0.0.1", port=8765, status=401, ms=12),
        "proxy": msg("check.proxy.none"),
        "auth": msg("check.http.status", status=401, said=said, retry=""),
        "balance": waits,
        "model": waits,
        "stream": waits,
    }
    return {cid: replace(r, message=messages[cid]) for cid, r in auth_failed().items()}


def chinese_app() -> GatewayDoctorApp:
    """The console in Chinese with canned results; the real chat and inspector panes,
    offline (no gateway for the chat: nothing goes on the network)."""
    from tui.ui.widgets.chat import ChatPane
    from tui.ui.widgets.inspector import InspectorPane

    class OfflineChat(ChatPane):
        """The chat pane with no gateway (it would list the models of the fake one)."""

        def set_target(self, target) -> None:  # noqa: ANN001
            super().set_target(replace(target, base_url=""))

    def chat(target, log, lang):  # noqa: ANN001, ANN202
        offline = replace(target, base_url="")
        return OfflineChat(offline, log, lang, fixed_timings=True, id="chat-pane")

    return GatewayDoctorApp(
        fake_target(),
        lang="zh-CN",
        engine=ScriptedEngine(canned_results()),
        system_copy=lambda text: None,
        animate_spinner=False,
        now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"},
        chat_factory=chat,
        inspector_factory=lambda log, lang: InspectorPane(log, lang, id="inspector-pane"),
    )


async def _settled(pilot) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: pilot.app.report is not None and pilot.app.main.late_ready)
    await pilot.pause(0.2)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_snapshot_chinese_console(snap_compare, pinned_clock, size) -> None:
    assert snap_compare(chinese_app(), terminal_size=size, run_before=_settled)


def test_snapshot_chinese_palette_no_matches(snap_compare, pinned_clock) -> None:
    async def no_matches(pilot) -> None:  # noqa: ANN001
        await _settled(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"zzqq")
        await wait_for(pilot, lambda: "没有匹配的命令" in visible_text(pilot.app), timeout=5)

    assert snap_compare(chinese_app(), terminal_size=(80, 24), run_before=no_matches)
