"""The catalogues: complete in every language, consistent in terms, the only source of text."""

from __future__ import annotations

import re

import pytest

from tests.support.ui_text_scan import ROOT, scanned_files, sentences
from tui.core.i18n import LANGS
from tui.core.i18n.catalogue import (
    CatalogueError,
    Msg,
    _flatten,
    catalogue,
    glossary,
    lines,
    msg,
    placeholders,
    render,
    text,
)

#: Files whose sentences are not ours to translate: what the demo gateway plays back
#: as a gateway would (its error bodies, replies and stream words are quoted, not shown
#: as our UI text).
GATEWAY_VOICE = {
    "tui/demo/handlers.py",
    "tui/demo/healthy_streams.py",
    "tui/demo/http11.py",
    "tui/demo/long_text.py",
    "tui/demo/replies.py",
    "tui/demo/responses.py",
    "tui/demo/streams.py",
    "tui/demo/words.py",
}


def test_every_id_exists_in_every_language_with_the_same_placeholders() -> None:
    en = catalogue("en")
    assert len(en) > 600
    for lang in LANGS:
        cat = catalogue(lang)
        assert set(cat) == set(en), (lang, sorted(set(cat) ^ set(en))[:10])
        for key, value in en.items():
            other = cat[key]
            assert placeholders(other) == placeholders(value), (lang, key)
            assert isinstance(other, tuple) == isinstance(value, tuple), (lang, key)
            if isinstance(value, tuple):
                assert len(other) == len(value), (lang, key)
            assert (other if isinstance(other, str) else "".join(other)).strip(), (lang, key)


def test_chinese_is_written_not_copied_from_english() -> None:
    en, zh = catalogue("en"), catalogue("zh-CN")
    cjk = re.compile(r"[\u4e00-\u9fff]")
    copied = [k for k, v in zh.items() if v == en[k] and cjk.search(str(en[k])) is None
              and re.search(r"[a-z]{3,} [a-z]{3,}", str(v))]  # fmt: skip
    assert not copied, copied[:10]


def _outside_quotes(sentence: str) -> str:
    """A Chinese sentence without the gateway's own words it quotes (new-api：该令牌已过期)."""
    sentence = re.sub(r"[（(](?:new-api|one-api|new-api/one-api)[^）)]*[）)]", "", sentence)
    return re.sub(r"“[^”]*”|「[^」]*」|`[^`]*`", "", sentence)


def test_chinese_catalogue_uses_the_glossary_terms() -> None:
    terms = glossary("zh-CN")
    avoid = terms["avoid"]
    assert {"API key", "group", "quota", "balance", "gateway"} <= set(terms["terms"])
    bad = []
    for key, value in catalogue("zh-CN").items():
        for sentence in value if isinstance(value, tuple) else (value,):
            said = _outside_quotes(sentence)
            for wrong, right in avoid.items():
                pattern = rf"\b{re.escape(wrong)}\b" if wrong.isascii() else re.escape(wrong)
                if re.search(pattern, said):
                    bad.append((key, wrong, right))
    assert not bad, bad[:10]


def test_step_names_in_chinese_are_the_glossary_ones() -> None:
    terms = glossary("zh-CN")["terms"]
    for step in ("config", "network", "proxy", "auth", "balance", "model", "stream"):
        assert text(f"step.{step}", "zh-CN") == terms[f"{step} step"]


def test_render_fills_nested_messages_and_lists_per_language() -> None:
    m = msg("sep.list")
    assert render(m, "zh-CN") == "；"
    outer = Msg("report.counts", {"failed": 1, "warned": 2, "passed": 3, "skipped": 0})
    assert render(outer, "en") == "1 failed, 2 warned, 3 passed, 0 skipped"
    assert "1" in render(outer, "zh-CN") and "failed" not in render(outer, "zh-CN")
    # A missing placeholder shows its name rather than raising.
    assert "{passed}" in text("report.counts", "en", failed=1, warned=0, skipped=0)
    assert render(None) == "" and render("gateway text", "zh-CN") == "gateway text"
    assert text("no.such.id", "zh-CN") == "no.such.id" and lines("no.such.id") == ()
    assert Msg("a", {"b": Msg("c", {"d": [1]})}).to_json() == {
        "id": "a",
        "params": {"b": {"id": "c", "params": {"d": [1]}}},
    }


def test_a_broken_catalogue_names_the_file_and_the_id() -> None:
    with pytest.raises(CatalogueError, match="x.toml: a.b is defined twice"):
        _flatten("", {"a": {"b": "one"}, "a.b": "two"}, {}, "x.toml")
    with pytest.raises(CatalogueError, match="x.toml: n is neither"):
        _flatten("", {"n": 3}, {}, "x.toml")


@pytest.mark.parametrize(
    "path", [p for p in scanned_files() if str(p.relative_to(ROOT)) not in GATEWAY_VOICE]
)
def test_no_sentence_is_built_outside_the_catalogue(path) -> None:
    found = sentences(path)
    assert not found, f"{path.relative_to(ROOT)}: {found[:5]}"


def test_the_scanner_finds_a_planted_sentence(tmp_path) -> None:
    planted = tmp_path / "w.py"
    planted.write_text('"""Doc string is fine."""\nX = "key accepted, model listed"\nY = "密钥"\n'
                       'Z = "log only words"  # not-ui-text: developer log\n')  # fmt: skip
    assert [t for _n, t in sentences(planted)] == ["key accepted, model listed", "密钥"]
