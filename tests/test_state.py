"""State files: masked, private, never overwritten, clear errors."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import CANARY_KEY
from tui.core.safe import masking
from tui.core.setup.errors import error_text
from tui.core.setup.state import StateWriteError, save_text, state_dir


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_dir_from_env(tmp_path: Path) -> None:
    assert state_dir() == tmp_path / "state"


def test_state_dir_default_is_per_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATEWAY_DOCTOR_STATE_DIR")
    assert "gateway-doctor" in str(state_dir())
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", "  ")
    assert "gateway-doctor" in str(state_dir())


def test_save_creates_private_dir_and_file(tmp_path: Path) -> None:
    path = save_text("report", "hello 你好\n")
    assert path.parent == tmp_path / "state"
    assert path.read_text(encoding="utf-8") == "hello 你好\n"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert path.name.startswith("report-") and path.suffix == ".txt"


def test_never_overwrites() -> None:
    paths = [save_text("summary", f"n={i}", ".md") for i in range(3)]
    assert len(set(paths)) == 3
    assert [p.read_text() for p in paths] == ["n=0", "n=1", "n=2"]
    assert all(p.suffix == ".md" for p in paths)


def test_content_is_masked_registered_or_not() -> None:
    p1 = save_text("leak", f"Authorization: Bearer {CANARY_KEY}\nkey={CANARY_KEY}")
    masking.register_secret("custom-secret-value-123456")
    p2 = save_text("leak", "value custom-secret-value-123456 here")
    assert CANARY_KEY not in p1.read_text() and "sk-…3210" in p1.read_text()
    assert "custom-secret-value-123456" not in p2.read_text()


def test_stem_and_suffix_cannot_escape_the_directory(tmp_path: Path) -> None:
    path = save_text("../../etc/passwd", "x", suffix="/../evil")
    assert path.parent == tmp_path / "state"
    assert ".." not in path.name and "/" not in path.name
    assert save_text("", "x", suffix="").name.startswith("gateway-doctor-")


def test_unwritable_location_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(blocker / "state"))
    with pytest.raises(StateWriteError) as info:
        save_text("report", "x")
    err = info.value
    assert str(blocker) in str(err) and "GATEWAY_DOCTOR_STATE_DIR" in str(err)
    assert "无法写入" in error_text(err, "zh-CN")
    assert isinstance(err, OSError)


def test_state_dir_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plain-file"
    target.write_text("x")
    monkeypatch.setenv("GATEWAY_DOCTOR_STATE_DIR", str(target))
    with pytest.raises(StateWriteError, match="writable directory"):
        save_text("report", "x")
