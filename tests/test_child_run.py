"""The console's first check run in a child process (issue 14).

Started by the command line as soon as the target is resolved, the run goes on on
the other core while Textual is imported and the console built; the console takes
its exchanges, events and report as if it had run the checks itself. Real child
processes against the demo gateway over loopback.
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import threading
import time

import pytest

from tests.conftest import FAKE_KEY
from tests.support.console import ScriptedEngine, all_passed, console_app, wait_for
from tui.core.diagnosis import child_run
from tui.core.diagnosis.child_run import MAX_FRAME, read_frame, start_child_run, write_frame
from tui.core.diagnosis.model import Status, Target
from tui.core.safe import masking
from tui.ui.app import GatewayDoctorApp


@pytest.fixture(autouse=True)
def new_interpreter(monkeypatch) -> None:
    """In this process (threads: the demo gateway's, pytest's) a child is always a new
    interpreter; the forked kind is tested in a process of its own (below)."""
    monkeypatch.setattr(child_run, "can_fork", lambda: False)


def target_for(demo_gateway, scenario: str = "healthy", key: str = FAKE_KEY) -> Target:
    masking.register_secret(key)
    url = demo_gateway.scenario_url(scenario)
    return Target(base_url=url, api_key=key, model="gpt-4o-mini", timeout=10, trust_env=False)


def frames_of(child, timeout: float = 30.0) -> list[tuple[str, object]]:
    got: list[tuple[str, object]] = []
    ended = threading.Event()

    def take(kind, payload):
        got.append((kind, payload))
        if kind in ("final", "error", "failed"):
            ended.set()

    child.attach(take)
    assert ended.wait(timeout), [k for k, _ in got]
    return got


def test_the_child_runs_the_checks_and_sends_what_they_recorded(demo_gateway):
    child = start_child_run(target_for(demo_gateway))
    assert child is not None
    frames = frames_of(child)
    kinds = [k for k, _ in frames]
    assert kinds[-1] == "final" and {"started", "exchange", "event"} <= set(kinds)
    ended, report = frames[-1][1]
    assert report.verdict == "pass" and [c.status for c in report.checks] == [Status.PASS] * 7
    assert report.target.api_key == ""  # the parent has its own; the key went one way
    exchanges = [p for k, p in frames if k == "exchange"]
    assert len({ex.id for ex in exchanges}) == len(exchanges) >= 5
    # The final frame says what the end changed, not the exchanges (their bodies) again.
    assert sorted(i for i, _ in ended) == sorted(ex.id for ex in exchanges)
    assert all(len(values) == len(child_run.ENDED_FIELDS) for _, values in ended)
    for ex in exchanges:  # masked as the child's log recorded them
        assert FAKE_KEY not in repr((ex.url, ex.request_headers, ex.request_body))
        assert 0 < int(ex.id.removeprefix("ex-")) <= child_run.CHILD_IDS
    assert child.proc.wait(timeout=5) == 0


def test_a_child_stops_when_its_console_goes(demo_gateway):
    """The console closes the child's stdin (quit, or died): the child leaves at once,
    even in the middle of a slow answer."""
    child = start_child_run(target_for(demo_gateway, "slow_headers"))
    assert child is not None
    time.sleep(0.5)
    assert child.proc.poll() is None  # still waiting on the slow gateway
    assert child.proc.stdin is not None
    child.proc.stdin.close()
    assert child.proc.wait(timeout=5) == 0


async def test_the_console_takes_the_childs_run_instead_of_running_its_own(demo_gateway):
    target = target_for(demo_gateway)
    engine = ScriptedEngine(all_passed())
    child = start_child_run(target)
    app = console_app(target, engine=engine, child_run=child)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=30)
        await pilot.pause()
        rows = app.main.query_one("#checklist").rows
        assert [r.status for r in rows.values()] == [Status.PASS] * 7
        assert app.report.target is target
        ids = [ex.id for ex in app.exchange_log.all()]
        assert len(ids) == len(set(ids)) >= 5
        # What the console records next gets an id of its own, above the child's block.
        assert int(app.exchange_log.new_id().removeprefix("ex-")) > child_run.CHILD_IDS
    assert engine.calls == []  # the child did the checks


async def test_a_child_that_ends_without_a_word_leaves_the_checks_to_the_console(
    demo_gateway, monkeypatch, tmp_path
):
    mute = tmp_path / "mute-python"  # takes its orders, then dies without a word
    mute.write_text("#!/bin/sh\nhead -c 1 >/dev/null\n")
    mute.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(mute))
    target = target_for(demo_gateway)
    child = start_child_run(target)
    assert child is not None
    engine = ScriptedEngine(all_passed())
    app = console_app(target, engine=engine, child_run=child)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=10)
    assert len(engine.calls) == 1


def test_a_child_that_cannot_start_is_none(demo_gateway, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert start_child_run(target_for(demo_gateway)) is None


async def test_a_child_run_for_another_target_is_stopped_not_taken(demo_gateway):
    target = target_for(demo_gateway)
    child = start_child_run(target)
    assert child is not None
    engine = ScriptedEngine(all_passed())
    other = Target(base_url=target.base_url, api_key=FAKE_KEY, model="other", timeout=5)
    app = console_app(other, engine=engine, child_run=child)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=10)
    assert len(engine.calls) == 1
    assert child.proc.poll() is not None


class _SaysError:
    """A child whose engine failed: it says so in an ``error`` frame."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.cancelled = False

    def attach(self, deliver) -> None:
        deliver("error", "ValueError: the engine broke")

    def cancel(self) -> None:
        self.cancelled = True


