"""The inspector's "Problems" filter leaves out what the run expected (new-user walk: it
listed the balance step's ``/key/info`` 404s, about two a run, and the network step's
keyless 401, on a healthy gateway): a probe's miss and a request marked not needed are
not problems; a 404 elsewhere and the 401s of a refused key still are."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from tests.support.targets import target_for
from tests.test_inspector_ui import SIZE, InspectorApp, json_exchange, rows, wait_rows
from tui.core.diagnosis.engine import run_checks
from tui.core.i18n.catalogue import msg
from tui.core.inspect import format as fmt
from tui.core.inspect.index import ExchangeIndex
from tui.core.net.exchange import ExchangeLog
from tui.core.net.notes import set_note
from tui.ui.widgets.inspector import InspectorPane

PROBLEMS = frozenset({fmt.PROBLEMS})


async def _run(demo_gateway, scenario: str) -> ExchangeLog:
    log = ExchangeLog()
    await run_checks(target_for(demo_gateway.scenario_url(scenario)), log)
    return log


def _problems(log: ExchangeLog) -> list[str]:
    index = ExchangeIndex()
    for ex in log.all():
        index.put(ex)
    chosen = [ex.id for ex in index.select("", PROBLEMS)]
    assert chosen == [ex.id for ex in log.all() if fmt.matches(ex, "", PROBLEMS)]
    assert chosen == [ex.id for ex in log.all() if index.passes(ex, "", PROBLEMS)]
    return chosen


async def test_a_healthy_run_has_no_problems(demo_gateway) -> None:
    log = await _run(demo_gateway, "healthy")
    misses = [(ex.step, ex.status) for ex in log.all() if fmt.status_class(ex) == "4xx"]
    assert ("balance", 404) in misses and ("network", 401) in misses  # what used to show
    assert _problems(log) == []


async def test_a_refused_key_shows_its_401s(demo_gateway) -> None:
    log = await _run(demo_gateway, "invalid_key")
    shown = [log.get(i) for i in _problems(log)]
    assert shown and all(ex is not None and ex.status == 401 for ex in shown)
    assert "auth" in {ex.step for ex in shown if ex is not None}


def test_only_the_expected_misses_are_left_out() -> None:
    def ex(n: int, step: str, status: int | None, **kw):  # noqa: ANN202
        return json_exchange(n, step=step, status=status, **kw)

    assert fmt.is_problem(ex(1, "model", 404))  # a real 404 elsewhere
    assert fmt.is_problem(ex(2, "auth", 401))
    assert fmt.is_problem(ex(3, "balance", 500))  # the balance endpoint broken
    assert fmt.is_problem(ex(4, "balance", 401))
    assert not fmt.is_problem(ex(5, "balance", 404))  # another family's endpoint
    assert not fmt.is_problem(ex(6, "balance", 405))
    assert not fmt.is_problem(ex(7, "network", 401))  # asked without the key
    assert fmt.is_problem(ex(8, "network", 404))
    assert not fmt.is_problem(ex(9, "model", 200))
    unused = ex(10, "stream", 401)
    set_note(unused, msg("check.overlap.not_needed", why="x"))
    assert not fmt.is_problem(unused)
    pending = ex(11, "model", None, reason="", response_headers=[])
    assert not fmt.is_problem(pending)
    # the status classes themselves still list every 4xx
    assert fmt.matches(ex(5, "balance", 404), "", frozenset({"4xx"}))


@pytest.mark.parametrize(("scenario", "wanted"), [("healthy", 0), ("invalid_key", 1)])
async def test_the_pane_filter_problems(demo_gateway, scenario: str, wanted: int) -> None:
    log = await _run(demo_gateway, scenario)
    app = InspectorApp(log)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(InspectorPane)
        await wait_rows(pilot, pane, len(log.all()))
        pane.query_one("#inspector-class", Select).value = "problems"
        await pilot.pause()
        listed = [log.get(i) for i in rows(pane)]
        assert len(listed) == wanted, [(ex.step, ex.status, ex.path) for ex in listed if ex]
        assert all(ex is not None and ex.step == "auth" and ex.status == 401 for ex in listed)
