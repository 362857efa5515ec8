"""The headless text report fits the terminal (new-user walk: at 60 columns the terminal
broke evidence and remediation mid-word and lost their indent): long lines are wrapped
at the width, between words (between characters for Chinese), continuation lines keep
their indent; a pipe keeps today's long lines unless COLUMNS is set; --json is never
wrapped."""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui.cli import main
from tui.commands import check as check_cmd
from tui.core.diagnosis.model import CheckResult, Report, Status, Target
from tui.core.diagnosis.remediation import remedy
from tui.core.diagnosis.report import render_text
from tui.core.i18n.width import cell_width

ANSI = re.compile(r"\x1b\[[0-9;]*m")
MARKS = ("✓", "!", "✗", "–")


def make_report(key: str = FAKE_KEY, detail_extra: str = "") -> Report:
    t = Target(base_url="https://api.alltkn.com/api/v1", api_key=key, model="gpt-4o-mini")
    checks = [
        CheckResult("config", Status.PASS, "config.ok", duration_ms=0.42),
        CheckResult("network", Status.PASS, "network.ok", duration_ms=45.25,
                    detail="api.alltkn.com is reachable: HTTP 401 in 24 ms (asked without "
                           "the key; the key is checked under auth)"),
        CheckResult("proxy", Status.PASS, "proxy.none", duration_ms=1),
        CheckResult("auth", Status.FAIL, "auth.key_disabled",
                    detail="HTTP 401: 该令牌状态不可用，请联系管理员重新启用或者创建新的令牌"
                           + detail_extra,
                    duration_ms=80.0, http_status=401),
        CheckResult("balance", Status.SKIP, "balance.skipped",
                    detail="waits for Authentication (auth.key_disabled)"),
        CheckResult("model", Status.WARN, "model.not_listed",
                    detail="gpt-4o-mini is not in the gateway's /models list", duration_ms=300.0),
        CheckResult("stream", Status.SKIP, "stream.skipped",
                    detail="waits for Authentication (auth.key_disabled)"),
    ]  # fmt: skip
    return Report(t, "2025-03-04T05:06:05.000Z", 2100.123, checks)


def _plain(text: str) -> str:
    return ANSI.sub("", text)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("width", [40, 60, 80])
def test_every_line_fits_the_width(lang: str, width: int) -> None:
    wide = render_text(make_report(), lang=lang)
    assert max(cell_width(ln) for ln in wide.splitlines()) > width  # there is work to do
    for color in (False, True):
        text = render_text(make_report(), lang=lang, color=color, width=width)
        for line in _plain(text).splitlines():
            assert cell_width(line) <= width, (width, line)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("width", [40, 60])
def test_nothing_is_lost_and_no_word_is_split(lang: str, width: int) -> None:
    wide = render_text(make_report(), lang=lang)
    narrow = render_text(make_report(), lang=lang, width=width)
    # Same characters in the same order (only line breaks and indents added) ...
    assert "".join(narrow.split()) == "".join(wide.split())
    # ... and every English word whole (the URL and codes are short here; Chinese may
    # break between two characters)
    assert [w for w in narrow.split() if w.isascii()] == [w for w in wide.split() if w.isascii()]
    assert not re.search(r"\d\n\s*ms\b", narrow)  # a time ("80 ms") is kept whole


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_continuation_lines_keep_the_indent(lang: str) -> None:
    lines = render_text(make_report(), lang=lang, width=60).splitlines()
    r = remedy("auth.key_disabled", lang)
    i = next(n for n, ln in enumerate(lines) if ln.startswith("✗"))
    title = next(n for n in range(i, len(lines)) if lines[n].strip() == r.title)
    step1 = next(n for n in range(title, len(lines)) if lines[n].startswith("     1. "))
    # the "why" paragraph: every line under the title is indented by five spaces
    assert step1 - title > 2, "the why paragraph should take more than one line at 60"
    for ln in lines[title + 1 : step1]:
        assert ln.startswith("     ") and not ln.startswith("      "), ln
    # a step's continuation lines hang under its text, past the number
    step2 = next(n for n in range(step1, len(lines)) if lines[n].startswith("     2. "))
    assert step2 - step1 > 1
    for ln in lines[step1 + 1 : step2]:
        assert ln.startswith("        ") and ln[8] != " ", ln
    # no line of the report starts flush left unless it is a row, the header or the end
    for ln in lines:
        if ln and not ln.startswith(" "):
            assert (
                ln.startswith((*MARKS, "gateway-doctor", " "))
                or ln[0].isalpha()
                or ("\u4e00" <= ln[0] <= "\u9fff")
            ), ln


def test_colour_is_kept_per_line_and_the_same_text_underneath() -> None:
    plain = render_text(make_report(), width=50)
    coloured = render_text(make_report(), color=True, width=50)
    assert _plain(coloured) == plain
    for line in coloured.splitlines():  # every colour opened on a line is closed on it
        codes = ANSI.findall(line)
        assert not codes or codes[-1] == "\x1b[0m", line
    assert "\x1b[31m✗\x1b[0m" in coloured


def test_without_a_width_the_report_is_as_before() -> None:
    assert render_text(make_report(), width=None) == render_text(make_report())
    assert render_text(make_report(), width=1000) == render_text(make_report())
    zh = render_text(make_report(), "zh-CN", color=True)
    assert render_text(make_report(), "zh-CN", color=True, width=1000) == zh


def test_a_key_in_a_detail_is_masked_before_it_is_wrapped() -> None:
    report = make_report(key=CANARY_KEY, detail_extra=" echoed " + CANARY_KEY)
    for width in range(40, 90):
        text = render_text(report, width=width)
        joined = "".join(text.split())
        assert "do-not-leak" not in joined and "9f8e7d6c5b4a" not in joined, width


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_width_comes_from_the_terminal_or_columns(monkeypatch) -> None:
    import shutil

    monkeypatch.delenv("COLUMNS", raising=False)
    assert check_cmd.report_width(_Stream(tty=False)) is None  # a pipe: as before
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(80, 24): (72, 30))
    assert check_cmd.report_width(_Stream(tty=True)) == 72
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(80, 24): (12, 30))
    assert check_cmd.report_width(_Stream(tty=True)) == 40  # never narrower
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(80, 24): (60, 30))
    assert check_cmd.report_width(_Stream(tty=False)) == 60  # COLUMNS wraps a pipe too
    monkeypatch.setenv("COLUMNS", "junk")
    assert check_cmd.report_width(_Stream(tty=False)) is None


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_check_wraps_at_columns_and_json_never(lang, demo_gateway, key_env, capsys, monkeypatch):
    url = demo_gateway.scenario_url("key_disabled")
    assert main(["check", "--lang", lang, "--base-url", url]) == 1
    piped = capsys.readouterr().out
    assert max(cell_width(ln) for ln in piped.splitlines()) > 60  # a pipe: as before
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["check", "--lang", lang, "--base-url", url]) == 1
    out = capsys.readouterr().out
    assert max(cell_width(ln) for ln in out.splitlines()) <= 60
    assert "".join(out.split()).count("auth.key_disabled") == "".join(piped.split()).count(
        "auth.key_disabled"
    )
    assert main(["check", "--json", "--lang", lang, "--base-url", url]) == 1
    raw = capsys.readouterr().out
    assert max(cell_width(ln) for ln in raw.splitlines()) > 60  # JSON: never wrapped
    data = json.loads(raw)
    assert any(cell_width(step) > 60 for c in data["checks"] for step in c["remediation"])
