"""The console against a gateway that quotes the key back in every form.

A loopback gateway (tests/support/echo.py) echoes the canary key plain,
upper- and lower-cased, JSON ``\\uXXXX``-escaped, percent-encoded, as base64
(of the key and of ``Bearer <key>``, alone and inside longer blobs) and as hex:
in model ids, response headers, error messages and SSE deltas. The console
runs its checks, a chat turn streams the deltas, a toast quotes every form and
the inspector shows each exchange; the rendered text of the checklist rows,
step detail, toasts, chat and inspector must hold no 8-character piece of the
key in any of those forms (tests/support/leaks.py).

Not covered here: a key split across two SSE deltas. Each delta is masked on
its own; putting stream text back together before masking is the stream
assembler's job (chat_message holds back the tail), so each form is sent whole
inside one delta.
"""

from __future__ import annotations

from textual.widgets import Static

from tests.conftest import CANARY_KEY
from tests.support.console import FakeClipboard, plain, wait_for
from tests.support.echo import echo_handler, echo_text
from tests.support.leaks import leaks
from tests.support.servers import RawServer
from tui.core.diagnosis.model import Target
from tui.core.safe import masking
from tui.ui.app import GatewayDoctorApp
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.checklist import Checklist, CheckRow
from tui.ui.widgets.inspector import InspectorPane

# fmt: off
HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Masking", "the console runs against a gateway quoting the key in every form (case, "
     "`\\uXXXX`, percent, base64 of the key and of `Bearer <key>`, hex) in model ids, headers, "
     "error messages and SSE deltas; a chat turn streams them and a toast quotes them",
     "checklist rows, step detail, toasts, chat and inspector (every exchange) show no "
     "8-character piece of the key in any form; with masking off the detector finds them"),
]
# fmt: on


def _texts(app: GatewayDoctorApp) -> list[str]:
    """Everything rendered now: every Static and checklist row (visible or in a hidden
    tab), the toasts and a screenshot of what the terminal shows."""
    out = [plain(w.render()) for w in app.screen.query(Static)]
    out += ["\n".join(row.shown_text()) for row in app.screen.query(CheckRow)]
    out += [f"{n.title}\n{n.message}" for n in app._notifications]
    out.append(app.export_screenshot())
    return out


async def console_texts() -> tuple[list[str], dict[str, list[str]]]:
    """Run the console against the echoing gateway; the rendered text, by place."""
    masking.register_secret(CANARY_KEY)
    by_place: dict[str, list[str]] = {}
    with RawServer(echo_handler, max_seconds=60) as gateway:
        target = Target(base_url=gateway.url + "/v1", api_key=CANARY_KEY, model="gpt-4o-mini",
                        timeout=5, trust_env=False)  # fmt: skip
        app = GatewayDoctorApp(target, sources={"base_url": "flag", "key": "env:OPENAI_API_KEY"},
                               system_copy=FakeClipboard())  # fmt: skip
        app.copy_to_clipboard = lambda _text: None  # type: ignore[method-assign]
        async with app.run_test(size=(200, 60)) as pilot:
            await wait_for(pilot, lambda: app.report is not None, timeout=20)
            await pilot.pause()
            checklist = app.main.query_one(Checklist)
            by_place["checklist"] = [  # each row: its columns, and the line it draws
                text
                for row in checklist.rows.values()
                for text in ("\n".join(row.shown_text()), plain(row.render()))
            ]
            for check in app.report.checks:  # expand every step in turn
                checklist.select_check(check.id)
                await pilot.pause()
                by_place.setdefault("step detail", []).extend(_texts(app))
            app.notify(f"the gateway said: {echo_text(CANARY_KEY)}", title=echo_text(CANARY_KEY))
            await pilot.pause()
            by_place["toasts"] = _texts(app)
            chat = app.main.query_one(ChatPane)
            chat.send_prompt("echo my key back")
            await wait_for(pilot, lambda: not chat.busy, timeout=15)
            await pilot.pause()
            by_place["chat"] = [plain(w.render()) for w in chat.query(Static)] + _texts(app)
            inspector = app.main.query_one(InspectorPane)
            for ex in app.exchange_log.all():
                inspector.show_exchange(ex.id)
                await pilot.pause()
                by_place.setdefault("inspector", []).extend(
                    [plain(w.render()) for w in inspector.query(Static)] + [app.export_screenshot()]
                )
    return [t for texts in by_place.values() for t in texts], by_place


async def test_console_shows_no_form_of_an_echoed_key() -> None:
    texts, by_place = await console_texts()
    assert set(by_place) == {"checklist", "step detail", "toasts", "chat", "inspector"}
    joined = "\n".join(texts)
    assert "echo-" in joined and "base64-bearer" in joined  # the echoes were rendered
    for place, place_texts in by_place.items():
        assert leaks(place_texts) == [], place


async def test_console_echo_leak_is_detected_without_masking(monkeypatch) -> None:
    import tui.ui.safe  # noqa: F401 - load the modules to patch
    import tui.ui.widgets.chat_message  # noqa: F401
    import tui.ui.widgets.inspector_detail  # noqa: F401
    from tests.test_canary_paths import break_masking

    break_masking(monkeypatch)
    texts, _ = await console_texts()
    found = leaks(texts)
    assert any(p.startswith("base64:") for p in found), found
    assert any(":" not in p for p in found), found
