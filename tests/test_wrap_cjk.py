"""Chinese and mixed text wraps by terminal cells at character boundaries (issue 13).

Pure tests of :mod:`tui.core.i18n.wrap`, of its plug into Rich and Textual
(:mod:`tui.ui.cjk_wrap`), and the Chinese console at 80×24 with a long mixed
error from a gateway: before, Rich broke only at spaces and left the first
line half empty in front of the long Chinese run.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.content import Content
from textual.geometry import Region

from tests.support.console import all_passed, canned_result
from tui.core.diagnosis.model import Status
from tui.core.i18n.width import cell_width, clusters
from tui.core.i18n.wrap import break_offsets, has_cjk, wrap
from tui.ui import cjk_wrap

MIXED = (
    "额度不足：模型步骤收到 HTTP 429：网关因余额或额度用尽而拒绝请求（new-api：额度已用尽），"
    "请在控制台充值，或把密钥换到有额度的分组；也可以先用 gpt-4o-mini 这样的低成本模型"
    "发一条短消息，确认已恢复。"
)
#: Long Latin words, curly quotes, brackets: the remedy text of balance.insufficient.
MIXED_LATIN = (
    "网关因余额或额度用尽而拒绝请求：账号余额、密钥自身的额度(new-api：额度已用尽 / "
    "TokenStatusExhausted)、分组额度、OpenRouter 的 credits(402)，或 LiteLLM 给密钥、用户、"
    "团队或部署设的预算(429“Budget has been exceeded”“crossed budget”：是钱用完了，不是请求太频繁)。"
)
TEXTS = [MIXED, MIXED_LATIN]
WIDTHS = [20, 37, 80]

HAN = "\u3040-\u30ff\u3400-\u9fff"
WIDE_CLOSE = "，。、：；！？）」』】》…"
CLOSE = WIDE_CLOSE + ")]},.;:!?%”’"
OPEN = "（「『【《“‘([{"
#: What cannot be separated from the start of a line: opening marks, one Chinese
#: character or one Latin word, and the closing marks after it.
UNIT = re.compile(f"[（「『【《]*(?:[{HAN}]|[^\\s{HAN}（「『【《{WIDE_CLOSE}]+)[{WIDE_CLOSE}]*")


def raw_lines(text: str, width: int) -> list[str]:
    cuts = [0, *break_offsets(text, width), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def assert_well_wrapped(text: str, width: int) -> None:
    raw = raw_lines(text, width)
    assert "".join(raw) == text
    lines = [line.rstrip() for line in raw]
    for i, line in enumerate(lines):
        assert cell_width(line) <= width, (width, line)
        if line[0] in CLOSE:  # kinsoku: no line starts with ，。） unless nothing else fits
            closers = re.match(f"[{re.escape(CLOSE)}]+", line).group()
            assert cell_width(lines[i - 1] + closers) > width, (width, lines[i - 1], line)
        if i < len(lines) - 1:
            assert line[-1] not in OPEN, (width, line)
            # Filled: what starts the next line could not have been put on this one.
            unit = UNIT.match(lines[i + 1])
            assert unit, lines[i + 1]
            assert cell_width(raw[i]) + cell_width(unit.group()) > width, (width, line, unit)
    for word in re.findall(r"[A-Za-z][\w./-]*[\w]", text):
        if cell_len(word) <= width:  # Latin words are never cut
            assert any(word in line for line in lines), (width, word, lines)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", WIDTHS)
def test_mixed_text_fills_lines_at_character_boundaries(text: str, width: int) -> None:
    assert_well_wrapped(text, width)


def test_the_long_chinese_run_fills_the_line_after_latin_words() -> None:
    """The issue: Rich left 'HTTP 429：' alone and started the run on the next line."""
    text = "额度不足：模型步骤收到 HTTP 429：网关因余额或额度用尽而拒绝请求，请在控制台充值后重试。"
    rich_first = text[: ([*rich_divide_line(text, 40), len(text)])[0]]
    assert cell_len(rich_first.rstrip()) < 30  # the half-empty line this fixes
    assert wrap(text, 40) == [
        "额度不足：模型步骤收到 HTTP 429：网关因",  # 39 cells: '余' needs 2
        "余额或额度用尽而拒绝请求，请在控制台充值",
        "后重试。",
    ]


def test_closing_punctuation_stays_with_its_character() -> None:
    # '，' would start the second line; the character before it moves down with it.
    assert wrap("一二三四五，六七", 10) == ["一二三四", "五，六七"]
    assert wrap("一二三四（五六）七", 10) == ["一二三四", "（五六）七"]
    assert wrap("他说：“好的。”然后", 12) == ["他说：“好", "的。”然后"]


def test_forced_when_nothing_else_fits() -> None:
    # Kinsoku only "if it can be avoided": at 2 cells a pair of 4 must part.
    assert wrap("一，二。", 2) == ["一", "，", "二", "。"]


def test_latin_words_break_at_spaces_and_fold_only_when_longer_than_the_line() -> None:
    assert wrap("请求 TokenStatusExhausted 失败", 20) == ["请求", "TokenStatusExhausted", "失败"]
    assert wrap("见 https://example.test/a/very/long/path 的说明", 16) == [
        "见",
        "https://example.",
        "test/a/very/long",
        "/path 的说明",
    ]
    # fold=False (Textual's ellipsis overflow) leaves a long word whole for the caller to crop
    assert break_offsets("见 abcdefghijklmnop 的", 8, fold=False) == [2, 19]


def test_wide_characters_are_never_split() -> None:
    for width in range(2, 12):
        for line in wrap("宽字符ａｂｃ测试🙂表情", width):
            assert cell_width(line) <= width
    # an odd width leaves one cell empty rather than halving a character
    assert wrap("一二三四五", 5) == ["一二", "三四", "五"]


def test_combining_and_zero_width_characters() -> None:
    text = "cafe\u0301 咖啡馆的 e\u0301clair 很好吃"
    for width in (4, 6, 9):
        lines = wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(not line.startswith("\u0301") for line in lines)
        assert all(cell_width(line) <= width for line in lines)
    # a ZWJ emoji sequence is one span, and a zero-width space is a break opportunity
    family = "👨\u200d👩\u200d👧"
    assert clusters(family) == [(0, 5, 2)]
    assert wrap("abc\u200bdef", 4) == ["abc\u200b", "def"]
    assert clusters("\u200babc")[0] == (0, 1, 0)
    assert wrap("", 10) == [""]
    assert wrap("第一行\n第二行", 4) == ["第一", "行", "第二", "行"]


def test_has_cjk() -> None:
    assert has_cjk("HTTP 429：") and has_cjk("模型") and has_cjk("カタカナ")
    assert not has_cjk("key accepted — 8 models · 12 ms…")


LATIN = st.lists(
    st.sampled_from([*"ab cdefgh  .,:;()-/", "é", "e\u0301", "—", "·"]), max_size=60
).map("".join)


@settings(max_examples=300, deadline=None)
@given(LATIN, st.integers(2, 30), st.booleans())
def test_latin_text_breaks_where_rich_breaks(text: str, width: int, fold: bool) -> None:
    """The same algorithm on text without CJK gives Rich's offsets (folding aside,
    where Rich may put a lone trailing space on a line of its own). Widths under 2
    never reach it: cjk_wrap.divide_line hands them to Rich (hypothesis found a
    one-column difference there)."""
    words = text.split()
    assume(all(cell_len(word) <= width for word in words))
    # Nothing to fold, the leading indent included ('  /: ' at 2 cells: Rich puts the
    # trailing space of a folded first word on a line of its own; 144,529 random cases
    # agree once that is left out).
    indent = len(text) - len(text.lstrip())
    assume(not words or cell_len(text[:indent]) + cell_len(words[0]) <= width)
    assert break_offsets(text, width, fold) == rich_divide_line(text, width, fold)


MIXED_ATOMS = st.sampled_from(
    [*"模型额度分组", "密钥", "，", "。", "：", "（", "）", "“", "”", " ", "HTTP", "429", "new-api"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MIXED_ATOMS, max_size=40).map("".join), st.integers(8, 40))
def test_any_mixed_text_fits_and_loses_nothing(text: str, width: int) -> None:
    raw = raw_lines(text, width)
    assert "".join(raw) == text
    assert all(cell_width(line.rstrip()) <= width for line in raw)


# -- Rich and Textual use it ---------------------------------------------------------


def test_rich_and_textual_wrap_with_it() -> None:
    import tui.ui.app  # noqa: F401 - the app module installs it

    assert cjk_wrap.installed()  # False after an upgrade stopped importing divide_line
    console = Console(width=40, file=None, color_system=None, legacy_windows=False)
    text = "额度不足：模型步骤收到 HTTP 429：网关因余额或额度用尽而拒绝请求，请在控制台充值后重试。"
    lines = [line.plain for line in Text(text).wrap(console, 40)]
    assert lines == wrap(text, 40)
    content_lines = Content(text).wrap(40)
    assert [line.plain for line in content_lines] == wrap(text, 40)


def test_english_wraps_exactly_as_before() -> None:
    english = "The gateway refuses requests because money or quota ran out — the key's own quota"
    for width in (10, 23, 40):
        assert cjk_wrap.divide_line(english, width) == rich_divide_line(english, width)


# -- the console ---------------------------------------------------------------------

#: What a new-api gateway answers in Chinese: a long run without spaces after 'HTTP 429：'.
GATEWAY_ERROR = (
    "额度不足：模型步骤收到 HTTP 429：该令牌的额度已经用尽，当前分组的剩余额度不足以完成"
    "这次请求，请联系网关管理员充值，或在控制台把密钥换到仍有额度的分组后再重试。"
)


def quota_failed() -> dict:
    """Every step passed but the model one, each detail the catalogue message the real
    checks give (so the Chinese console shows Chinese, as it does in a real run)."""
    from dataclasses import replace

    from tui.core.diagnosis.checks.stream_words import chunks_msg
    from tui.core.i18n.catalogue import msg

    url = "http://127.0.0.1:8765/scenario/demo/v1"
    said = {
        "config": msg("check.config.ok", base_url=url, model="gpt-4o-mini", key="sk-…4444"),
        "network": msg("check.network.ok_keyless", host="127.0.0.1", port=8765, status=401, ms=12),
        "proxy": msg("check.proxy.none"),
        "auth": msg("check.auth.models_listed", count=8),
        "balance": msg("check.balance.ok", family="new-api",
                       amount=msg("check.balance.amount", value=98.77, unit="USD", budget="")),
        "model": msg("check.model.ok", model="gpt-4o-mini", ms=40),
        "stream": msg("check.stream.ok", chunks=chunks_msg(24), ms=40, finish="stop", notes=""),
    }  # fmt: skip
    out = {cid: replace(r, message=said[cid]) for cid, r in all_passed().items()}
    out["model"] = canned_result(
        "model",
        Status.FAIL,
        code="balance.insufficient",
        detail="",
        http_status=429,
        error_text=GATEWAY_ERROR,
    )
    waits = msg("check.skip.waits_for", roots=[
        msg("check.skip.root", step=msg("step.model"), code="balance.insufficient")
    ])  # fmt: skip
    out["stream"] = canned_result("stream", Status.SKIP, detail="", message=waits)
    return out


def detail_rows(app) -> list[str]:  # noqa: ANN001
    pane = app.screen.query_one("#detail-main")
    return [s.text for s in pane.render_lines(Region(0, 0, pane.size.width, pane.size.height))]


def value_lines(rows: list[str], value: str) -> tuple[list[str], int]:
    """The screen lines ``value`` was wrapped into, and the width of its column."""
    top = next(i for i, row in enumerate(rows) if value[:6] in row)
    col = cell_len(rows[top][: rows[top].index(value[:6])])
    lines, got = [], ""
    for row in rows[top:]:
        line = _cells_from(row, col).rstrip()
        lines.append(line)
        got += line.replace(" ", "")
        if len(got) >= len(value.replace(" ", "")):
            break
    assert got == value.replace(" ", ""), got
    return lines, cell_len(rows[top]) - col


def _cells_from(row: str, col: int) -> str:
    used = 0
    for i, ch in enumerate(row):
        if used >= col:
            return row[i:]
        used += cell_len(ch)
    return ""


async def test_console_80x24_wraps_a_long_mixed_error_filled() -> None:
    from tests.test_snapshots_console import app_for, settle

    app = app_for(quota_failed(), lang="zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = detail_rows(app)
        lines, width = value_lines(rows, GATEWAY_ERROR)
    assert len(lines) >= 3
    for line in lines[:-1]:
        assert cell_len(line) >= width - 2, (width, lines)
    for line in lines:
        assert cell_len(line) <= width and line[0] not in CLOSE, lines
    assert lines[0].startswith("额度不足：模型步骤收到 HTTP 429：该令牌")


def test_snapshot_chinese_80x24_long_mixed_error(snap_compare) -> None:  # noqa: ANN001
    from tests.test_snapshots_console import app_for, settle

    assert snap_compare(
        app_for(quota_failed(), lang="zh-CN"), terminal_size=(80, 24), run_before=settle
    )


def test_the_cjk_test_is_the_same_short_and_long_for_every_code_point():
    """Short texts are looked at character by character (no 4 ms regex compile before
    the console's first frame), long ones by the regex: both say the same."""
    from tui.core.i18n import wrap

    pattern = wrap._cjk()
    for code in range(0x80, 0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        assert wrap._is_cjk(ch) == bool(pattern.match(ch)), hex(code)
    long_latin = "é" * (wrap._SHORT + 1)
    assert not wrap.has_cjk(long_latin) and wrap.has_cjk(long_latin + "中")
    assert wrap.has_cjk("✓ 中") and not wrap.has_cjk("✓ · — ⠙")


def test_short_lines_do_not_compile_the_cjk_regex():
    import subprocess
    import sys

    code = (
        "from tui.core.i18n import wrap; "
        "wrap.has_cjk('✓ network · reachable — 12 ms'); wrap.has_cjk('中文 ok'); "
        "print(wrap._cjk.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


@pytest.mark.parametrize(
    ("text", "width", "offsets"),
    [("   a", 2, [2]), ("    ab", 2, [2, 4]), ("  abcdef", 3, [3, 6]), ("ab   cd", 2, [5])],
)
def test_an_indent_longer_than_the_line_folds_as_rich_folds_it(text, width, offsets):
    """Hypothesis found '   a' at 2 cells: we kept the three spaces on one line."""
    assert break_offsets(text, width, True) == offsets == rich_divide_line(text, width, True)
