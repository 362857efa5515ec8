"""Profiles in the config file: add/edit/remove/use, the active profile, validation."""

from __future__ import annotations

import pytest

from tui.core.setup.config import load_config
from tui.core.setup.profiles import (
    Profile,
    ProfileError,
    active_profile_name,
    add_profile,
    edit_profile,
    get_setting,
    list_profiles,
    load_profile,
    remove_profile,
    set_active,
    set_setting,
    validate_name,
)

ALLTKN = "https://api.alltkn.com/api/v1"


def test_first_profile_becomes_active_and_loads():
    add_profile(Profile("work", ALLTKN, "gpt-4o-mini", client_label="Chatbox"))
    prof = load_profile()
    assert prof == Profile("work", ALLTKN, "gpt-4o-mini", client_label="Chatbox")
    assert load_profile("work") == prof
    assert load_profile("nope") is None
    assert active_profile_name() == "work"


def test_use_switches_and_env_overrides(monkeypatch):
    add_profile(Profile("a", ALLTKN))
    add_profile(Profile("b", "https://api.openai.com/v1"))
    assert active_profile_name() == "a"
    set_active("b")
    assert load_profile().name == "b"
    monkeypatch.setenv("GATEWAY_DOCTOR_PROFILE", "a")
    assert load_profile().name == "a"
    with pytest.raises(ProfileError, match="No profile named 'zzz'"):
        set_active("zzz")


def test_duplicate_add_refused():
    add_profile(Profile("a", ALLTKN))
    with pytest.raises(ProfileError, match="already exists"):
        add_profile(Profile("a", ALLTKN))


def test_edit_and_clear_optional_fields(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    add_profile(Profile("a", ALLTKN, proxy="http://127.0.0.1:7890", ca_bundle=str(ca)))
    edited = edit_profile("a", model="deepseek-chat", proxy="")
    assert edited.model == "deepseek-chat" and edited.proxy is None
    assert load_profile("a").ca_bundle == str(ca)
    assert "proxy" not in load_config()["profiles"]["a"]


@pytest.mark.parametrize(
    "prof,match",
    [
        (Profile("a", ""), "base URL is empty"),
        (Profile("a", "api.alltkn.com/api/v1"), "must start with http"),
        (Profile("a", ALLTKN, proxy="127.0.0.1:7890"), "proxy"),
        (Profile("a", ALLTKN, ca_bundle="/nonexistent/ca.pem"), "CA bundle"),
        (Profile("has space", ALLTKN), "Invalid profile name"),
    ],
)
def test_invalid_profiles_rejected_clearly(prof, match):
    with pytest.raises(ProfileError, match=match):
        add_profile(prof)
    assert list_profiles() == []


def test_remove_clears_active():
    add_profile(Profile("a", ALLTKN))
    add_profile(Profile("b", ALLTKN))
    remove_profile("a")
    assert [p.name for p in list_profiles()] == ["b"]
    assert active_profile_name() == "b"  # the only one left
    with pytest.raises(ProfileError):
        remove_profile("a")


def test_settings_roundtrip():
    set_setting("language", "zh-CN")
    set_setting("theme", "light")
    assert get_setting("language") == "zh-CN"
    set_setting("theme", None)
    assert get_setting("theme", "dark") == "dark"


def test_unicode_names_allowed():
    assert validate_name(" 公司-网关 ") == "公司-网关"


def test_a_key_in_the_base_url_or_model_is_refused_and_never_echoed() -> None:
    import pytest as _pytest

    from tests.conftest import CANARY_KEY
    from tui.core.setup.config import config_path
    from tui.core.setup.profiles import Profile, ProfileError, add_profile

    for base_url, model in (
        (f"https://gw.example/v1?key={CANARY_KEY}", "m"),
        (f"https://user:{CANARY_KEY}@gw.example/v1", "m"),
        (f"https://gw.example/{CANARY_KEY}/v1", "m"),
        ("https://gw.example/v1", CANARY_KEY),
    ):
        with _pytest.raises(ProfileError) as info:
            add_profile(Profile("leaky", base_url, model))
        assert CANARY_KEY not in str(info.value) and "keyring" in str(info.value)
    assert not config_path().exists() or CANARY_KEY not in config_path().read_text()
    # a host name that merely starts like a key is fine
    add_profile(Profile("ok", "https://sk-proxy.example.com/v1", "gpt-4o-mini"))