async def test_an_error_in_the_child_is_said_like_an_engine_error():
    target = Target(base_url="http://127.0.0.1:9/v1", api_key=FAKE_KEY, model="m", timeout=5)
    engine = ScriptedEngine(all_passed())
    app = console_app(target, engine=engine, child_run=_SaysError(target))
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications), timeout=5)
        said = [n.message for n in app._notifications]
    assert any("the engine broke" in m for m in said), said
    assert engine.calls == [] and app.report is None


def test_frames_are_bounded_and_shape_checked():
    out = io.BytesIO()
    write_frame(out, "event", {"a": 1})
    assert read_frame(io.BytesIO(out.getvalue())) == ("event", {"a": 1})
    assert read_frame(io.BytesIO(out.getvalue()[:-1])) is None  # cut short
    huge = struct.pack("!I", MAX_FRAME + 1) + b"x" * 16
    assert read_frame(io.BytesIO(huge)) is None
    odd = pickle.dumps(["not", "a", "frame"])
    assert read_frame(io.BytesIO(struct.pack("!I", len(odd)) + odd)) is None


def test_the_console_command_starts_the_child_before_the_console(demo_gateway, monkeypatch):
    """``gateway-doctor`` starts the first run as soon as the target is resolved, hands it
    to the console, and stops it if the console never took it; with nothing configured
    there is nothing to run."""
    import argparse

    from tui.commands import console
    from tui.core.diagnosis.child_run import ChildRun

    seen: list[object] = []

    def run(self) -> None:
        child = self._child_run
        seen.append(child)
        assert isinstance(child, ChildRun) and child.target is self.target
        assert child.proc.poll() is None

    monkeypatch.setattr(console, "needs_terminal", lambda *a, **k: None)
    monkeypatch.setattr(GatewayDoctorApp, "run", run)
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    url = demo_gateway.scenario_url("healthy")
    console.run(argparse.Namespace(lang="en", base_url=url))
    assert len(seen) == 1 and seen[0].proc.poll() is not None  # stopped: never taken

    monkeypatch.delenv("GATEWAY_DOCTOR_API_KEY")
    monkeypatch.setattr(GatewayDoctorApp, "run", lambda self: seen.append(self._child_run))
    console.run(argparse.Namespace(lang="en"))
    assert seen[-1] is None


