"""A new user's walk through the console (items 5-11): the inspector after `e`, `e` on a
step without a request, a one-row filter, help speed, the footer, Chinese wording.

Real demo gateway on loopback where the console runs the engine.
"""

from __future__ import annotations

import io
import time

import pytest
from rich.console import Console
from textual.widgets import Input

from tests.support.console import wait_for
from tests.test_console_live import live_app, spying_app
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.inspector import InspectorPane
from tui.ui.widgets.inspector_detail import ExchangeDetail
from tui.ui.widgets.inspector_list import ExchangeList


def _cursor_on_screen(table: ExchangeList) -> bool:
    top = table.scroll_offset.y
    return top <= table.cursor_row < top + table.size.height - 1  # less the header line


async def _ready(app, pilot) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: app.report is not None, timeout=20)
    await pilot.pause(0.2)


# ----- 5: the exchange `e` selects is on screen -----------------------------------------
@pytest.mark.parametrize(
    ("scenario", "size"), [("quota_exhausted", (100, 30)), ("cloudflare_524", (80, 24))]
)
async def test_evidence_row_is_scrolled_into_view(demo_gateway, scenario, size):
    app = live_app(demo_gateway.scenario_url(scenario))
    async with app.run_test(size=size) as pilot:
        await _ready(app, pilot)
        await pilot.press("e")
        await pilot.pause(0.2)
        pane = app.main.query_one(InspectorPane)
        table = pane.query_one(ExchangeList)
        detail = pane.query_one(ExchangeDetail)
        assert detail.exchange_id == table.key_at(table.cursor_row)
        assert _cursor_on_screen(table), (table.cursor_row, table.scroll_offset.y)


# ----- 6: `e` on a step that made no request ----------------------------------------------
@pytest.mark.parametrize(("step", "lang"), [("proxy", "en"), ("config", "zh-CN")])
async def test_e_on_a_step_without_a_request_says_so_and_stays(demo_gateway, step, lang):
    app, shown = spying_app(demo_gateway.scenario_url("quota_exhausted"), lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await _ready(app, pilot)
        app.main.query_one(Checklist).select_check(step)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert shown == [], "e showed another step's exchange"
        assert app.main.query_one("#panes").active == "checks"
        notes = [n.message for n in app._notifications]
        want = "made no HTTP request" if lang == "en" else "没有发出 HTTP 请求"
        assert any(want in n for n in notes), notes


async def test_e_on_a_passed_step_shows_that_steps_own_exchange(demo_gateway):
    app = live_app(demo_gateway.scenario_url("quota_exhausted"))
    async with app.run_test(size=(160, 45)) as pilot:
        await _ready(app, pilot)
        app.main.query_one(Checklist).select_check("auth")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        shown = app.main.query_one(InspectorPane).selected_exchange()
        assert shown is not None and shown.id in app.report.by_id("auth").exchanges


# ----- 7: a filter that leaves one row shows that row --------------------------------------
async def test_a_filter_with_one_match_shows_its_detail(demo_gateway):
    app = live_app(demo_gateway.scenario_url("quota_exhausted"))
    async with app.run_test(size=(160, 45)) as pilot:
        await _ready(app, pilot)
        await pilot.press("e")  # follow is off from here
        await pilot.pause()
        pane = app.main.query_one(InspectorPane)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"billing/usage", "enter")
        await pilot.pause(0.3)
        table = pane.query_one(ExchangeList)
        assert table.row_count == 1
        detail = pane.query_one(ExchangeDetail)
        assert detail.exchange_id == table.key_at(0)
        assert "billing/usage" in str(pane.query_one("#insp-summary").render())


# ----- 9: help opens at once -----------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_help_opens_fast_and_says_everything(lang):
    from tests.test_console_focus import make_app
    from tui.core.diagnosis.model import CHECK_IDS
    from tui.core.diagnosis.remediation import check_title
    from tui.ui.screens.help import HelpScreen, help_renderable

    app = make_app(lang=lang)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.pause(0.3)
        t0 = time.perf_counter()
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), timeout=5)
        await pilot._wait_for_screen()  # noqa: SLF001 (composed and painted)
        took = time.perf_counter() - t0
        # The Markdown widget made 126 widgets (a second headless, 2.5 s in a terminal).
        assert len(list(app.screen.query("*"))) < 10
        assert took < 1.0, took
        keys = app.screen.keys
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(help_renderable(lang, keys))
    page = console.export_text()
    for cid in CHECK_IDS:
        assert check_title(cid, lang) in page
    for key, what in keys:
        assert key in page and what in page
    assert "z / F7" in page  # maximise, which the README documents


# ----- 11: Chinese wording -------------------------------------------------------------------
def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def test_chinese_catalogue_says_mi_yao_not_key():
    import re

    from tui.core.i18n.catalogue import catalogue

    texts = [s for v in catalogue("zh-CN").values() for s in _strings(v)]
    english_key = [s for s in texts if re.search(r"\bKey\b", s)]
    assert not english_key, english_key[:5]
    assert len(texts) > 200


