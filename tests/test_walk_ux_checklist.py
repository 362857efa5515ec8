"""A new user's walk (checklist): a skipped step shows no duration, and a running
step's counter never goes past the limit it names (the stream step's limit is twice
``--timeout``: its whole answer, tui/core/diagnosis/checks/stream.py)."""

from __future__ import annotations

import time
from types import SimpleNamespace

from tests.support.host import HostApp
from tui.core.diagnosis.checks.stream import stream_options
from tui.core.diagnosis.model import CheckResult, Status, Target, bounds, step_limit
from tui.ui.widgets.checklist import Checklist


class MovingChecklistApp(HostApp):
    """The checklist alone, its spinner and elapsed seconds moving (as in the console)."""

    animate_spinner = True


def _app(timeout: float = 15.0) -> MovingChecklistApp:
    target = Target(base_url="http://127.0.0.1:9/v1", timeout=timeout)
    return MovingChecklistApp(lambda app: Checklist("en", id="checklist"), target=target)


def test_the_stream_steps_limit_is_the_one_its_request_gets() -> None:
    target = Target(timeout=15.0)
    ctx = SimpleNamespace(target=target, timeout=target.timeout)
    assert step_limit("stream", target) == stream_options(ctx)["total_timeout"] == 30.0
    assert step_limit("auth", target) == step_limit("network", target) == 15.0
    assert bounds(15.0, 15.0) and not bounds(15.5, 15.0) and not bounds(1.0, None)


async def test_a_skipped_step_shows_no_duration() -> None:
    app = _app()
    async with app.run_test(size=(100, 12)) as pilot:
        checklist = app.query_one(Checklist)
        skipped = CheckResult(
            id="stream",
            status=Status.SKIP,
            code="stream.skipped",
            detail="waits for Authentication (auth.invalid_key)",
        )
        failed = CheckResult(
            id="auth",
            status=Status.FAIL,
            code="auth.invalid_key",
            detail="HTTP 401",
            duration_ms=28,
        )
        checklist.set_result(skipped)
        checklist.set_result(failed)
        await pilot.pause()
        row = checklist.rows["stream"].shown_text()
        assert row.result.startswith("waits for") and row.duration == "", row
        assert checklist.rows["auth"].shown_text().duration == "28 ms"


async def test_the_stream_rows_counter_stays_within_the_limit_it_names() -> None:
    app = _app(timeout=15.0)
    async with app.run_test(size=(100, 12)) as pilot:
        checklist = app.query_one(Checklist)
        for cid in ("stream", "network"):
            checklist.set_running(cid)
            checklist.rows[cid].started_at = time.monotonic() - 20.2
        await pilot.pause(0.25)
        stream = checklist.rows["stream"].shown_text().result
        assert stream == "running · 20 s of 30 s", stream
        # past its limit (several requests in turn) no limit is named at all
        network = checklist.rows["network"].shown_text().result
        assert network == "running · 20 s", network
