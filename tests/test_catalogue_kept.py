"""The merged catalogue is kept between runs (issue 14: 28 ms of every start).

A start that finds a table kept for exactly the current chapters loads it and
never imports tomllib; a stale, damaged or planted file is ignored, and a
directory it cannot write to only costs the parse.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.i18n import catalogue as cat

ROOT = Path(__file__).resolve().parent.parent


def parse_fresh(lang: str) -> dict:
    return dict(cat.catalogue.__wrapped__(lang))  # type: ignore[attr-defined]


@pytest.fixture
def kept_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cat, "_CACHE_DIR", tmp_path / "kept")
    return tmp_path / "kept"


def test_a_second_start_loads_the_kept_table_without_tomllib() -> None:
    code = (
        "import sys; from tui.core.i18n.catalogue import catalogue, text;"
        "catalogue('en'); catalogue('zh-CN');"
        "print('tomllib' in sys.modules, text('sep.list', 'zh-CN') == '；')"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run = [sys.executable, "-c", code]
    subprocess.run(run, cwd=ROOT, env=env, check=True, capture_output=True)
    out = subprocess.run(run, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "True"]


def test_the_kept_table_is_the_parsed_one(kept_dir: Path) -> None:
    first = parse_fresh("zh-CN")
    assert (kept_dir / "catalogue-zh-CN.marshal").is_file()
    assert parse_fresh("zh-CN") == first
    assert first["sep.list"] == "；"


def test_a_stale_table_is_not_used(kept_dir: Path) -> None:
    parse_fresh("en")
    path = kept_dir / "catalogue-en.marshal"
    stamp, table = marshal.loads(path.read_bytes())
    table["sep.list"] = "STALE"
    path.write_bytes(marshal.dumps((stamp[:-1] + (("99-gone.toml", 1, 1),), table)))
    assert parse_fresh("en")["sep.list"] != "STALE"
    # and the parse kept a good table again
    assert marshal.loads(path.read_bytes())[1]["sep.list"] != "STALE"


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00garbage", marshal.dumps(["not", "a", "pair"]), marshal.dumps((1, 2, 3))],
)
def test_a_damaged_table_is_parsed_over(kept_dir: Path, content: bytes) -> None:
    kept_dir.mkdir()
    (kept_dir / "catalogue-en.marshal").write_bytes(content)
    assert parse_fresh("en")["sep.list"] == "; "


def test_a_planted_link_is_neither_read_nor_written_through(kept_dir: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    kept_dir.mkdir()
    (kept_dir / "catalogue-en.marshal").symlink_to(victim)
    assert parse_fresh("en")["sep.list"] == "; "
    assert victim.read_bytes() == b"keep me"
    assert not (kept_dir / "catalogue-en.marshal").is_symlink()


def test_a_directory_it_cannot_write_costs_only_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setattr(cat, "_CACHE_DIR", blocker / "kept")
    assert parse_fresh("en")["sep.list"] == "; "
