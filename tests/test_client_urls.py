"""The client URL preview: Chatbox, Cherry Studio and OpenAI SDK rules, and warnings."""

from __future__ import annotations

import pytest

from tests.conftest import FAKE_KEY
from tui.core.setup.client_urls import (
    chatbox_url,
    cherry_studio_url,
    openai_sdk_url,
    preview,
    preview_for_profile,
    url_warnings,
    warning_text,
)
from tui.core.setup.profiles import Profile

A = "https://api.alltkn.com"
CC = "/chat/completions"


@pytest.mark.parametrize(
    "host,path,expected",
    [
        # appends /v1 only when the host does not end in /v1 and the path is empty
        (f"{A}/api", "", f"{A}/api/v1{CC}"),
        (f"{A}/api/v1", "", f"{A}/api/v1{CC}"),
        (f"  {A}/api/v1/  ", "", f"{A}/api/v1{CC}"),  # trimmed, one trailing / dropped
        (f"{A}/api/v1//", "", f"{A}/api/v1//v1{CC}"),  # only ONE trailing / dropped
        (A, "", f"{A}/v1{CC}"),  # ALLTKN needs /api: /v1 lands in the wrong place
        (f"{A}/api/v1{CC}", "", f"{A}/api/v1{CC}"),  # a pasted endpoint is split off
        (f"{A}/api{CC}", "", f"{A}/api{CC}"),  # ... and then /v1 is not appended
        (f"{A}/api", f"/v1{CC}", f"{A}/api/v1{CC}"),  # API Path given: no /v1 added
        (f"{A}/api", f"v1{CC}", f"{A}/api/v1{CC}"),  # path gets its leading /
        (f"{A}/api", CC, f"{A}/api{CC}"),  # path given, host lacks /v1: missing
        (f"{A}/api/v1", f"/v1{CC}", f"{A}/api/v1/v1{CC}"),  # doubled
        ("api.alltkn.com/api/v1", "", f"{A}/api/v1{CC}"),  # https:// added
        ("http://127.0.0.1:4000", "", f"http://127.0.0.1:4000/v1{CC}"),
        ("", "", f"https://api.openai.com/v1{CC}"),
    ],
)
def test_chatbox(host, path, expected):
    assert chatbox_url(host, path) == expected


@pytest.mark.parametrize(
    "host,expected",
    [
        (A, f"{A}/v1{CC}"),
        (f"{A}/api", f"{A}/api/v1{CC}"),
        (f"{A}/api/v1", f"{A}/api/v1{CC}"),  # has a /v<digits> segment
        (f"{A}/api/v1/", f"{A}/api/v1{CC}"),
        (
            "https://ark.cn-beijing.volces.com/api/v3",
            f"https://ark.cn-beijing.volces.com/api/v3{CC}",
        ),
        (f"{A}/v1beta", f"{A}/v1beta/v1{CC}"),  # not a /v<digits> segment
        (f"{A}/api/v1{CC}#", f"{A}/api/v1{CC}"),  # '#' = use exactly this URL
        (f"{A}/custom/endpoint#", f"{A}/custom/endpoint"),
        (f"{A}/api/v1{CC}", f"{A}/api/v1{CC}{CC}"),  # pasted endpoint is NOT split off
        ("http://v1.example.com/api", f"http://v1.example.com/api/v1{CC}"),  # host isn't path
    ],
)
def test_cherry_studio(host, expected):
    assert cherry_studio_url(host) == expected


@pytest.mark.parametrize(
    "base",
    [f"{A}/api/v1", f"{A}/api/v1/", A, f"{A}/api/v1{CC}", "http://127.0.0.1:4000/v1"],
)
def test_openai_sdk_rule_matches_the_real_sdk(base):
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(api_key=FAKE_KEY, base_url=base)
    real = str(client._prepare_url("chat/completions"))
    assert openai_sdk_url(base) == real


def test_sdk_default_base():
    assert openai_sdk_url("") == f"https://api.openai.com/v1{CC}"


@pytest.mark.parametrize(
    "url,codes",
    [
        (f"{A}/api/v1{CC}", []),
        (f"{A}/api/v1/v1{CC}", ["doubled_v1"]),
        (f"{A}/v1/api/v1{CC}", ["doubled_v1"]),
        (f"{A}/api{CC}", ["missing_v1"]),
        (f"{A}/api/v1{CC}{CC}", ["doubled_path"]),
        ("", ["empty"]),
    ],
)
def test_url_warnings(url, codes):
    assert url_warnings(url) == codes


def test_preview_table_for_host_without_v1():
    rows = {r.client: r for r in preview(f"{A}/api", expected_base=f"{A}/api/v1")}
    assert rows["Chatbox"].url == f"{A}/api/v1{CC}" and rows["Chatbox"].ok
    assert rows["Cherry Studio"].url == f"{A}/api/v1{CC}" and rows["Cherry Studio"].ok
    assert rows["OpenAI SDK"].url == f"{A}/api{CC}"
    assert rows["OpenAI SDK"].warnings == ["missing_v1"]


def test_preview_flags_wrong_place_for_v1():
    rows = {r.client: r for r in preview(A, expected_base=f"{A}/api/v1")}
    assert rows["Chatbox"].warnings == ["differs"]
    assert f"{A}/api/v1{CC}" in rows["Chatbox"].describe("en", expected=f"{A}/api/v1{CC}")


def test_preview_for_imported_chatbox_profile_uses_what_the_client_holds():
    prof = Profile("c", f"{A}/api/v1", client_host=f"{A}/api/v1", client_path=f"/v1{CC}")
    expected, rows = preview_for_profile(prof)
    assert expected == f"{A}/api/v1{CC}"
    chatbox = rows[0]
    assert chatbox.url == f"{A}/api/v1/v1{CC}" and chatbox.warnings == ["doubled_v1"]


def test_warning_texts_bilingual():
    for code in ("doubled_v1", "missing_v1", "doubled_path", "differs"):
        en, zh = warning_text(code, "en", expected="X"), warning_text(code, "zh-CN", expected="X")
        assert en and zh and en != zh
