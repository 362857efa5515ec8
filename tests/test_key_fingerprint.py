"""Key ids: stable per machine, different per key, never the key, salt kept 0600."""

from __future__ import annotations

import os
import stat

import pytest

from tui.core.safe import fingerprint
from tui.core.safe.fingerprint import SALT_FILE, key_id, salt_is_stable
from tui.core.safe.masking import mask

KEY = "sk-test-FAKEfingerprint0123456789abcdef"


@pytest.fixture
def state(tmp_path, monkeypatch):
    directory = tmp_path / "state"
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(directory))
    monkeypatch.setattr(fingerprint, "_salt_cache", {})
    return directory


def test_same_key_same_id_other_key_other_id(state) -> None:
    first = key_id(KEY)
    assert first == key_id(KEY) == key_id(f"  {KEY}\n")
    assert first != key_id(KEY + "x")
    assert len(first) == 9 and first.startswith("#")
    assert key_id("") == "" and key_id("   ") == ""


def test_the_id_holds_nothing_of_the_key_and_survives_masking(state) -> None:
    ident = key_id(KEY)
    for i in range(len(KEY) - 3):
        assert KEY[i : i + 4] not in ident
    assert mask(f"key {ident}") == f"key {ident}"


def test_salt_is_private_and_ids_survive_a_new_process(state, monkeypatch) -> None:
    ident = key_id(KEY)
    path = state / SALT_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_size == 32
    monkeypatch.setattr(fingerprint, "_salt_cache", {})  # as a new process reads it
    assert key_id(KEY) == ident and salt_is_stable()


def test_another_machine_gives_another_id(state, tmp_path, monkeypatch) -> None:
    here = key_id(KEY)
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(tmp_path / "elsewhere"))
    assert key_id(KEY) != here


def test_a_planted_link_is_not_followed(state, tmp_path) -> None:
    state.mkdir(mode=0o700)
    target = tmp_path / "victim"
    target.write_bytes(b"x" * 32)
    os.symlink(target, state / SALT_FILE)
    ident = key_id(KEY)
    assert ident.startswith("#") and not salt_is_stable()
    assert target.read_bytes() == b"x" * 32  # neither read as salt nor written


def test_a_salt_readable_by_others_is_not_trusted(state) -> None:
    state.mkdir(mode=0o700)
    path = state / SALT_FILE
    path.write_bytes(b"s" * 32)
    os.chmod(path, 0o644)
    key_id(KEY)
    assert not salt_is_stable()
