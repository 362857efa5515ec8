"""Config file: atomic 0600 writes, corrupt files kept and reported, concurrent writers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from tui.core.setup import config
from tui.core.setup.config import ConfigError, config_path, load_config, update_config
from tui.core.setup.profiles import Profile, add_profile, list_profiles, load_profile


def test_path_comes_from_env(tmp_path):
    assert config_path() == tmp_path / "config" / "config.toml"


def test_missing_file_is_empty_config():
    assert load_config() == {"settings": {}, "profiles": {}}
    assert load_profile() is None
    assert list_profiles() == []


def test_write_is_0600_and_atomic(monkeypatch):
    add_profile(Profile("a", "https://api.alltkn.com/api/v1", "gpt-4o-mini"))
    path = config_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()

    def boom(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(config.os, "replace", boom)
    with pytest.raises(ConfigError, match="Cannot write"):
        add_profile(Profile("b", "https://api.openai.com/v1"))
    # the old file is intact and no temp file is left behind
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_corrupt_file_named_with_line_backed_up_never_overwritten():
    path = config_path()
    path.parent.mkdir(parents=True)
    bad = b'[settings]\nactive_profile = "a"\n[profiles.a\nbase_url = "x"\n'
    path.write_bytes(bad)
    with pytest.raises(ConfigError) as info:
        load_profile()
    msg = str(info.value)
    assert str(path) in msg and "line 3" in msg
    backup = info.value.backup
    assert backup is not None and backup.name.startswith("config.toml.corrupt-")
    assert backup.read_bytes() == bad
    # writes refuse: the corrupt file is not replaced
    with pytest.raises(ConfigError):
        add_profile(Profile("b", "https://api.openai.com/v1"))
    assert path.read_bytes() == bad
    # reading again does not pile up backups
    with pytest.raises(ConfigError):
        load_config()
    assert len(list(path.parent.glob("config.toml.corrupt-*"))) == 1


def test_wrong_shape_is_a_clear_error():
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('profiles = "oops"\n')
    with pytest.raises(ConfigError, match="'profiles' must be a table"):
        load_config()


def test_not_utf8_is_reported_with_line():
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'[settings]\nlanguage = "\xff"\n')
    with pytest.raises(ConfigError, match="line 2"):
        load_config()


def test_concurrent_writers_lose_nothing(tmp_path):
    """Several processes add profiles at once; every one survives."""
    script = textwrap.dedent(
        """
        import sys
        from tui.core.setup.profiles import Profile, add_profile
        who = sys.argv[1]
        for i in range(15):
            add_profile(Profile(f"p{who}-{i}", "https://example.test/v1"))
        """
    )
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(n)], env=env) for n in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    names = {p.name for p in list_profiles()}
    assert names == {f"p{w}-{i}" for w in range(4) for i in range(15)}


def test_update_config_returns_change_result():
    assert update_config(lambda d: d["settings"].setdefault("theme", "dark")) == "dark"
    assert load_config()["settings"]["theme"] == "dark"
