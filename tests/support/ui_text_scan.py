"""Find string literals in our code that read like sentences a user would see.

The catalogues (tui/core/i18n/<lang>/*.toml) are the only source of user-facing
text; this scanner finds what slipped past them: any string constant (or literal
part of an f-string) with Chinese in it, or with two English words in a row,
that is not a docstring, CSS, or on a line marked ``# not-ui-text: <why>``
(log lines for developers, HTTP bodies the demo gateway plays, exception text
that is caught and never shown).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
WORDS = re.compile(r"[A-Za-z]{2,}[ ,;:]+(?:[a-z]{2,}|I|a)\b")
MARK = "# not-ui-text"
#: Assignments whose value is Textual CSS or a regex, never prose.
QUIET_NAMES = {"DEFAULT_CSS", "CSS", "CSS_PATH"}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _quiet(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in QUIET_NAMES for t in targets):
                ids |= {id(n) for n in ast.walk(node.value)}
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name in {"compile", "match", "search", "fullmatch", "sub", "findall"}:
                ids |= {id(n) for n in ast.walk(node)}
    return ids


def sentences(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of each literal in ``path`` that reads like user-facing prose."""
    src = path.read_text(encoding="utf-8")
    lines = src.splitlines()
    tree = ast.parse(src)
    skip = _docstrings(tree) | _quiet(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip:
            continue
        text = node.value
        if not (CJK.search(text) or WORDS.search(text)):
            continue
        span = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
        if any(MARK in line for line in span):
            continue
        found.append((node.lineno, text))
    return found


def scanned_files() -> list[Path]:
    """Every module of the product except the catalogues themselves."""
    return sorted(p for p in (ROOT / "tui").rglob("*.py") if "i18n" not in p.parts)


if __name__ == "__main__":
    total = 0
    for p in scanned_files():
        hits = sentences(p)
        total += len(hits)
        if hits:
            print(f"{len(hits):4d} {p.relative_to(ROOT)}")
    print(total)
