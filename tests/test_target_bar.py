"""The target bar (the console's top line) at each width: one line while the base URL
can be shortened to fit (its origin and end kept), else a break between fields, never
inside one; the proxy only when one is set (a new-user walk saw it wrap mid-field at
100-160 columns)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.support.console import fake_target
from tui.ui.widgets.target_bar import target_text

LONG = "https://gateway.example-company.internal:8443/openai/tenants/helpdesk-team/api/v1"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("width", [78, 98, 118, 138, 158])
def test_every_line_fits_and_no_field_is_split(width, lang):
    target = fake_target()
    target.base_url = LONG
    text = target_text(target, lang, "stream_cut_after_first_token", width=width)
    lines = text.plain.split("\n")
    assert all(cell_len(line) <= width for line in lines), lines
    assert len(lines) <= 3, lines
    for line in lines:  # each line starts with a field's label, not the rest of a value
        assert not line.startswith((" ", "│", "(", "（", "gpt", "sk-")), lines


def test_one_line_when_the_url_can_be_shortened_enough():
    target = fake_target()
    target.base_url = LONG
    full = target_text(target, "en").plain
    width = cell_len(full) - (len(LONG) - 60)  # the origin (46) and a path's end fit
    shortened = target_text(target, "en", width=width).plain
    assert "\n" not in shortened and cell_len(shortened) <= width
    assert "https://gateway.example-company.internal:8443" in shortened  # the origin
    assert shortened.count("…") == 2 and "/v1 " in shortened  # the key's and the path's


def test_two_lines_keep_the_url_whole_when_shortening_would_lose_too_much():
    target = fake_target()
    text = target_text(target, "en", width=78).plain
    assert target.base_url in text and text.count("\n") == 1


def test_the_proxy_shows_only_when_one_is_set():
    target = fake_target()
    assert "proxy" not in target_text(target, "en", width=200).plain
    target.proxy = "http://proxy.corp:3128"
    assert "proxy http://proxy.corp:3128" in target_text(target, "en", width=200).plain
