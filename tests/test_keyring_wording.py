"""With no OS keyring, each key action says what is true for it (new-user walk, zh).

A read already said the key cannot be read; delete and ``key status`` still said the
key "cannot be stored", although neither stores anything. Now: delete says there is no
key in a keyring that is not there to remove; status says no key is kept there for the
profile and names the alternatives; set keeps "cannot be stored". Both languages.
"""

from __future__ import annotations

import pytest

from tests.conftest import FAKE_KEY
from tui.cli import main
from tui.core.i18n.catalogue import render
from tui.core.setup.keys import KeyStoreError, delete_key, set_key

STORE = {"en": "cannot be stored", "zh-CN": "无法保存密钥"}
ALTERNATIVES = ("GATEWAY_DOCTOR_API_KEY", "OPENAI_API_KEY", "--api-key-stdin")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_delete_without_a_keyring_says_there_is_nothing_to_remove(lang) -> None:
    with pytest.raises(KeyStoreError) as info:  # null keyring (conftest)
        delete_key("work")
    said = render(info.value.message, lang)
    assert info.value.unavailable
    assert STORE[lang] not in said
    assert {"en": "no key in it to remove", "zh-CN": "没有可以删除的密钥"}[lang] in said
    assert all(alternative in said for alternative in ALTERNATIVES), said


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_status_without_a_keyring_says_no_key_is_kept_there(capsys, lang) -> None:
    assert main(["profile", "add", "work", "--preset", "alltkn"]) == 0
    capsys.readouterr()
    assert main(["key", "--lang", lang, "status"]) == 0
    out = capsys.readouterr().out.replace("\n", "")
    assert STORE[lang] not in out
    kept = {"en": "no key is kept in it for this profile", "zh-CN": "没有为这个配置档保存的密钥"}
    assert kept[lang] in out, out
    assert all(alternative in out for alternative in ALTERNATIVES), out


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_set_without_a_keyring_still_says_it_cannot_be_stored(lang) -> None:
    with pytest.raises(KeyStoreError) as info:
        set_key("work", FAKE_KEY)
    assert STORE[lang] in render(info.value.message, lang)
