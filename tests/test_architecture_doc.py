"""docs/architecture.md describes the tree as it is: every path it names exists, and
every package of tui/core is in its table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_every_path_the_doc_names_exists() -> None:
    paths = set(re.findall(r"`((?:tui|tests|docs)/[\w./<>-]+?)`", DOC))
    assert len(paths) > 30
    missing = []
    for p in paths:
        if "<" in p:  # a recipe's placeholder (checks/<step>.py): its folder must exist
            p = p[: p.index("<")].rsplit("/", 1)[0]
        if not (ROOT / p.rstrip("/")).exists() and not list(ROOT.glob(p.rstrip("/"))):
            missing.append(p)
    assert not missing, missing


def test_every_core_package_is_described() -> None:
    core = ROOT / "tui" / "core"
    packages = sorted(p.name for p in core.iterdir() if (p / "__init__.py").exists())
    assert {"net", "diagnosis", "chat", "setup", "inspect", "safe", "i18n"} <= set(packages)
    for name in packages:
        assert f"`tui/core/{name}/`" in DOC, name
    loose = sorted(p.name for p in core.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"modules outside the packages: {loose}"
