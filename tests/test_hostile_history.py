"""A planted or corrupted history file (issue 18 attack review, A1-A5): a badly shaped
record, odd shapes fed to every reader and renderer, one enormous line, a huge file,
and control characters in stored fields. History must never take a run down."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.cli_run import run

pytestmark = pytest.mark.usefixtures("fake_key_env")

# fmt: off
HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("History file", "a passing record in the state dir's history.jsonl has `proxy: [1]`, "
     "`models: \"oops\"`, `steps: 7` (valid JSON, wrong shape)",
     "`check` prints its report, exit 0, and says the unreadable line was skipped (was exit 70, "
     "AttributeError, the diagnosis lost); `history`, `show`, `diff` never raise on any JSON "
     "shape (property test)"),
    ("History file", "a 20 MB (or 40 MB) unterminated last line; an overlong line mid-file",
     "dropped as it is read, never accumulated: the last passing run is found in ~2 ms (was "
     "9.9 s for 40 MB); memory bounded (tracemalloc); every reader keeps the run numbers"),
    ("History file", "a 100 MB history file (rotation is at 8 MB)",
     "`history --last 3` reads backwards: < 8 MB traced memory (was 755 MB RSS, 6.9 s); "
     "only the newest 32 MB are read, and a warning says the file is far over its size"),
    ("History file", "a stored Server header `nginx\\ninjected line: ALL OK`, U+202E in a "
     "step id, ESC in a model name; a restorable model `gpt\\ninjected: OK`",
     "list, show, diff and the console show each value on one line (␊, visible escapes); "
     "restore-last-good refuses the value (“holds control characters … not restored”)"),
    ("History file", "a record whose unknown field `extra` nests 900 arrays deep; an unknown "
     "field holding `NaN` / `Infinity`",
     "the deep line is refused before parsing and counted as unreadable (was RecursionError "
     "in `history`, `show 1`, `diff 1 1`); the console's history pane says so; unknown fields "
     "keep at most 16 levels and non-finite numbers become null: `--json` is strict JSON"),
]
# fmt: on


def _file():
    from tui.core.history.store import HISTORY_NAME
    from tui.core.setup.state import state_dir

    d = state_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d / HISTORY_NAME


def _plant(*records: object, raw: bytes = b"") -> None:
    path = _file()
    with open(path, "ab") as fh:
        fh.write(raw)
        for r in records:
            fh.write(json.dumps(r, separators=(",", ":")).encode() + b"\n")
    path.chmod(0o600)


def _good(scope: str, **extra: object) -> dict[str, object]:
    record: dict[str, object] = {
        "v": 1, "kind": "check", "time": "2026-11-28T14:02:09Z", "scope": scope,
        "profile": None, "base_url": scope[4:], "model": "m", "verdict": "pass", "ok": True,
        "steps": [{"id": "config", "status": "pass", "code": "ok", "ms": 1.0}],
    }  # fmt: skip
    record.update(extra)
    return record


# ----- A1: one badly shaped passing record must not lose the diagnosis --------------
def test_a_badly_shaped_passing_record_does_not_take_check_down(demo_gateway) -> None:
    url = demo_gateway.scenario_url("healthy")
    assert run("check", "--base-url", url)[0] == 0
    scope = json.loads(_file().read_text().splitlines()[-1])["scope"]
    _plant(_good(scope, proxy=[1], models="oops", steps=7, tls=[2], addresses=5))
    code, out, err = run("check", "--base-url", url)
    assert code == 0, err
    assert "Traceback" not in err and "AttributeError" not in err
    assert "passed" in out.lower()
    assert "unreadable line" in err + out


def test_compare_never_raises_on_a_bad_base() -> None:
    from tui.core.history import compare

    bad = {"time": "x", "proxy": [1], "models": "oops", "tls": [1], "addresses": 5}
    new = {"time": "y", "tls": {"issuer": "a"}, "models": {"hash": "h"}, "addresses": ["1"]}
    compare(bad, new)  # no exception


# ----- A2: every reader and renderer survives any JSON shape ---------------------------
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=8,
)
_FIELDS = [
    "v", "kind", "time", "scope", "profile", "base_url", "model", "proxy", "stream", "server",
    "addresses", "tls", "models", "balance", "ttfb_ms", "ttft_ms", "verdict", "ok", "steps",
    "key", "key_id", "version", "trust", "proxy_source", "ca_bundle",
]  # fmt: skip
_step = (
    st.fixed_dictionaries({}, optional={k: _json for k in ("id", "status", "code", "ms")}) | _json
)
_record = st.fixed_dictionaries(
    {"time": st.just("2026-11-28T14:02:09Z") | _json},
    optional={
        **{k: _json for k in _FIELDS if k != "time"},
        "steps": st.lists(_step, max_size=3) | _json,
        "scope": st.just("url:http://x"),
        "ok": st.just(True),
        "verdict": st.just("pass"),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(a=_record, b=_record)
def test_any_shape_never_raises(a, b) -> None:
    from tui.core.history import compare, since_message, step_changes
    from tui.core.history.shape import clean
    from tui.core.i18n.catalogue import render

    # the reader's view: a cleaned record or None, and the renderers on top of it
    ca, cb = clean(a), clean(b)
    for x, y in ((ca, cb), (a, b)):
        if x is None or y is None:
            continue
        comparison = compare(x, y)
        step_changes(x, y)
        said = since_message(comparison, "fail")
        if said is not None:
            render(said, "en")
            render(said, "zh-CN")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=st.lists(_record, min_size=2, max_size=3))
def test_history_commands_never_crash_on_any_shape(records) -> None:
    from tui.core.history.store import files

    for path in files():
        path.unlink(missing_ok=True)
    _plant(*records)
    for args in (("history",), ("history", "--json"), ("history", "show", "1"),
                 ("history", "show", "2", "--json"), ("history", "diff", "1", "2"),
                 ("history", "diff", "1", "2", "--json"), ("history", "--lang", "zh-CN")):  # fmt: skip
        code, _, err = run(*args)
        assert code in (0, 2), (args, err)
        assert "Traceback" not in err and "error:" not in err, (args, err)


def test_the_review_shapes_in_the_cli() -> None:
    _plant(
        _good("url:http://a", steps=5),
        _good("url:http://a", steps=[{"id": {"x": 1}, "status": "pass"}]),
        _good("url:http://a", steps=["config", "network"]),
        _good("url:http://a"),
    )
    for args in (("history",), ("history", "show", "1"), ("history", "show", "2"),
                 ("history", "show", "3"), ("history", "diff", "1", "3"),
                 ("history", "diff", "2", "4")):  # fmt: skip
        code, out, err = run(*args)
        assert "error" not in err and "Traceback" not in err, (args, err)
    code, out, err = run("history")
    assert "unreadable line" in err
    assert code == 0 and "  4  " in out


# ----- A3: one enormous unterminated line costs bounded time ----------------------------
def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_a_huge_last_line_is_dropped_in_bounded_time() -> None:
    from tui.core.history.store import find_last, read_all, read_last

    scope = "url:http://big"
    for _ in range(200):
        _plant(_good(scope, verdict="fail", ok=False))
    _plant(_good(scope))
    needles = (b'"ok":true', b'"scope":"url:http://big"')

    def work() -> None:
        assert find_last(lambda r: r.get("verdict") == "pass", needles) is not None
        assert find_last(lambda r: r.get("verdict") == "pass") is not None
        assert read_last(3, lambda r: True)
        read_all()

    normal = min(_timed(work) for _ in range(3))
    _plant(raw=b'{"time":"' + b"x" * (20 * 1024 * 1024))  # unterminated 20 MB line
    big = min(_timed(work) for _ in range(2))
    # reading 20 MB once is unavoidable; accumulating it block by block was quadratic
    # (10 s for 40 MB); the bound is a ratio to the normal file, same test, same machine
    assert big < max(normal, 0.01) * 60, (normal, big)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, peak


# ----- A4: `history --last 3` on a 100 MB file reads what it needs ----------------------
def test_history_last_on_a_huge_file_has_bounded_memory() -> None:
    line = json.dumps(_good("url:http://a", server="s" * 900)).encode() + b"\n"
    with open(_file(), "wb") as fh:
        chunk = line * 1000
        for _ in range(100 * 1024 * 1024 // len(chunk)):
            fh.write(chunk)
    tracemalloc.start()
    code, out, err = run("history", "--last", "3")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 0
    assert len(out.splitlines()) == 4  # header + 3 runs
    assert peak < 8 * 1024 * 1024, peak
    assert "far over" in err  # said once: the file is far over its rotation size
    tracemalloc.start()
    code, out, err = run("history", "show", "2")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 0 and peak < 8 * 1024 * 1024, peak


# ----- A5: stored text is shown on one line, control characters neutralised ------------
def test_stored_fields_are_one_line_and_terminal_safe() -> None:
    hostile = _good(
        "url:http://a",
        server="nginx\ninjected line: ALL OK",
        model="gpt\x1b[2J",
        steps=[{"id": "con\u202efig", "status": "pass", "code": "ok\rfake", "ms": 1}],
    )
    _plant(_good("url:http://a", server="old"), hostile)
    for args in (("history",), ("history", "show", "2"), ("history", "diff", "1", "2")):
        code, out, err = run(*args)
        assert code == 0, err
        assert not any(line.startswith("injected line") for line in out.splitlines()), out
        assert "\u202e" not in out and "\x1b" not in out and "\r" not in out, out


def test_an_overlong_line_in_the_middle_is_skipped_by_every_reader() -> None:
    from tui.core.history.store import find_last, numbered_last, read_all

    scope = "url:http://mid"
    _plant(_good(scope, model="before"))
    big = _good(scope, model="big", server="x" * (300 * 1024))
    _plant(big, _good(scope, model="after", verdict="fail", ok=False))
    needles = (b'"ok":true', b'"scope":"url:http://mid"')
    found = find_last(lambda r: r.get("verdict") == "pass", needles)
    assert found is not None and found["model"] == "before"
    assert find_last(lambda r: r.get("verdict") == "pass")["model"] == "before"
    assert [r["model"] for r in read_all().records] == ["before", "after"]
    assert [(n, r["model"]) for n, r in numbered_last(5)] == [(1, "before"), (3, "after")]


def test_restore_last_good_never_writes_or_prints_a_planted_control_character() -> None:
    from tui.core.setup.profiles import load_profile

    run("profile", "add", "lab", "--base-url", "http://a/v1", "--model", "gpt-4o-mini")
    _plant(
        _good("profile:lab", profile="lab", base_url="http://a/v1", model="gpt\ninjected: OK",
              proxy="http://p:1\x1b[2J", key_id="#ab\nfake line", key="sk-…1")
    )  # fmt: skip
    code, out, err = run("profile", "restore-last-good", "lab", "--yes")
    assert code == 0, err
    said = out + err
    assert not any(x.startswith(("injected", "fake line")) for x in said.splitlines()), said
    assert "\x1b" not in said
    assert "model holds control characters" in said and "proxy holds control characters" in said
    assert load_profile("lab").model == "gpt-4o-mini" and not load_profile("lab").proxy


_hostile_text = st.lists(
    st.text(max_size=4)
    | st.sampled_from(["\n", "\r", "\x1b[2J", "\u202e", "\t", "{", "}", "{n}", "%s", "\x9b"]),
    max_size=5,
).map("".join)
_number = st.integers(-(10**30), 10**30) | st.floats(allow_nan=True, allow_infinity=True)
_typed = st.fixed_dictionaries(
    {"time": _hostile_text},
    optional={
        **{k: _hostile_text | st.none() for k in ("kind", "scope", "profile", "base_url",
           "model", "proxy", "server", "verdict", "key", "key_id", "version")},
        "ttfb_ms": _number, "ttft_ms": _number, "ok": st.booleans(), "stream": st.booleans(),
        "addresses": st.lists(_hostile_text, max_size=3),
        "tls": st.fixed_dictionaries({}, optional={"issuer": _hostile_text,
                                                   "not_after": _hostile_text}),
        "models": st.fixed_dictionaries({}, optional={
            "hash": _hostile_text, "count": st.integers(-5, 10**12),
            "sample": st.lists(_hostile_text, max_size=3), "complete": st.booleans()}),
        "balance": st.fixed_dictionaries({}, optional={"remaining": _number,
                                                       "unit": _hostile_text}),
        "steps": st.lists(st.fixed_dictionaries(
            {"id": st.sampled_from(["config", "network", "model", "stream"]) | _hostile_text},
            optional={"status": st.sampled_from(["pass", "fail", "skip"]) | _hostile_text,
                      "code": _hostile_text, "ms": _number}), max_size=4),
    },
)  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=st.lists(_record | _typed, min_size=1, max_size=3))
def test_the_console_and_show_renderers_never_raise_on_any_shape(records) -> None:
    """(json.loads reads ``Infinity``: such a number makes the record unreadable.)"""
    from tui.commands.history import show_lines, strip
    from tui.core.diagnosis.model import CHECK_IDS
    from tui.core.history.shape import clean, display
    from tui.ui.widgets.history_view import HistoryView, spark

    shown = [display(c) for c in map(clean, records) if c is not None]
    view = HistoryView("en")
    view.records = shown
    for r in shown:
        for lang in ("en", "zh-CN"):
            view._run_line(r, lang)
            show_lines(1, r, lang)
        strip(r)
    for cid in CHECK_IDS:
        spark(view._latencies(cid))
    from tui.core.history import compare, since_message, step_changes
    from tui.core.i18n.catalogue import render

    for a in records:
        for b in records:
            said = since_message(compare(a, b), "fail")
            step_changes(a, b)
            if said is not None:
                assert "\n" not in render(said, "en") and "\x1b" not in render(said, "zh-CN")


def test_infinity_and_nan_make_a_record_unreadable() -> None:
    from tui.core.history.shape import clean
    from tui.ui.widgets.history_view import spark

    for bad in (float("inf"), float("-inf"), float("nan")):
        assert (
            clean({"time": "t", "steps": [{"id": "config", "status": "pass", "ms": bad}]}) is None
        )
        assert clean({"time": "t", "balance": {"remaining": bad}}) is None
    assert spark([float("inf"), 1.0, None]).plain == "▁█ "  # never raises, whatever it is given


# ----- review 3: a deeply nested record, NaN in --json, stage names, trial warning ------
_DEEP = (
    b'{"time":"2026-01-01T00:00:00Z","kind":"check","verdict":"pass","ok":true,"scope":"x",'
    b'"extra":' + b"[" * 900 + b"]" * 900 + b"}\n"
)


def test_a_record_nested_900_deep_is_skipped_and_counted() -> None:
    _plant(_good("url:http://a"), raw=_DEEP)  # run 1 is the deep line, run 2 a good one
    code, out, err = run("history")
    assert code == 0 and "Traceback" not in err, err
    assert "1 unreadable line(s)" in err and "  2  " in out
    code, out, err = run("history", "--json")
    assert code == 0 and [r["n"] for r in json.loads(out)] == [2]
    code, out, err = run("history", "show", "1")
    assert code == 2 and "run 1 is an unreadable line" in err, err
    code, out, err = run("history", "diff", "1", "1")
    assert code == 2 and "Traceback" not in err
    code, out, err = run("history", "diff", "2", "2")
    assert code == 0 and "Traceback" not in err
    # the console's view says so too, rather than showing an empty pane
    from tui.core.history import recent
    from tui.core.i18n.catalogue import render

    problems: list = []
    assert recent("x", 10, problems) == []
    assert "1 unreadable line(s)" in render(problems[0], "en")


def test_a_deep_value_handed_to_clean_or_display_never_recurses() -> None:
    from tui.core.history.shape import clean, display

    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert clean({"time": "t", "extra": deep}) is None
    shown = display({"time": "t", "extra": deep})
    assert shown["time"] == "t"


def _strict(out: str):
    def refuse(name: str):
        raise AssertionError(f"not strict JSON: {name}")

    return json.loads(out, parse_constant=refuse)


def test_history_json_is_always_strict_json() -> None:
    line = json.dumps(_good("url:http://a"), separators=(",", ":"))[:-1]
    raw = (line + ',"extra":NaN,"more":{"x":[Infinity,-Infinity,1.5]}}\n').encode()
    _plant(raw=raw)
    for args in (("history", "--json"), ("history", "show", "1", "--json"),
                 ("history", "diff", "1", "1", "--json")):  # fmt: skip
        code, out, err = run(*args)
        assert code == 0, (args, err)
        _strict(out)
    data = _strict(run("history", "--json")[1])[0]
    assert data["extra"] is None and data["more"] == {"x": [None, None, 1.5]}


def _trial(time_: str, code: str, verdict: str) -> dict[str, object]:
    return _good(
        "url:http://a", kind="trial", time=time_, verdict=verdict, ok=verdict == "pass",
        steps=[{"id": "short", "status": "pass", "code": "trial.ok", "ms": 1.0},
               {"id": "long_reply", "status": "pass" if verdict == "pass" else "fail",
                "code": code, "ms": 2.0}],
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_trial_diff_and_show_name_the_stages(lang) -> None:
    from tui.core.i18n.catalogue import text
    from tui.ui.widgets.history_view import _diff_lines

    good = _trial("2026-11-28T14:00:00Z", "trial.ok", "pass")
    bad = _trial("2026-11-28T15:00:00Z", "trial.long_reply.truncated", "fail")
    _plant(good, bad)
    name = text("trial.stage.long_reply", lang)
    code, out, err = run("history", "diff", "1", "2", "--lang", lang)
    assert code == 0, err
    said = text("history.cli.step_change", lang, step=name, old="trial.ok",
                new="trial.long_reply.truncated")  # fmt: skip
    assert f"- {said}" in out, out
    assert "step." not in out and "trial.stage" not in out
    code, out, err = run("history", "show", "2", "--lang", lang)
    assert name in out and text("trial.stage.short", lang) in out, out
    from tui.core.history.store import read_all

    _title, lines = _diff_lines(read_all().records[-1], lang)
    assert f"• {said}" in lines, lines
    assert not any(line.startswith(("• long_reply", "• step.")) for line in lines), lines


def test_a_models_diff_shows_model_ids_as_they_are_on_one_line() -> None:
    def probe(time_: str, code: str) -> dict[str, object]:
        return _good("url:http://a", kind="models", time=time_,
                     steps=[{"id": "gpt\n4o", "status": "pass", "code": code, "ms": 1.0},
                            {"id": "config", "status": "pass", "code": code, "ms": 1.0}])  # fmt: skip

    _plant(probe("2026-11-28T14:00:00Z", "ok"), probe("2026-11-28T15:00:00Z", "model.gone"))
    code, out, err = run("history", "diff", "1", "2")
    assert code == 0, err
    assert "- gpt␊4o: ok → model.gone" in out, out
    assert "- config: ok → model.gone" in out  # a model named "config" is not a step title


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_record_too_large_is_said_in_the_users_language(lang, monkeypatch) -> None:
    from tui.core.history import append_record
    from tui.core.i18n.catalogue import render, text

    problem = append_record({"time": "t", "scope": "x", "big": "a" * 70_000})
    assert problem is not None
    said = render(problem, lang)
    assert "record too large" not in said
    assert text("history.too_large", lang, size=68, limit=64) in said, said


def test_the_trial_returns_the_history_warning(monkeypatch) -> None:
    from tests.support.console import fake_target
    from tui.core.history import store
    from tui.core.i18n.catalogue import render
    from tui.core.trial.model import Settings
    from tui.core.trial.runner import interrupted_run, record
    from tui.core.trial.table import to_dict

    run_ = interrupted_run(fake_target(), Settings(), [], "2026-11-28T14:00:00Z", 1.0)
    result = to_dict(run_, None, "en")
    assert record(run_, result) is None
    monkeypatch.setattr(store, "MAX_RECORD", 10)
    problem = record(run_, result)
    assert problem is not None
    en, zh = render(problem, "en"), render(problem, "zh-CN")
    assert en.startswith("run history not written: the record of this run is"), en
    assert "record too large" not in zh and "超过了历史记录每行" in zh, zh