def test_the_demo_command_starts_the_child_too(monkeypatch):
    """``make demo`` is ``gateway-doctor demo``: its first run goes on in a child as well,
    against the demo gateway it started, and is stopped with it."""
    import argparse

    from tui.commands import demo
    from tui.core.diagnosis.child_run import ChildRun

    seen: list[object] = []

    def run(self) -> None:
        seen.append(self._child_run)
        assert isinstance(self._child_run, ChildRun) and self._child_run.target is self.target

    monkeypatch.setattr(demo, "needs_terminal", lambda *a, **k: None)
    monkeypatch.setattr(GatewayDoctorApp, "run", run)
    demo.run(argparse.Namespace(lang="en", scenario="healthy", headless=False, theme=None))
    assert len(seen) == 1 and seen[0].proc.poll() is not None


FORKED = """
import sys, threading
from tui.core.safe import masking
from tui.core.diagnosis.model import Target
from tui.core.diagnosis import child_run
key = sys.argv[2]
masking.register_secret(key)
target = Target(base_url=sys.argv[1], api_key=key, model="gpt-4o-mini", timeout=10,
                trust_env=False)
assert child_run.can_fork()
child = child_run.start_child_run(target)
got, ended = [], threading.Event()
def take(kind, payload):
    got.append((kind, payload))
    if kind in ("final", "error", "failed"):
        ended.set()
child.attach(take)
assert ended.wait(30)
report = got[-1][1][1]
exchanges = [p for k, p in got if k == "exchange"]
assert exchanges and all(key not in repr((e.url, e.request_headers)) for e in exchanges)
print(type(child.proc).__name__, got[-1][0], report.verdict, report.target.api_key == "",
      child.proc.wait(5))
"""


