"""Set-up errors in the user's language: the same facts, a clear way out, in both.

Each error path (a corrupt or planted config file, deep nesting, no keyring, a
Chatbox export gateway-doctor cannot read, a bad profile) raises an exception
carrying a catalogue message. Rendered in English and in Chinese it must name
the same facts (path, line, depth, field) and say what to do; the Chinese must
not fall back to English prose (only the facts, codes and product names).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import null

from tests.support.keyrings import LockedKeyring, MemoryKeyring
from tests.support.ui_text_scan import WORDS
from tui.core.i18n.catalogue import Msg, has, render
from tui.core.safe.nesting import MAX_DEPTH
from tui.core.setup.chatbox_import import ChatboxImportError, import_chatbox
from tui.core.setup.client_urls import WARNINGS, warning_text
from tui.core.setup.config import ConfigError, config_path, load_config, update_config
from tui.core.setup.crash import short_crash_message
from tui.core.setup.errors import error_text
from tui.core.setup.keys import KeyStoreError, normalise_key, set_key
from tui.core.setup.presets import PRESETS
from tui.core.setup.profiles import Profile, ProfileError, add_profile, edit_profile
from tui.core.setup.state import StateWriteError, save_text, state_dir
from tui.core.setup.target import resolve_target

FAKE = "sk-FAKE-e2-0000111122223333"


def facts(message: Any) -> list[str]:
    """Every plain fact a message names (params that are not themselves messages)."""
    if isinstance(message, Msg):
        return [f for v in message.params.values() for f in facts(v)]
    if isinstance(message, list | tuple):
        return [f for v in message for f in facts(v)]
    return [str(message)]


def both(exc: BaseException) -> tuple[str, str]:
    """The error in English and in Chinese; each names every fact; Chinese is Chinese."""
    message = getattr(exc, "message", None)
    assert isinstance(message, Msg), exc
    en, zh = error_text(exc, "en"), error_text(exc, "zh-CN")
    assert en == str(exc)  # str() is the English rendering, for logs
    for fact in facts(message):
        assert fact in en and fact in zh, (fact, en, zh)
    chinese_only = zh
    for fact in sorted(facts(message), key=len, reverse=True):
        chinese_only = chinese_only.replace(fact, "")
    chinese_only = re.sub(r"'[^']*'|`[^`]*`|[\w.]*://[\w.:/]*", "", chinese_only)  # commands, URLs
    leftover = [m.group() for m in WORDS.finditer(chinese_only)]
    assert not leftover, (leftover, zh)
    assert re.search(r"[\u4e00-\u9fff]", zh), zh
    return en, zh


def write_config(data: bytes) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(data)
    return path


def test_bad_toml_names_the_file_the_line_and_the_copy_in_both_languages() -> None:
    path = write_config(b'[settings]\nactive_profile = "a"\n[profiles.a\nbase_url = "x"\n')
    with pytest.raises(ConfigError) as info:
        load_config()
    en, zh = both(info.value)
    backup = str(info.value.backup)
    assert str(path) in en and "line 3" in en and backup in en and "Fix the file" in en
    assert str(path) in zh and "第 3 行" in zh and backup in zh and "请修正该文件" in zh


def test_bad_unicode_says_which_line_is_not_utf8() -> None:
    write_config(b'[settings]\nlanguage = "\xff"\n')
    with pytest.raises(ConfigError) as info:
        load_config()
    en, zh = both(info.value)
    assert "line 2: not UTF-8 text" in en and "第 2 行：不是 UTF-8 编码的文本" in zh


def test_deep_nesting_names_depth_and_limit() -> None:
    path = write_config(("x = " + "[" * 150 + "]" * 150 + "\n").encode())
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.exit_code == 2
    en, zh = both(info.value)
    assert f"nested 151 levels deep; gateway-doctor reads at most {MAX_DEPTH}" in en
    assert f"{path} 嵌套了 151 层" in zh and f"最多读取 {MAX_DEPTH} 层" in zh


def test_a_symlink_planted_at_the_lock_is_refused_with_the_way_out(tmp_path) -> None:
    path = write_config(b"")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    lock = path.with_name(path.name + ".lock")
    lock.symlink_to(victim)
    with pytest.raises(ConfigError) as info:
        update_config(lambda data: None)
    en, zh = both(info.value)
    assert str(lock) in en and "symbolic link" in en and "Remove the link" in en
    assert str(lock) in zh and "符号链接" in zh and "请删除该链接" in zh
    assert "GATEWAY_DOCTOR_CONFIG" in en and "GATEWAY_DOCTOR_CONFIG" in zh
    assert victim.read_text() == "precious\n"


@pytest.mark.parametrize("mode,who_en,who_zh", [(0o777, "everyone", "所有用户"), (0o770, "its group", "同组用户")])  # fmt: skip
def test_a_directory_others_can_write_is_refused(mode: int, who_en: str, who_zh: str) -> None:
    directory = state_dir()
    directory.mkdir(parents=True)
    directory.chmod(mode)
    with pytest.raises(StateWriteError) as info:
        save_text("summary", "text")
    en, zh = both(info.value)
    assert f"{who_en} can write to this directory (mode {mode:o})" in en
    assert f"{who_zh}都能写入该目录（权限 {mode:o}）" in zh
    assert f"chmod go-w {directory}" in en and f"chmod go-w {directory}" in zh


def test_config_path_that_is_a_directory() -> None:
    path = config_path()
    path.mkdir(parents=True)
    with pytest.raises(ConfigError) as info:
        load_config()
    en, zh = both(info.value)
    assert "is a directory, not a config file" in en and "是一个目录，不是配置文件" in zh


@pytest.fixture
def backend():
    old = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(old)


def test_no_keyring_says_why_and_the_alternatives_in_both(backend) -> None:
    backend(null.Keyring())
    with pytest.raises(KeyStoreError) as info:
        set_key("work", FAKE)
    en, zh = both(info.value)
    assert "null backend" in en and "null 后端" in zh
    for alternative in ("GATEWAY_DOCTOR_API_KEY", "--api-key-stdin"):
        assert alternative in en and alternative in zh
    assert FAKE not in en + zh


def test_a_refusing_keyring_quotes_its_own_words(backend) -> None:
    backend(LockedKeyring())
    with pytest.raises(KeyStoreError) as info:
        set_key("work", FAKE)
    en, zh = both(info.value)
    assert "collection is locked" in en and "collection is locked" in zh  # verbatim
    assert "无法保存密钥" in zh


def test_a_keyring_that_forgets_is_named(backend) -> None:
    class Forgetful(MemoryKeyring):
        def set_password(self, service, username, password):
            pass

    backend(Forgetful())
    with pytest.raises(KeyStoreError) as info:
        set_key("work", FAKE)
    en, zh = both(info.value)
    assert "did not give it back" in en and "读不回来" in zh and "它不会保留密钥" in zh


@pytest.mark.parametrize("pasted,en_words,zh_words", [
    ("  ", "The key is empty", "密钥为空"),
    ("sk-abc def", "spaces, line breaks", "空格、换行"),
])  # fmt: skip
def test_a_pasted_key_that_cannot_be_one(pasted: str, en_words: str, zh_words: str) -> None:
    with pytest.raises(ValueError) as info:
        normalise_key(pasted)
    en, zh = both(info.value)
    assert en_words in en and zh_words in zh


def chatbox(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "config.json"
    path.write_text(content, encoding="utf-8")
    return path


def test_chatbox_export_that_is_not_json(tmp_path) -> None:
    path = chatbox(tmp_path, '{"settings": {\n  "providers": \n}')
    with pytest.raises(ChatboxImportError) as info:
        import_chatbox(path)
    assert info.value.exit_code == 2
    en, zh = both(info.value)
    assert f"{path} is not valid JSON (line 3" in en and "Close Chatbox and try again" in en
    assert f"{path} 不是有效的 JSON（第 3 行" in zh and "请关闭 Chatbox 后重试" in zh


def test_chatbox_export_of_the_wrong_shape(tmp_path) -> None:
    path = chatbox(tmp_path, json.dumps({"settings": {"providers": {"openai": "a string"}}}))
    with pytest.raises(ChatboxImportError) as info:
        import_chatbox(path)
    en, zh = both(info.value)
    field = "settings.providers.openai"
    assert f"{path}: '{field}' should be an object, found text" in en
    assert f"{path}：字段“{field}”应该是对象，实际是文本" in zh
    assert "nothing was imported" in en and "未导入任何内容" in zh


def test_chatbox_export_nested_too_deep(tmp_path) -> None:
    path = chatbox(tmp_path, '{"settings": ' + "[" * 5000 + "]" * 5000 + "}")
    with pytest.raises(ChatboxImportError) as info:
        import_chatbox(path)
    en, zh = both(info.value)
    assert "nested 5001 levels deep" in en and "嵌套了 5001 层" in zh


def test_chatbox_export_that_is_missing(tmp_path) -> None:
    with pytest.raises(ChatboxImportError) as info:
        import_chatbox(tmp_path / "nope.json")
    en, zh = both(info.value)
    assert "--from FILE" in en and "--from FILE" in zh


def test_profile_errors_in_both_languages() -> None:
    add_profile(Profile("work", "https://api.example.test/v1"))
    with pytest.raises(ProfileError) as info:
        edit_profile("ghost", model="m")
    en, zh = both(info.value)
    assert "No profile named 'ghost' (known: work)" in en and "profile add ghost" in en
    assert "找不到名为“ghost”的配置档（已有：work）" in zh
    with pytest.raises(ProfileError) as info:
        add_profile(Profile("bad", "api.example.test", proxy="ftp://x"))
    en, zh = both(info.value)
    assert "must start with http:// or https://" in en and "; proxy 'ftp://x'" in en
    assert "必须以 http:// 或 https:// 开头" in zh and "；代理“ftp://x”" in zh
    with pytest.raises(ProfileError) as info:
        edit_profile("work", colour="red")
    en, zh = both(info.value)
    assert "Unknown profile field(s): colour" in en and "未知的配置档字段：colour" in zh


def test_resolve_problems_are_messages() -> None:
    write_config(b"[profiles\n")
    resolved = resolve_target(profile="work", env={})
    (problem,) = resolved.problems
    en, zh = render(problem, "en"), render(problem, "zh-CN")
    assert en.startswith("profile: Config file") and "not valid TOML" in en
    assert zh.startswith("配置档：配置文件") and "不是有效的 TOML" in zh


def test_crash_lines_in_the_users_language(tmp_path) -> None:
    error = RuntimeError("boom")
    report = tmp_path / "crash-1.txt"
    en = short_crash_message(error, report, "en")
    zh = short_crash_message(error, report, "zh-CN")
    assert "stopped on an unexpected error: RuntimeError: boom" in en and str(report) in en
    assert "意外错误" in zh and "RuntimeError: boom" in zh and str(report) in zh
    assert "unexpected" not in zh and "未能保存报告" in short_crash_message(error, None, "zh-CN")


def test_presets_and_url_warnings_have_both_languages() -> None:
    for preset in PRESETS:
        for part in ("title", "about"):
            assert has(f"setup.presets.{preset.id}.{part}"), preset.id
        assert preset.describe("zh-CN") != preset.describe("en")
    assert [p.title("zh-CN") for p in PRESETS if p.id == "custom"] == ["自定义"]
    for code in WARNINGS:
        assert has(f"setup.urls.{code}")
    assert "请补上 /v1" in warning_text("missing_v1", "zh-CN")
    assert warning_text("differs", "zh-CN", expected="https://x/v1").endswith("https://x/v1")
