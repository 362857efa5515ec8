"""The command line in the user's language: help, errors, confirmations and prompts.

Each command runs twice through the real entry point, in English and in Chinese
(``--lang zh-CN`` or ``LANG=zh_CN.UTF-8``). The Chinese output must carry no English
sentence (beyond codes, URLs, flags, commands, product names and argparse's own
words) and the same facts as the English one (flags, URLs, names, numbers, masked
keys). The demo's scenarios are held to the same rule, in every part.
"""

from __future__ import annotations

import io
import re
import sys

import pytest

from tests.conftest import FAKE_KEY
from tui.cli import main
from tui.core.setup.presets import preset_ids
from tui.demo.cli import list_scenarios
from tui.demo.scenarios import PARTS, SCENARIOS

CJK = re.compile(r"[\u4e00-\u9fff]")
#: Two English words in a row: a sentence (or part of one).
WORDS = re.compile(r"[A-Za-z]{2,}[ ,;:]+[a-z]{2,}\b")
#: What may stay English in a Chinese line, each for a reason.
ALLOWED = [
    r"https?://\S+",  # URLs
    r"`[^`]*`|“[^”]*”|‘[^’]*’",  # commands in backticks, the gateway's words in quotes
    r"(?:pass show gw \| )?(?:gateway-doctor|pip install)(?: [^\s\u3000-\u9fff\uff00-\uffef]+)*",
    r"--[a-z][a-z0-9-]*(?:[ =][A-Za-z_|<>-]+)?",  # flags and their metavar
    r"\b(?:Server|Content-Type|Content-Encoding|Retry-After|Authorization): ?",  # header names
    r"\b(?:Bad Gateway|Gateway Time-out)\b",  # HTTP status text
    r"\b(?:Cherry Studio|OpenAI SDK|Max Parallel Request Limit)\b",  # product / quoted names
    r"\b[a-z]+(?:[._][a-z0-9_]+)+\b",  # codes (auth.invalid_key), ids (key_disabled)
]
#: Lists of ids the messages name (scenario and preset ids, joined as the CLI joins them).
ID_LISTS = [", ".join(SCENARIOS), ", ".join(preset_ids()), ", ".join(preset_ids()[:5])]
#: argparse's own words, which stay as argparse writes them.
ARGPARSE = (
    "show this help message and exit",
    "show program's version number and exit",
    "positional arguments:",
    "options:",
)


def english_left(text: str) -> list[str]:
    """English sentences left in ``text`` once what may stay English is taken out."""
    lines, in_usage = [], False
    for line in text.splitlines():
        if line.startswith("usage:"):
            in_usage = True
        elif not line.strip():
            in_usage = False
        if not in_usage:
            lines.append(line)
    rest = "\n".join(lines)
    for ids in ID_LISTS:
        rest = rest.replace(ids, " ")
    for phrase in ARGPARSE:
        rest = rest.replace(phrase, " ")
    for pattern in ALLOWED:
        rest = re.sub(pattern, " ", rest)
    return WORDS.findall(rest)


FACT = re.compile(
    r"https?://[^\s（）()\]」”'，。]+"  # URLs
    r"|--[a-z][a-z0-9-]*"  # flags
    r"|\b[A-Z][A-Z0-9_]{3,}\b"  # environment variables, metavars
    r"|sk-…\w+"  # masked keys
    r"|\b\d+(?:\.\d+)?\b"  # numbers
)


def facts(text: str) -> set[str]:
    """What a message says that is not a word: the same in every language."""
    return set(FACT.findall(text))


def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # --help and usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def both(capsys, *argv: str) -> tuple[tuple[int, str], tuple[int, str]]:
    """``argv`` in English, then with ``--lang zh-CN`` placed first."""
    return run(capsys, *argv), run(capsys, "--lang", "zh-CN", *argv)


def assert_same_in_chinese(en: tuple[int, str], zh: tuple[int, str], *, same_facts=True) -> None:
    (en_code, en_text), (zh_code, zh_text) = en, zh
    assert en_code == zh_code, (en_text, zh_text)
    assert CJK.search(zh_text), zh_text
    assert not CJK.search(en_text), en_text
    assert not english_left(zh_text), (english_left(zh_text), zh_text)
    if same_facts:
        assert facts(en_text) == facts(zh_text), (facts(en_text) ^ facts(zh_text), zh_text)


def test_the_leak_finder_finds_an_english_sentence():
    assert "Profile saved" in english_left("已保存。Profile saved to disk.")
    assert english_left("请运行 gateway-doctor profile add work --preset alltkn。") == []
    assert english_left("401“Incorrect API key provided”") == []
    assert facts("已将密钥 sk-…3210 保存（--profile work，15 秒）") == {
        "sk-…3210",
        "--profile",
        "15",
    }


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["check"],
        ["demo"],
        ["demo-gateway"],
        ["profile"],
        ["profile", "add"],
        ["profile", "import-chatbox"],
        ["key"],
        ["key", "set"],
    ],
    ids=lambda a: " ".join(a) or "top",
)
def test_help_in_both_languages(capsys, monkeypatch, argv):
    monkeypatch.setenv("COLUMNS", "200")  # argparse wraps at hyphens: keep each flag whole
    en, zh = both(capsys, *argv, "--help")
    assert en[0] == 0
    assert_same_in_chinese(en, zh)


