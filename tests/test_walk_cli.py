"""Four command-line findings of a new-user walk:

1. the console's "use instead" hint names ``demo --headless`` "(add --json for
   machines)": ``demo --headless --json`` (and ``--markdown``) now work, as ``check``'s;
2. the text report of a failed run shows the failed step's request ids and ends saying
   how to get the support summary the remediation asks for;
3. ``trial``'s text report fits the terminal (COLUMNS), its table still readable;
4. a keyring that cannot be read says "cannot be read" on a read (check), and "cannot
   be stored" only when storing.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest

from tests.conftest import FAKE_KEY
from tui.cli import main
from tui.commands import console
from tui.commands.demo import HEADLESS_COMMAND
from tui.core.i18n.catalogue import render, text
from tui.core.i18n.width import cell_width

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# 1. demo --headless --json / --markdown -------------------------------------------


def test_the_console_hint_is_a_command_that_works(capsys, monkeypatch):
    """The hint printed without a terminal, run as it says (with --json added): it works."""

    class NoTty:
        def isatty(self) -> bool:
            return False

    monkeypatch.setattr("sys.stdin", NoTty())
    hint = console.needs_terminal("en", instead=HEADLESS_COMMAND) or ""
    said = re.search(r"use: (gateway-doctor demo --headless)\s+\(add (--json)", hint)
    assert said, hint
    argv = shlex.split(said.group(1))[1:] + [said.group(2), "--scenario", "invalid_key"]
    code, out, err = run(capsys, *argv)
    assert code == 1, err
    data = json.loads(out)
    assert data["verdict"] == "fail"
    assert [c["id"] for c in data["checks"]][:4] == ["config", "network", "proxy", "auth"]
    assert data["checks"][3]["code"] == "auth.invalid_key"
    assert "x-request-id" in data["support_summary"].lower()
    assert data["checks"][0]["evidence"]["sources"] == {"base_url": "demo", "key_source": "demo"}


def test_demo_json_has_the_shape_of_check_json(capsys, demo_gateway, monkeypatch):
    """Same top-level keys and the same checks as ``check --json`` against that scenario."""
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    code, out, _ = run(capsys, "demo", "--headless", "--json", "--scenario", "healthy")
    demo = json.loads(out)
    url = demo_gateway.scenario_url("healthy")
    code2, out2, _ = run(capsys, "check", "--json", "--base-url", url)
    check = json.loads(out2)
    assert code == code2 == 0
    assert demo.keys() == check.keys()
    assert [(c["id"], c["code"]) for c in demo["checks"]] == [
        (c["id"], c["code"]) for c in check["checks"]
    ]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_demo_markdown(capsys, lang):
    code, out, _ = run(capsys, "--lang", lang, "demo", "--headless", "--markdown",
                       "--scenario", "invalid_key")  # fmt: skip
    assert code == 1
    assert out.startswith("# ") and "auth.invalid_key" in out
    assert "x-request-id" in out.lower()


def test_demo_json_and_markdown_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--headless", "--json", "--markdown"])
    assert exc.value.code == 2


# 2. request ids and the support pointer in the text report ------------------------


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("columns", [None, "60"])
def test_failed_text_report_shows_request_ids_and_the_support_pointer(
    capsys, monkeypatch, lang, columns
):
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = run(capsys, "--lang", lang, "demo", "--headless", "--scenario", "invalid_key")
    assert code == 1
    lines = ANSI.sub("", out).splitlines()
    label = text("report.request_ids", lang)
    at = next(i for i, ln in enumerate(lines) if ln.strip().startswith(label))
    assert lines[at].startswith("     ")  # under the failed step, indented as its fix
    fail_row = max(i for i, ln in enumerate(lines[:at]) if ln.startswith("✗"))
    assert "auth.invalid_key" in " ".join(lines[fail_row:at])  # the auth row, just above
    ids = " ".join(ln.strip() for ln in lines[at : at + 3])
    assert re.search(r"x-request-id / x-oneapi-request-id: [0-9a-f]{20,}", ids)
    tail = " ".join(ln.strip() for ln in lines[-4:])
    said = text("report.support_hint_ids", lang)
    assert said.replace(" ", "") in tail.replace(" ", "")
    assert "--markdown" in tail
    if columns:
        assert max(cell_width(ln) for ln in lines) <= 60


def test_a_failed_step_without_request_ids_points_to_markdown(capsys):
    """A failure with no answer (no request id): the pointer does not speak of ids above."""
    code, out, _ = run(capsys, "demo", "--headless", "--scenario", "slow_headers",
                       "--timeout", "1")  # fmt: skip
    if "Request ids" in out:  # the scenario answered in the end: nothing to check here
        pytest.skip("slow_headers answered within the timeout")
    assert code == 1
    assert out.rstrip().splitlines()[-1] == text("report.support_hint", "en")


def test_a_passing_text_report_has_no_support_pointer(capsys):
    code, out, _ = run(capsys, "demo", "--headless", "--scenario", "healthy")
    assert code == 0
    assert "--markdown" not in out and "Request ids" not in out


# 3. trial fits the terminal -------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("width", [60, 100])
def test_trial_text_fits_the_width(capsys, monkeypatch, demo_gateway, lang, width):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    url = demo_gateway.scenario_url("trial_cjk_mangled")
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run(capsys, "--lang", lang, "trial", "--yes", "--base-url", url)
    assert code == 1, err
    lines = out.splitlines()
    assert max(cell_width(ln) for ln in lines) <= width
    # The table: each stage's row starts with its mark under the header, and its
    # figures either follow on the row or on indented lines below it.
    head = text("trial.cli.table_stage", lang)
    at = next(i for i, ln in enumerate(lines) if head in ln)
    stage_col = lines[at].index(head)
    rows = [ln for ln in lines[at + 1 :] if ln[:3].strip() in ("✓", "!", "✗", "–")]
    assert len(rows) >= 8
    for row in rows:
        assert row.startswith("  ") and row[2] in "✓!✗–"
        assert row.index(row.split()[1]) == stage_col  # the stage column stays aligned
    table_end = next(i for i in range(at + 1, len(lines)) if not lines[i].strip())
    for ln in lines[at + 1 : table_end]:
        assert ln.startswith("  ")  # continuation lines are indented, never at column 0
        assert not re.match(r"\s*(ms|s|KB|USD)\b", ln), ln  # "0 ms" is not cut in two
    # Without COLUMNS (a pipe) the lines are as long as they were.
    monkeypatch.delenv("COLUMNS")
    code, wide, _ = run(capsys, "--lang", lang, "trial", "--yes", "--base-url", url)
    assert max(cell_width(ln) for ln in wide.splitlines()) > 100


# 4. the keyring warning says read or store ----------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_read_says_cannot_be_read(capsys, demo_gateway, lang):
    """Null keyring (conftest), a profile: check warns the key cannot be READ, with the
    alternatives; storing still says it cannot be stored."""
    from tui.core.setup.keys import KeyStoreError, get_key, set_key

    assert main(["profile", "add", "work", "--base-url", demo_gateway.scenario_url("healthy")]) == 0
    capsys.readouterr()
    code, _, err = run(capsys, "--lang", lang, "check", "--profile", "work")
    read = render(get_key("work").error, lang)
    assert read in err.replace("\n", "")
    if lang == "en":
        assert "no key can be read" in err and "cannot be stored" not in err
    else:
        assert "无法从中读取密钥" in err and "无法保存" not in err
    for alternative in ("GATEWAY_DOCTOR_API_KEY", "OPENAI_API_KEY", "--api-key-stdin"):
        assert alternative in err
    with pytest.raises(KeyStoreError) as exc:
        set_key("work", FAKE_KEY)
    stored = render(exc.value.message, lang)
    assert ("cannot be stored" if lang == "en" else "无法保存密钥") in stored