async def test_network_line_says_the_same_facts_in_both_languages(demo_gateway):
    import re

    from tests.support.targets import target_for
    from tui.core.diagnosis.detail import detail_for
    from tui.core.diagnosis.engine import run_checks
    from tui.core.net.exchange import ExchangeLog

    report = await run_checks(target_for(demo_gateway.scenario_url("healthy")), ExchangeLog())
    network = report.by_id("network")
    english, chinese = detail_for(network, "en"), detail_for(network, "zh-CN")
    status, ms = re.search(r"HTTP (\d+) in (\d+) ms", english).groups()
    assert f"HTTP {status}，用时 {ms} ms" in chinese, (english, chinese)
    assert "首字节" not in chinese


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_key_dialog_names_both_key_variables(lang):
    from tests.support.console import screen_text
    from tests.test_console_focus import make_app
    from tui.ui.screens.key_prompt import KeyPrompt

    app = make_app(lang=lang)  # the null keyring: the note says how to keep the key
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.report is not None)
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, KeyPrompt))
        await wait_for(pilot, lambda: "keyrings.alt" in screen_text(app))
        note = screen_text(app)
        assert "GATEWAY_DOCTOR_API_KEY" in note and "OPENAI_API_KEY" in note


# ----- 10: the footer keeps the keys that matter and cuts none -------------------------------
def _footer_items(app) -> tuple[str, list]:  # noqa: ANN001
    from textual.widgets._footer import FooterKey

    from tests.test_console_focus import footer

    footer_widget = app.screen.query_one("Footer")
    keys = list(footer_widget.query(FooterKey))
    return footer(app), keys


def _nothing_cut(app) -> None:  # noqa: ANN001
    text, keys = _footer_items(app)
    width = app.screen.size.width
    palette = [k for k in keys if k.has_class("-command-palette")]
    end = palette[0].region.x if palette else width
    for key in keys:
        if key not in palette:
            assert key.region.right <= end, (key.key_display, key.description, text)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("width", [160, 120, 100, 80])
async def test_footer_keeps_quit_help_and_the_panes_keys(demo_gateway, width, lang):
    from tui.ui.bindings import described
    from tui.ui.footer import SHORT_LABELS
    from tui.ui.labels import t

    app = live_app(demo_gateway.scenario_url("healthy"), demo=demo_gateway, lang=lang)
    async with app.run_test(size=(width, 45 if width >= 120 else 24)) as pilot:
        await _ready(app, pilot)
        await pilot.press("3")
        await pilot.pause(0.2)
        text, _ = _footer_items(app)
        assert f"q {t('b.quit', lang)}" in text and f"? {t('b.help', lang)}" in text, text
        for binding in InspectorPane.BINDINGS:
            key, action = binding.key, binding.action
            shown_key = "/" if key == "slash" else key
            full = f"{shown_key} {described(binding, lang).description}"
            short = (
                f"{shown_key} {t(SHORT_LABELS[action], lang)}" if action in SHORT_LABELS else full
            )
            assert full in text or short in text, (full, text)
        _nothing_cut(app)
        await pilot.press("2")  # the chat's message box: ? is text there
        await pilot.pause(0.2)
        assert isinstance(app.focused, Input)
        text, _ = _footer_items(app)
        assert "? " not in text and f"F1 {t('b.help', lang)}" in text, text
        _nothing_cut(app)


@pytest.mark.parametrize("width", [100, 80])
async def test_detail_header_keeps_time_and_size_together(demo_gateway, width):
    import re

    from tests.test_console_focus import lines

    app = live_app(demo_gateway.scenario_url("quota_exhausted"))
    async with app.run_test(size=(width, 30)) as pilot:
        await _ready(app, pilot)
        pane = app.main.query_one(InspectorPane)
        longest = max(app.exchange_log.all(), key=lambda ex: len(ex.url))
        app.main.show_pane("inspector")
        pane.show_exchange(longest.id)
        await pilot.pause(0.2)
        screen = lines(app)
        head = next(i for i, line in enumerate(screen) if f" {longest.id} " in line)
        figures = re.search(r"\d+ ms {2}\d+(\.\d+)? (B|KB|MB)\b", screen[head])
        assert figures, screen[head : head + 3]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
async def test_chat_placeholder_is_whole_at_120_columns(demo_gateway, lang):
    from rich.cells import cell_len

    app = live_app(demo_gateway.scenario_url("healthy"), lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        await pilot.press("2")
        await pilot.pause(0.2)
        box = app.screen.query_one("#chat-input", Input)
        room = box.content_region.width - 1  # the cursor's cell
        assert 0 < cell_len(box.placeholder) <= room, (box.placeholder, room)
        assert "Esc" in box.placeholder


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_status_class_labels_fit_their_box(lang):
    """The status-class box is 22 cells: a label, its arrow and padding must fit (the
    second walk saw "Problems (4xx/5xx/error)" wrap onto the box's border)."""
    from rich.cells import cell_len

    from tui.core.net.exchange import ExchangeLog
    from tui.ui.widgets.inspector import InspectorPane

    pane = InspectorPane(ExchangeLog(), lang)
    for label, _value in pane._class_options():
        assert cell_len(label) + 6 <= 22, label
