"""Importing Chatbox's providers from a sample config.json written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui.cli import main
from tui.core.i18n.catalogue import render
from tui.core.setup.chatbox_import import (
    ChatboxImportError,
    default_chatbox_paths,
    import_chatbox,
    parse_chatbox_config,
)
from tui.core.setup.config import config_path
from tui.core.setup.profiles import list_profiles, load_profile

OTHER_KEY = "sk-FAKE-other-5555-6666-7777-8888"

SAMPLE = {
    "settings": {
        "providers": {
            "openai": {
                "apiHost": "https://api.alltkn.com/api/v1/",
                "apiKey": FAKE_KEY,
                "models": [{"modelId": "gpt-4o-mini"}, {"modelId": "gpt-4o"}],
            },
            "claude": {"apiKey": "sk-ant-FAKE-1234567890"},
            "deepseek": {"apiKey": ""},
            "custom-provider-abc": {"apiKey": OTHER_KEY},
        },
        "customProviders": [
            {
                "id": "custom-provider-abc",
                "name": "My Gateway",
                "apiHost": "https://gw.example.test/api",
                "apiPath": "/v1/chat/completions",
                "models": ["qwen-max"],
            },
            {"name": "Broken", "apiHost": ""},
        ],
        "defaultChatModel": {"provider": "openai", "model": "gpt-4o"},
    },
    "chat-sessions": [],
}


@pytest.fixture
def sample(tmp_path) -> Path:
    p = tmp_path / "chatbox" / "config.json"
    p.parent.mkdir()
    p.write_text(json.dumps(SAMPLE), encoding="utf-8")
    return p


def test_parse_picks_openai_compatible_only():
    found, skipped = parse_chatbox_config(SAMPLE)
    by = {p.name: p for p in found}
    assert set(by) == {"openai", "My Gateway"}
    assert by["openai"].base_url == "https://api.alltkn.com/api/v1"
    assert by["openai"].model == "gpt-4o"  # the default chat model wins
    gw = by["My Gateway"]
    assert gw.api_key == OTHER_KEY and gw.model == "qwen-max"
    assert gw.request_url == "https://gw.example.test/api/v1/chat/completions"
    assert ("claude", "not OpenAI-compatible") in [(w, render(y)) for w, y in skipped]
    assert ("Broken", "no API Host") in [(w, render(y)) for w, y in skipped]


def test_import_writes_profiles_and_keys(sample, memory_keyring):
    result = import_chatbox(sample)
    names = sorted(p.name for p, _ in result.imported)
    assert names == ["chatbox-My-Gateway", "chatbox-openai"]
    prof = load_profile("chatbox-My-Gateway")
    assert prof.base_url == "https://gw.example.test/api/v1"
    assert prof.client_label == "Chatbox"
    assert (prof.client_host, prof.client_path) == (
        "https://gw.example.test/api",
        "/v1/chat/completions",
    )
    assert memory_keyring.store[("gateway-doctor", "chatbox-openai")] == FAKE_KEY
    assert memory_keyring.store[("gateway-doctor", "chatbox-My-Gateway")] == OTHER_KEY
    raw = config_path().read_bytes()
    assert FAKE_KEY.encode() not in raw and OTHER_KEY.encode() not in raw
    # a second run does not clobber without --overwrite
    again = import_chatbox(sample)
    assert again.imported == [] and all("exists" in render(why) for _, why in again.skipped[-2:])


def test_import_without_keyring_says_where_keys_could_not_go(sample):
    result = import_chatbox(sample)
    notes = dict((p.name, render(note)) for p, note in result.imported)
    assert "key NOT stored" in notes["chatbox-openai"]
    assert "GATEWAY_DOCTOR_API_KEY" in notes["chatbox-openai"]
    assert len(list_profiles()) == 2  # profiles are still imported


def test_dry_run_writes_nothing(sample, memory_keyring):
    result = import_chatbox(sample, dry_run=True)
    assert len(result.imported) == 2
    assert list_profiles() == [] and memory_keyring.store == {}


def test_cli_import_masks_keys(sample, capsys, memory_keyring):
    code = main(["profile", "import-chatbox", "--from", str(sample)])
    out = capsys.readouterr()
    assert code == 0
    assert "chatbox-openai" in out.out and "key stored" in out.out
    assert FAKE_KEY not in out.out + out.err and OTHER_KEY not in out.out + out.err


def test_legacy_layout():
    legacy = {
        "settings": {"apiHost": "https://gw.example.test", "openaiKey": CANARY_KEY, "model": "m1"}
    }
    (prov,), _ = parse_chatbox_config(legacy)
    assert prov.base_url == "https://gw.example.test/v1" and prov.model == "m1"


@pytest.mark.parametrize(
    "content,match",
    [
        ('{"settings": {', "line 1"),
        ("[1, 2]", "not a Chatbox config.json"),
    ],
)
def test_bad_files_clear_errors(tmp_path, content, match):
    p = tmp_path / "config.json"
    p.write_text(content)
    with pytest.raises(ChatboxImportError, match=match):
        import_chatbox(p)


def test_missing_file_cli(tmp_path, capsys):
    code = main(["profile", "import-chatbox", "--from", str(tmp_path / "nope.json")])
    err = capsys.readouterr().err
    assert code == 1 and "--from" in err and "Traceback" not in err


def test_default_locations():
    home = Path("/home/u")
    linux = default_chatbox_paths(env={}, platform="linux", home=home)
    assert linux[0] == home / ".config/xyz.chatboxapp.app/config.json"
    mac = default_chatbox_paths(env={}, platform="darwin", home=home)
    assert mac[0] == home / "Library/Application Support/xyz.chatboxapp.app/config.json"
    win = default_chatbox_paths(env={"APPDATA": "C:/Users/u/AppData/Roaming"}, platform="win32")
    assert win[0] == Path("C:/Users/u/AppData/Roaming/xyz.chatboxapp.app/config.json")