def test_a_single_threaded_console_forks_its_child(demo_gateway):
    """From the command line (one thread) the child is a fork: this process's imports
    and secrets, no new interpreter; it never writes to the terminal."""
    import subprocess

    url = demo_gateway.scenario_url("healthy")
    done = subprocess.run(
        [sys.executable, "-c", FORKED, url, FAKE_KEY], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["Forked", "final", "pass", "True", "0"]


class _Scripted:
    """A child that says what the test tells it to (no process): frames by hand."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.cancelled = False
        self.deliver = None

    def attach(self, deliver) -> None:
        self.deliver = deliver

    def cancel(self) -> None:
        self.cancelled = True


def _exchange(n: int, step: str = "balance"):
    from tui.core.net.exchange import Exchange

    return Exchange(id=f"ex-{n:04d}", step=step, started_at="", method="GET", url="http://x/v1")


def _console_with_scripted_child() -> tuple[GatewayDoctorApp, _Scripted]:
    target = Target(base_url="http://127.0.0.1:9/v1", api_key=FAKE_KEY, model="m", timeout=5)
    child = _Scripted(target)
    return console_app(target, child_run=child), child


async def test_a_child_lost_after_its_requests_is_said_not_run_again_behind_the_users_back():
    """Killed mid-run (its requests went out, some may be billed): no second run on its
    own; the console says so, r runs again. Its unanswered requests are recorded as
    stopped (no row waits for ever), and what it sent after that is not taken."""
    target = Target(base_url="http://127.0.0.1:9/v1", api_key=FAKE_KEY, model="m", timeout=5)
    engine = ScriptedEngine(all_passed())
    child = _Scripted(target)
    app = console_app(target, engine=engine, child_run=child)
    async with app.run_test(size=(160, 45)) as pilot:
        from tui.core.diagnosis.events import CheckStarted

        child.deliver("event", CheckStarted("network"))
        child.deliver("started", _exchange(3))
        child.deliver("started", _exchange(4))
        child.deliver("exchange", _exchange(3))
        await pilot.pause()
        rows = app.main.query_one("#checklist").rows
        assert rows["network"].status is Status.RUNNING
        assert [e.id for e in app.exchange_log.in_flight()] == ["ex-0004"]
        child.deliver("failed", None)
        await wait_for(pilot, lambda: bool(app._notifications), timeout=5)
        said = [n.message for n in app._notifications]
        child.deliver("exchange", _exchange(5))  # read before it was stopped: not taken
        await pilot.pause()
        assert app.exchange_log.in_flight() == []
        stopped = app.exchange_log.get("ex-0004")
        assert stopped is not None and stopped.error_kind == "cancelled"
        assert "the run that sent it was stopped" in (stopped.error or "")
        assert rows["network"].status is Status.PENDING  # no spinner for ever
        assert app.exchange_log.get("ex-0005") is None
    assert any("Press r to run the checks again" in m for m in said), said
    assert engine.calls == [] and app.report is None and child.cancelled


async def test_a_silent_child_is_stopped_at_the_runs_limit(monkeypatch):
    from tui.core.diagnosis import model
    from tui.ui import early

    monkeypatch.setattr(model, "run_limit", lambda target: 0.2)
    monkeypatch.setattr(early, "CHILD_GRACE", 0.1)
    app, child = _console_with_scripted_child()
    async with app.run_test(size=(160, 45)) as pilot:
        child.deliver("started", _exchange(2))
        await wait_for(pilot, lambda: bool(app._notifications), timeout=5)
        said = [n.message for n in app._notifications]
        assert app.exchange_log.in_flight() == []
    assert any("limit" in m for m in said), said
    assert child.cancelled


async def test_the_consoles_own_requests_never_take_an_id_of_the_childs(demo_gateway):
    """The chat (or anything) may record while the child still runs: its ids start above
    the child's block, so no exchange is shown for another or lost."""
    app, child = _console_with_scripted_child()
    async with app.run_test(size=(160, 45)) as pilot:
        mine = app.exchange_log.new_id()
        child.deliver("exchange", _exchange(9))
        child.deliver("exchange", _exchange(child_run.CHILD_IDS + 1))  # outside its block
        await pilot.pause()
        ids = [e.id for e in app.exchange_log.all()]
    assert mine == f"ex-{child_run.CHILD_IDS + 1:04d}"
    assert ids == ["ex-0009"]


def test_a_planted_tui_package_in_the_current_directory_is_not_the_child(
    demo_gateway, tmp_path, monkeypatch
):
    """A new interpreter is isolated: a ``tui`` package in the directory the console was
    started from is not imported in place of ours (it would be handed the key)."""
    planted = tmp_path / "tui" / "core" / "diagnosis"
    planted.mkdir(parents=True)
    for d in (tmp_path / "tui", tmp_path / "tui" / "core", planted):
        (d / "__init__.py").write_text("")
    stolen = tmp_path / "stolen"
    (planted / "child_run.py").write_text(
        f"import sys\nopen({str(stolen)!r}, 'wb').write(sys.stdin.buffer.read(4096))\n"
        "def child_main():\n    return 0\n"
    )
    monkeypatch.chdir(tmp_path)
    child = start_child_run(target_for(demo_gateway))
    assert child is not None
    assert frames_of(child)[-1][0] == "final"
    assert not stolen.exists()


def test_a_new_interpreter_gets_no_key_variable(demo_gateway, monkeypatch):
    import subprocess

    seen: dict[str, object] = {}
    real = subprocess.Popen

    def popen(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    child = start_child_run(target_for(demo_gateway))
    assert child is not None
    env = seen["env"]
    assert isinstance(env, dict) and "PATH" in env
    assert "OPENAI_API_KEY" not in env and "GATEWAY_DOCTOR_API_KEY" not in env
    assert frames_of(child)[-1][0] == "final"


def test_the_console_command_pauses_the_collector_while_the_console_is_built(
    demo_gateway, monkeypatch
):
    """~40 ms of a ~360 ms start were collections of what imports make (no garbage):
    the command pauses the collector, every way out turns it back on."""
    import argparse
    import gc

    from tui.commands import console

    seen: list[bool] = []

    def run(self) -> None:
        seen.append(gc.isenabled())

    monkeypatch.setattr(console, "needs_terminal", lambda *a, **k: None)
    monkeypatch.setattr(GatewayDoctorApp, "run", run)
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", FAKE_KEY)
    assert gc.isenabled()
    console.run(argparse.Namespace(lang="en", base_url=demo_gateway.scenario_url("healthy")))
    assert seen == [False] and gc.isenabled()


async def test_the_console_turns_the_collector_back_on_after_its_first_frame():
    import gc

    app = console_app(
        Target(base_url="http://127.0.0.1:9/v1", api_key=FAKE_KEY, model="m", timeout=5)
    )
    gc.disable()
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_for(pilot, lambda: app.report is not None)
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
