"""The remediation catalogue: complete, bilingual, grounded, and documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.diagnosis import remediation
from tui.core.diagnosis.codes import ALL_CODES
from tui.core.diagnosis.model import ALLTKN_BASE_URL, CHECK_IDS, Status
from tui.core.diagnosis.remediation import Remedy, check_title, label, remedy, status_label
from tui.core.i18n.catalogue import catalogue, raw

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_code_has_both_languages(code: str) -> None:
    assert f"remedy.{code}.title" in catalogue("en")
    assert f"remedy.{code}.title" in catalogue("zh-CN")
    for lang in ("en", "zh-CN"):
        r = remedy(code, lang)
        assert r.code == code
        assert r.title.strip() and r.why.strip()
        assert r.steps and all(s.strip() for s in r.steps)


def test_no_unknown_codes_in_catalogues() -> None:
    for lang in ("en", "zh-CN"):
        codes = {
            k[7:-6] for k in catalogue(lang) if k.startswith("remedy.") and k.endswith(".title")
        }
        assert codes - {"_unknown"} == set(ALL_CODES), lang


@pytest.mark.parametrize("code", ALL_CODES)
def test_chinese_entries_are_chinese_and_english_are_not(code: str) -> None:
    zh, en = remedy(code, "zh-CN"), remedy(code, "en")
    for text in (zh.title, zh.why, *zh.steps):
        assert CJK.search(text), f"{code}: not Chinese: {text!r}"
    assert zh.title != en.title
    # English may quote a Chinese console term in brackets; otherwise it is English.
    for text in (en.title, *en.steps):
        bare = re.sub(r"\([^)]*\)", "", text)
        assert not CJK.search(bare), f"{code}: Chinese in English text: {text!r}"


def test_failure_entries_have_actionable_steps() -> None:
    for code in ALL_CODES:
        if code.endswith((".ok", ".none", ".skipped")):
            continue
        assert len(remedy(code, "en").steps) >= 2, code
        assert len(remedy(code, "zh-CN").steps) >= 2, code


def test_advice_follows_the_integration_note() -> None:
    """The seed note's remediation is carried over, in both languages."""
    timeout = " ".join(remedy("network.connect_timeout", "en").steps).lower()
    assert all(w in timeout for w in ("proxy", "firewall", "reachable"))
    balance_zh = " ".join(remedy("balance.insufficient", "zh-CN").steps)
    assert "控制台" in balance_zh and "分组" in balance_zh and "余额" in balance_zh
    garbled = remedy("stream.garbled", "en").steps
    assert any("upgrade the client" in s.lower() for s in garbled)
    assert any("Chat Completions" in s for s in garbled)
    assert ALLTKN_BASE_URL in " ".join(remedy("config.missing_base_url", "en").steps)
    assert "sk-" in " ".join(remedy("config.key_format", "en").steps)
    rollback = " ".join(remedy("stream.interrupted", "en").steps).lower()
    assert "disable streaming" in rollback and "switch model" in rollback


def test_advice_covers_what_gateway_users_hit() -> None:
    assert "无可用渠道" in remedy("model.unavailable", "zh-CN").why
    assert "proxy_buffering off" in " ".join(remedy("stream.buffered", "en").steps)
    assert "X-Accel-Buffering: no" in " ".join(remedy("stream.buffered", "zh-CN").steps)
    assert "100 s" in remedy("model.gateway_error", "en").why
    assert "Retry-After" in " ".join(remedy("model.rate_limited", "en").steps)
    tls = " ".join(remedy("network.tls_failed", "en").steps)
    assert "--ca-bundle" in tls and "SSL_CERT_FILE" in tls and "clock" in tls
    assert "<user>:<password>@" in " ".join(remedy("proxy.auth_required", "en").steps)
    assert "/v1" in " ".join(remedy("auth.wrong_endpoint", "en").steps)
    assert "new key" in " ".join(remedy("auth.key_expired", "en").steps)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh", "zh-CN"),
        ("zh_CN.UTF-8", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("en_US", "en"),
        ("fr", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_language_names_are_normalised(given: str | None, expected: str) -> None:
    assert remediation.lang_key(given) == expected
    want = raw("remedy.auth.invalid_key.title", expected)
    assert remedy("auth.invalid_key", given).title == want  # type: ignore[arg-type]


def test_unknown_code_gets_a_generic_entry_naming_it() -> None:
    for lang in ("en", "zh-CN"):
        r = remedy("auth.brand_new_code", lang)
        assert isinstance(r, Remedy)
        assert "auth.brand_new_code" in r.title and r.steps


def test_returned_steps_are_a_copy() -> None:
    remedy("auth.invalid_key").steps.append("tampered")
    assert "tampered" not in remedy("auth.invalid_key").steps


def test_numbered_steps() -> None:
    lines = remedy("auth.invalid_key").numbered()
    assert lines[0].startswith("1. ") and lines[1].startswith("2. ")


def test_check_titles_and_status_labels_in_both_languages() -> None:
    for cid in CHECK_IDS:
        en, zh = check_title(cid, "en"), check_title(cid, "zh-CN")
        assert en and CJK.search(zh) and en != zh
    assert check_title("auth", "zh") == "鉴权"
    assert check_title("mystery", "en") == "mystery"
    for status in Status:
        assert status_label(status, "en") and CJK.search(status_label(status, "zh-CN"))
    assert status_label("fail", "zh-CN") == status_label(Status.FAIL, "zh-CN") == "失败"
    assert status_label("weird", "en") == "weird"


def test_label_tables_have_the_same_keys() -> None:
    for name in ("step.", "status.", "report."):
        en = {k for k in catalogue("en") if k.startswith(name)}
        assert en and en == {k for k in catalogue("zh-CN") if k.startswith(name)}, name
    assert label("verdict", "zh-CN") == "结论"
    assert label("no-such-label", "zh-CN") == "no-such-label"


def test_docs_codes_md_is_current() -> None:
    """Regenerate with: python -m tui.core.diagnosis.remediation --markdown > docs/codes.md"""
    current = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert current == remediation.code_markdown()
    for code in ALL_CODES:
        assert f"### `{code}`" in current


def test_module_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert remediation.main(["auth.key_expired", "--lang", "zh-CN"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("auth.key_expired: 密钥已过期") and "1. " in out
    assert remediation.main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_module_cli_markdown_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui.core.diagnosis.remediation", "--markdown"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout == remediation.code_markdown()


def test_masking_leaves_catalogue_text_intact() -> None:
    """Renderers mask everything; advice must survive that unchanged."""
    from tui.core.safe.masking import mask

    for code in ALL_CODES:
        for lang in ("en", "zh-CN"):
            r = remedy(code, lang)
            for text in (r.title, r.why, *r.steps):
                assert mask(text) == text, (code, lang, text)
