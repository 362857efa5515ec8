"""Shared helpers for the console tests: a scripted engine, a fake clipboard, screen text."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable

from rich.text import Text
from textual.app import App

from tui.core.diagnosis.codes import is_code
from tui.core.diagnosis.engine import CheckFinished, CheckStarted
from tui.core.diagnosis.model import CHECK_IDS, CheckResult, Report, Status, Target

FIXED_URL = "http://127.0.0.1:8765/scenario/demo/v1"


class FakeClipboard:
    """Stands in for the system clipboard; ``fail=True`` acts like pyperclip without one."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.texts: list[str] = []

    def __call__(self, text: str) -> None:
        if self.fail:
            raise RuntimeError("pyperclip could not find a copy/paste mechanism")
        self.texts.append(text)


def _built(app: App) -> bool:
    """The console's chat and inspector are mounted (they come after the first frame,
    and a fast scripted run can finish before them); any other app is built."""
    main = getattr(app, "_main", None)
    return main is None or not main.is_attached or main.late_ready


async def wait_for(pilot, predicate, timeout: float = 5.0) -> None:  # noqa: ANN001
    """Pause the pilot until ``predicate()`` holds and the console is built (chat and
    inspector mounted, so a test may use them); fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not (predicate() and _built(pilot.app)):
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)


def canned_result(check_id: str, status: Status = Status.PASS, **kw) -> CheckResult:
    """A realistic result with a fixed duration (snapshots stay stable), coded from the
    vocabulary: ``<id>.ok`` passed, ``<id>.skipped`` skipped, otherwise name the code."""
    default = {Status.PASS: f"{check_id}.ok", Status.SKIP: f"{check_id}.skipped"}
    code = kw.pop("code", None) or default.get(status)
    if code is None or not is_code(code):
        raise ValueError(f"canned_result({check_id!r}, {status}): not a vocabulary code: {code}")
    kw.setdefault("detail", f"{check_id}: ok")
    kw.setdefault("duration_ms", 12.0 + 10 * CHECK_IDS.index(check_id))
    return CheckResult(check_id, status, code, **kw)


def all_passed() -> dict[str, CheckResult]:
    details = {
        "config": "base URL, key and model look right",
        "network": "127.0.0.1 reachable",
        "proxy": "no proxy configured",
        "auth": "key accepted; 8 models listed",
        "balance": "$98.77 of $100.00 left",
        "model": "gpt-4o-mini answered",
        "stream": "streamed 24 chunks, first after 40 ms",
    }
    codes = {"proxy": "proxy.none"}
    return {
        cid: canned_result(cid, detail=details[cid], code=codes.get(cid, f"{cid}.ok"))
        for cid in CHECK_IDS
    }


def auth_failed() -> dict[str, CheckResult]:
    out = all_passed()
    out["auth"] = canned_result(
        "auth",
        Status.FAIL,
        code="auth.invalid_key",
        detail="HTTP 401: the gateway rejected the key",
        http_status=401,
        error_text="Incorrect API key provided: sk-…abcd.",
        request_ids=["X-Request-Id: req-0001"],
    )
    for cid in ("balance", "model", "stream"):
        out[cid] = canned_result(cid, Status.SKIP, detail="skipped: auth failed")
    return out


def stream_failed() -> dict[str, CheckResult]:
    out = all_passed()
    out["stream"] = canned_result(
        "stream",
        Status.FAIL,
        code="stream.interrupted",
        detail="stream ended after 5 chunks without finish_reason or [DONE]",
        error_text="connection closed by the gateway",
    )
    return out


class ScriptedEngine:
    """Stands in for ``run_checks``: emits events for canned results.

    ``hold`` makes it stop (forever) before the named check finishes, so a
    test can look at the console mid-run (``held`` is set then). ``calls``
    records the arguments.
    """

    def __init__(
        self, results: dict[str, CheckResult], hold: str | None = None, step_delay: float = 0.0
    ):
        self.results = results
        self.hold = hold
        self.step_delay = step_delay
        self.calls: list[dict] = []
        self.held = asyncio.Event()

    async def __call__(
        self, target: Target, log, on_event=None, only=None, previous=None
    ) -> Report:
        self.calls.append({"only": set(only) if only else None, "previous": previous})
        ids: Iterable[str] = [c for c in CHECK_IDS if not only or c in only]
        done: dict[str, CheckResult] = {c.id: c for c in previous.checks} if previous else {}
        for cid in ids:
            if on_event:
                on_event(CheckStarted(cid))
            if cid == self.hold:
                self.held.set()
                await asyncio.Event().wait()
            if self.step_delay:
                await asyncio.sleep(self.step_delay)
            done[cid] = self.results[cid]
            if on_event:
                on_event(CheckFinished(self.results[cid]))
        checks = [done[c] for c in CHECK_IDS if c in done]
        return Report(target, "2026-01-01T00:00:00Z", 123.0, checks)


def fake_target(key: str = "sk-FAKE-test-0000-1111-2222-3333-4444") -> Target:
    return Target(base_url=FIXED_URL, api_key=key, model="gpt-4o-mini", profile="demo", timeout=5)


def plain(renderable: object) -> str:
    if isinstance(renderable, Text):
        return renderable.plain
    text = getattr(renderable, "plain", None)
    if text:
        return text
    inner = getattr(renderable, "_renderable", None)  # textual's RichVisual around a rich Group
    if inner is not None:
        from rich.console import Console

        console = Console(width=400, color_system=None, file=io.StringIO())
        with console.capture() as captured:
            console.print(inner)
        return "\n".join(line.rstrip() for line in captured.get().splitlines())
    return str(renderable)


def screen_text(app: App) -> str:
    """All text in the visible Statics/Labels and checklist rows of the current screen
    (a row's columns one a line, its result uncut)."""
    from tui.ui.widgets.checklist import CheckRow  # noqa: PLC0415 (the UI, only when asked)

    parts = []
    for widget in app.screen.query("Static, CheckRow"):
        if not widget.display:
            continue
        if isinstance(widget, CheckRow):
            parts.extend(widget.shown_text())
        else:
            parts.append(plain(widget.render()))
    return "\n".join(parts)


def console_app(target: Target | None = None, **kw: object):  # noqa: ANN201
    """The console with the tests' fakes: a scripted engine (every check passes), a fake
    clipboard, a frozen spinner; ``kw`` replaces any of them or adds more."""
    from tui.ui.app import GatewayDoctorApp

    kw.setdefault("engine", ScriptedEngine(all_passed()))
    kw.setdefault("system_copy", FakeClipboard())
    kw.setdefault("animate_spinner", False)
    return GatewayDoctorApp(target or fake_target(), **kw)  # type: ignore[arg-type]
