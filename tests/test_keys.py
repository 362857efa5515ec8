"""Keys in the keyring: in-memory backend, no backend at all, never in the config file."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail, null

from tests.conftest import CANARY_KEY, FAKE_KEY
from tests.support.keyrings import LockedKeyring, MemoryKeyring
from tui.core.i18n.catalogue import render
from tui.core.safe import masking
from tui.core.setup import keys
from tui.core.setup.config import config_path
from tui.core.setup.keys import KeyStoreError, delete_key, get_key, set_key
from tui.core.setup.profiles import Profile, add_profile


@pytest.fixture
def set_backend():
    old = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(old)


def test_roundtrip_in_memory(memory_keyring):
    set_key("work", f"  {FAKE_KEY}\n")
    assert memory_keyring.store[("gateway-doctor", "work")] == FAKE_KEY
    found = get_key("work")
    assert (found.key, found.source, found.error) == (FAKE_KEY, "keyring", None)
    assert FAKE_KEY in masking.registered_secrets()
    assert found.masked == "sk-…4444"
    assert get_key("other").source == "none"
    assert delete_key("work") is True
    assert delete_key("work") is False
    assert get_key("work").key is None


def test_read_key_is_registered_for_masking(memory_keyring):
    memory_keyring.store[("gateway-doctor", "p")] = CANARY_KEY
    get_key("p")
    assert CANARY_KEY not in masking.mask(f"key={CANARY_KEY} and {CANARY_KEY}")


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), LockedKeyring()])
def test_no_backend_never_crashes_and_names_alternatives(set_backend, backend):
    set_backend(backend)
    found = get_key("work")
    assert found.key is None and found.source == "unavailable"
    error = render(found.error)
    assert "GATEWAY_DOCTOR_API_KEY" in error and "--api-key-stdin" in error
    with pytest.raises(KeyStoreError) as info:
        set_key("work", FAKE_KEY)
    assert info.value.unavailable
    assert "GATEWAY_DOCTOR_API_KEY" in str(info.value)
    assert FAKE_KEY not in str(info.value)
    with pytest.raises(KeyStoreError):
        delete_key("work")


def test_forgetful_backend_is_caught(set_backend):
    class Forgetful(MemoryKeyring):
        def set_password(self, service, username, password):
            pass

    set_backend(Forgetful())
    with pytest.raises(KeyStoreError, match="did not give it back"):
        set_key("work", FAKE_KEY)


@pytest.mark.parametrize("bad", ["", "   ", "sk-abc def", "sk-abc\nsk-def"])
def test_bad_keys_rejected(memory_keyring, bad):
    with pytest.raises(ValueError):
        set_key("work", bad)
    assert memory_keyring.store == {}


def test_bearer_prefix_is_dropped(memory_keyring):
    set_key("work", f"Bearer {FAKE_KEY}")
    assert get_key("work").key == FAKE_KEY


def test_key_never_reaches_config_file(memory_keyring):
    add_profile(Profile("work", "https://api.alltkn.com/api/v1", "gpt-4o-mini"))
    set_key("work", CANARY_KEY)
    raw = config_path().read_bytes()
    assert CANARY_KEY.encode() not in raw
    assert b"CANARY" not in raw


def test_backend_info_names_backend(memory_keyring):
    info = keys.backend_info()
    assert info.available and "MemoryKeyring" in info.name
