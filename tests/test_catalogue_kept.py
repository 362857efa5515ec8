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


TAG = sys.implementation.cache_tag


@pytest.fixture
def kept_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cat, "_cache_dir", lambda: tmp_path / "kept")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path / "kept"


def kept(kept_dir: Path, lang: str) -> Path:
    return kept_dir / f"catalogue-{lang}.{TAG}.marshal"


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
    assert kept(kept_dir, "zh-CN").is_file()
    assert parse_fresh("zh-CN") == first
    assert first["sep.list"] == "；"


def test_a_stale_table_is_not_used(kept_dir: Path) -> None:
    parse_fresh("en")
    path = kept(kept_dir, "en")
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
    kept(kept_dir, "en").write_bytes(content)
    assert parse_fresh("en")["sep.list"] == "; "


def test_a_planted_link_is_neither_read_nor_written_through(kept_dir: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    kept_dir.mkdir()
    kept(kept_dir, "en").symlink_to(victim)
    assert parse_fresh("en")["sep.list"] == "; "
    assert victim.read_bytes() == b"keep me"
    assert not kept(kept_dir, "en").is_symlink()


def test_a_directory_it_cannot_write_costs_only_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setattr(cat, "_cache_dir", lambda: blocker / "kept")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert parse_fresh("en")["sep.list"] == "; "


def test_a_planted_pipe_is_not_waited_on(tmp_path: Path) -> None:
    """A FIFO at the kept table's place hung every start (open() waited for a writer)."""
    code = (
        "import sys, pathlib\n"
        "from tui.core.i18n import catalogue as cat\n"
        f"cat._cache_dir = lambda: pathlib.Path({str(tmp_path)!r})\n"
        "import os; os.mkfifo(cat._cache_path('en'))\n"
        "print(cat.text('sep.list', 'en') == '; ')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert out.stdout.strip() == "True", out.stderr[-2000:]


def test_a_table_of_the_wrong_shape_is_parsed_over(kept_dir: Path) -> None:
    parse_fresh("en")
    path = kept(kept_dir, "en")
    stamp, table = marshal.loads(path.read_bytes())
    table["sep.list"] = 7
    table["core.chat.no_response"] = ["a", "b"]
    path.write_bytes(marshal.dumps((stamp, table)))
    fresh = parse_fresh("en")
    assert fresh["sep.list"] == "; " and isinstance(fresh["core.chat.no_response"], str)


def test_nothing_is_written_under_python_b(kept_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert parse_fresh("en")["sep.list"] == "; "
    assert not kept_dir.exists()


def test_the_pycache_prefix_is_honoured(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "prefix")
    code = "from tui.core.i18n.catalogue import catalogue; catalogue('en')"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=60)
    assert list((tmp_path / "prefix").rglob(f"catalogue-en.{TAG}.marshal"))