def test_help_follows_the_locale(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, text = run(capsys, "check", "--help")
    assert code == 0 and "不打开界面运行检查清单" in text and not english_left(text)
    code, text = run(capsys, "--lang", "en", "check", "--help")  # --lang wins over the locale
    assert code == 0 and "run the checklist headless" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--api-key", FAKE_KEY],
        ["check", "--foo"],
        ["check", "--timeout", "abc"],
        ["check", "--timeout", "9999"],
        ["check", "--ca-bundle", "/nonexistent/ca.pem"],
        ["check", "--profile", "ghost"],
        ["demo", "--scenario", "nope"],
        ["demo-gateway", "--port", "70000"],
        ["demo-gateway", "--latency", "-5"],
        ["demo-gateway", "--scenario", "nope"],
        ["profile", "show", "ghost"],
        ["profile", "show"],
        ["profile", "edit", "ghost"],
        ["profile", "add", "work", "--preset", "nope"],
        ["key", "status"],
        ["key", "set", FAKE_KEY],
    ],
    ids=" ".join,
)
def test_usage_errors_in_both_languages(capsys, argv):
    en, zh = both(capsys, *argv)
    assert en[0] in (1, 2), en
    assert FAKE_KEY not in en[1] + zh[1]
    assert_same_in_chinese(en, zh)


def test_check_usage_error_names_its_command_in_both_languages(capsys, monkeypatch):
    en = run(capsys, "check", "--lang", "fr")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # --lang fr is no language: the locale's is used
    zh = run(capsys, "check", "--lang", "fr")
    assert en[0] == zh[0] == 2
    assert "gateway-doctor check: --lang must be one of en, zh-CN, not 'fr'" in en[1]
    assert "gateway-doctor check：--lang 只能是 en, zh-CN 之一" in zh[1]


def _profile_session(capsys, lang: str) -> list[tuple[int, str]]:
    said = [run(capsys, "profile", "--lang", lang, "list")]
    said.append(run(capsys, "profile", "--lang", lang, "add", "work", "--preset", "alltkn"))
    said.append(run(capsys, "profile", "--lang", lang, "use", "work"))
    said.append(run(capsys, "profile", "--lang", lang, "edit", "work"))
    said.append(run(capsys, "profile", "--lang", lang, "show", "work"))
    said.append(run(capsys, "key", "--lang", lang, "status"))
    said.append(run(capsys, "key", "--lang", lang, "delete"))
    said.append(run(capsys, "profile", "--lang", lang, "remove", "work"))
    return said


def test_profile_and_key_messages_in_both_languages(capsys, monkeypatch, tmp_path):
    sessions = {}
    for lang in ("en", "zh-CN"):
        monkeypatch.setenv("GATEWAY_DOCTOR_CONFIG", str(tmp_path / lang / "config.toml"))
        sessions[lang] = _profile_session(capsys, lang)
    for en, zh in zip(sessions["en"], sessions["zh-CN"], strict=True):
        assert_same_in_chinese(en, zh)
    show_en, show_zh = sessions["en"][4][1], sessions["zh-CN"][4][1]
    assert "https://api.alltkn.com/api/v1" in show_en and "Base URL:" in show_en
    assert "https://api.alltkn.com/api/v1" in show_zh and "基础 URL：" in show_zh


def test_key_set_and_status_with_a_keyring_in_both_languages(capsys, monkeypatch, memory_keyring):
    run(capsys, "profile", "add", "work", "--preset", "alltkn", "--use")
    said = {}
    for lang in ("en", "zh-CN"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(FAKE_KEY + "\n"))
        said[lang] = [
            run(capsys, "key", "--lang", lang, "set"),
            run(capsys, "key", "--lang", lang, "status"),
        ]
    for en, zh in zip(said["en"], said["zh-CN"], strict=True):
        assert FAKE_KEY not in en[1] + zh[1]
        assert "sk-…4444" in en[1] and "sk-…4444" in zh[1]
        assert_same_in_chinese(en, zh)


def test_demo_gateway_lists_every_scenario_in_both_languages():
    en, zh = list_scenarios("en").splitlines(), list_scenarios("zh-CN").splitlines()
    assert [line.split()[0] for line in en] == [line.split()[0] for line in zh] == list(SCENARIOS)
    for line in zh:
        assert not english_left(line.split(maxsplit=1)[1]), line


@pytest.mark.parametrize("part", PARTS)
def test_every_scenario_is_written_in_chinese(part):
    for s in SCENARIOS.values():
        en, zh = s.text(part, "en"), s.text(part, "zh-CN")
        assert en != f"scenario.{s.id}.{part}" and zh != f"scenario.{s.id}.{part}"
        assert not english_left(zh), (s.id, part, zh)
        if part != "expect" or CJK.search(zh):
            assert CJK.search(zh) or zh == en, (s.id, part, zh)  # a bare code may stay a code
        assert facts(en) <= facts(zh) | {"1"}, (s.id, part, facts(en) - facts(zh))
