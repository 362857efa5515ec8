"""The model matrix's small review findings (issue 17 review, LOW 6): --match / --models
narrow the list without --probe, the CSV has the gateway's words ("said", formula-safe),
a narrow terminal drops the request-id column instead of wrapping rows, and the gateway's
sentence is cut between words keeping its end ("… group default (distributor)")."""

from __future__ import annotations

import csv
import io

from tests.test_models_cli import cli, key_env  # noqa: F401 - the fixture
from tui.core.i18n.width import cell_width
from tui.core.models.probe import ProbeResult
from tui.core.models.render import KeyRun, cut_words, render_csv, render_text

SAID = "No available channel for model gpt-4-32k under group default (distributor)"


def test_match_and_models_narrow_the_list(demo_gateway, key_env, capsys):  # noqa: F811
    url = demo_gateway.scenario_url("model_mix")
    code, out, err = cli(capsys, "models", "--base-url", url, "--match", "gpt-4o*")
    assert code == 0, err
    shown = [ln.split()[0] for ln in out.split("\n\n")[0].splitlines()[1:]]
    assert shown and all(m.startswith("gpt-4o") for m in shown), out
    assert "o1-pro" not in out
    code, out, _ = cli(capsys, "models", "--base-url", url, "--models", "o1-pro,nope", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and [r[0] for r in rows[1:]] == ["o1-pro"]
    code, out, err = cli(capsys, "models", "--base-url", url, "--match", "zzz*")
    assert code == 1 and out == "" and "no model matches 'zzz*'" in err


def test_csv_has_the_gateways_words_formula_safe() -> None:
    run = KeyRun("p", "sk-…cdef", "#1", [
        ProbeResult("gpt-4-32k", "fail", "model.unavailable", said=SAID),
        ProbeResult("evil", "fail", "model.bad_response", said="=HYPERLINK(\"http://x\")"),
        ProbeResult("gpt-4o", "pass", "model.ok", latency_ms=3.0),
    ])  # fmt: skip
    rows = list(csv.reader(io.StringIO(render_csv(catalog={}, runs=[run]))))
    said = {r[0]: r[rows[0].index("said")] for r in rows[1:]}
    assert rows[0][-1] == "said"
    assert said == {"gpt-4-32k": SAID, "evil": '\'=HYPERLINK("http://x")', "gpt-4o": ""}


def _run() -> KeyRun:
    return KeyRun("p", "sk-…cdef", "#1", [
        ProbeResult("gpt-4-32k", "fail", "model.unavailable", latency_ms=5.0, said=SAID,
                    request_id="20261202050433000008" + "5d0ba8ce" * 2),
        ProbeResult("gpt-4o-mini", "pass", "model.ok", latency_ms=300.0,
                    request_id="20261202050433000009" + "5d0ba8cf" * 2),
    ])  # fmt: skip


def test_a_narrow_terminal_drops_the_request_ids_and_no_row_wraps() -> None:
    wide = render_text(catalog={}, runs=[_run()], lang="en", url="http://gw", width=200)
    assert "5d0ba8ce5d0ba8ce" in wide and "… under group default (distributor)" in wide
    narrow = render_text(catalog={}, runs=[_run()], lang="en", url="http://gw", width=80)
    table = narrow.split("\n\n")[0].splitlines()
    assert "5d0ba8ce" not in narrow and "request id" not in table[0].lower()
    assert all(cell_width(ln) <= 80 for ln in table), table
    # narrower still: the gateway's words go under the table, whole
    tight = render_text(catalog={}, runs=[_run()], lang="en", url="http://gw", width=50)
    table = tight.split("\n\n")[0].splitlines()
    assert all(cell_width(ln) <= 50 for ln in table) and "SAID" not in table[0], table
    assert f"gpt-4-32k: {SAID}" in tight.splitlines()
    # not a terminal: the whole table, ids included
    assert "5d0ba8ce" in render_text(catalog={}, runs=[_run()], lang="en", url="http://gw")


def test_the_gateways_words_are_cut_between_words_keeping_the_end() -> None:
    assert cut_words(SAID, 200) == SAID
    cut = cut_words(SAID, 60)
    assert cell_width(cut) <= 60 and cut.endswith("group default (distributor)"), cut
    assert " … " in cut and cut.startswith("No available channel")
    for word in cut.replace(" … ", " ").split():
        assert word in SAID.split()  # no word cut halfway
    assert cut_words("x" * 100, 20) == "x" * 19 + "…"
    zh = "该分组下模型 gpt-4-32k 无可用渠道 （分组 default） 请联系管理员"
    assert cell_width(cut_words(zh, 30)) <= 30
