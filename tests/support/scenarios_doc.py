"""Keep the scenario tables of docs/scenarios.md in step with the catalogue.

Each scenario's words (``scenario.<id>.what`` / ``.symptom`` / ``.expect``, in
``tui/core/i18n/<lang>/71-demo.toml``) are written once; the four tables of
docs/scenarios.md, between ``<!-- scenarios:<kind> -->`` and
``<!-- /scenarios:<kind> -->``, are rendered from them (the prose around them
is written by hand). ``tests/test_demo_gateway_cli.py::test_docs_describe_every_scenario``
fails when the file differs. Regenerate with::

    .venv/bin/python -m tests.support.scenarios_doc
"""

from __future__ import annotations

import re
from pathlib import Path

from tui.demo.scenarios import KINDS, SCENARIOS

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"

_LAST_COLUMN = {"hardening": "what the doctor must do"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(kind: str) -> str:
    """The Markdown table of every scenario of ``kind``, in the data's order."""
    last = _LAST_COLUMN.get(kind, "what `gateway-doctor check` reports")
    rows = [
        f"| id | what the server does | what a Chatbox user sees (EN / 中文) | {last} |",
        "|---|---|---|---|",
    ]
    for s in SCENARIOS.values():
        if s.kind != kind:
            continue
        seen = f"{s.text('symptom', 'en')} / {s.text('symptom', 'zh-CN')}"
        cells = (f"`{s.id}`", s.text("what"), seen, s.text("expect"))
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def render(current: str | None = None) -> str:
    """docs/scenarios.md with each marked table rendered afresh."""
    doc = DOC_PATH.read_text(encoding="utf-8") if current is None else current
    for kind in KINDS:
        start, end = f"<!-- scenarios:{kind} -->", f"<!-- /scenarios:{kind} -->"
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
        if not pattern.search(doc):
            raise ValueError(f"{DOC_PATH.name}: no {start} … {end} block")
        doc = pattern.sub(lambda _m, k=kind, a=start, b=end: f"{a}\n{table(k)}\n{b}", doc)
    return doc


def write() -> None:
    DOC_PATH.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote {DOC_PATH}")
