"""Render docs/hardening.md from the rows the hardening tests check.

The tables are data in the test modules (``CASES``, ``FILE_ROWS``,
``WAYS_OUT``, and ``HOSTILE_ROWS`` in every ``tests/test_hostile_*.py``); each row is asserted by a test, and
``tests/test_hardening_matrix.py::test_docs_table_is_current`` fails when
the file differs from this rendering. Regenerate with::

    .venv/bin/python -m tests.support.hardening_doc
"""

from __future__ import annotations

from pathlib import Path

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "hardening.md"

_HEAD = """# Hardening: what we tried and what the user sees

Generated from the hardening tests (`tests/test_hardening_*.py`,
`tests/test_canary_*.py`); every row below is asserted by a test on each run
of `make test`, and a test fails when this file is stale. Regenerate with
`.venv/bin/python -m tests.support.hardening_doc`.

## Bad input: `gateway-doctor check`

Each row runs `gateway-doctor check --json --timeout 2` (or the timeout shown)
against a real loopback server: the built-in demo gateway or a misbehaving
server from `tests/support/servers.py` (TLS certificates made with `trustme`, an
HTTP proxy that can demand 407). For every row the test also asserts: no
traceback, exit code 0/1 matching the verdict, at most one failed step (the
others are skipped, naming the root cause), remediation steps for a failure,
and an end within 3 × `--timeout` + 2 s.

"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _matrix() -> list[str]:
    from tests.test_hardening_matrix import CASES

    lines = [
        "| Area | What we tried | Step | Status | Code | The detail says (excerpt) |",
        "|---|---|---|---|---|---|",
    ]
    for c in CASES:
        tried = c.tried + (f" (`--timeout {c.timeout:g}`)" if c.timeout != 2.0 and
                           "--timeout" not in c.tried else "")  # fmt: skip
        sees = f"“{c.sees}”" if c.sees else "(passes)"
        lines.append(
            f"| {c.area} | {_cell(tried)} | {c.step} | {c.status} | `{c.code}` | {_cell(sees)} |"
        )
    return lines


def _files() -> list[str]:
    from tests.test_hardening_config import FILE_ROWS

    lines = [
        "",
        "## Config and state files",
        "",
        "| What we tried | What the user sees (excerpt) |",
        "|---|---|",
    ]
    for tried, sees in FILE_ROWS.values():
        lines.append(f"| {_cell(tried)} | “{_cell(sees)}” |")
    return lines


def _ways_out() -> list[str]:
    from tests.test_canary_paths import WAYS_OUT

    lines = [
        "",
        "## Every way out, with a canary key",
        "",
        "The canary key (`tests/conftest.py` `CANARY_KEY`) is registered as the user's key, "
        "used against the demo gateway, and each output below is searched for the key and "
        "for any 8-character piece of it. A control test breaks the masking function on "
        "purpose and checks that the canary search then reports the leak.",
        "",
        "| Way out | How the test gets it |",
        "|---|---|",
    ]
    for name, how in WAYS_OUT.values():
        lines.append(f"| {_cell(name)} | {_cell(how)} |")
    return lines


def _hostile() -> list[str]:
    """Rows from every ``tests/test_hostile_*.py`` (``HOSTILE_ROWS``: area, tried, sees)."""
    import importlib

    lines = [
        "",
        "## A hostile gateway or proxy",
        "",
        "Each row is a test with a small hostile server on loopback (or the built-in demo "
        "gateway's hostile scenarios) that failed before the fix it guards.",
        "",
        "| Area | What the server (or file) does | What gateway-doctor does |",
        "|---|---|---|",
    ]
    for path in sorted(DOC_PATH.parents[1].joinpath("tests").glob("test_hostile_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for area, tried, sees in getattr(module, "HOSTILE_ROWS", ()):
            lines.append(f"| {_cell(area)} | {_cell(tried)} | {_cell(sees)} |")
    return lines


def render() -> str:
    """The whole document."""
    return _HEAD + "\n".join([*_matrix(), *_hostile(), *_files(), *_ways_out()]) + "\n"


def write() -> Path:
    DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOC_PATH.write_text(render(), encoding="utf-8")
    return DOC_PATH


if __name__ == "__main__":
    print(write())
