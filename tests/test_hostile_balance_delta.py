"""Charged, with the balance before and after (issue 15): the delta, and how it was decided.

When the balance step read a number and a completion was (or may have been)
charged, the engine reads the same balance endpoint once more at the end of
the run; the summary's Charged line, the text report and the JSON ``charged``
object show before → after and the change. The reads go out together with the
completions, so the wording says "between the balance read and the end of the
run". No number, no completion, or a refused one: no extra request. A second
read that hangs or answers nonsense leaves the run bounded and shows no delta.
Rows of ``HOSTILE_ROWS`` are asserted below (docs/hardening.md is generated).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time

import pytest

from tests.support.servers import JSON, Conn, RawServer
from tests.support.targets import target_for
from tui.core.diagnosis.charge import Charge, charge_text
from tui.core.diagnosis.checks.balance_again import NOTE
from tui.core.diagnosis.engine import run_checks
from tui.core.diagnosis.report import render_json, render_text
from tui.core.diagnosis.summary import charged_text, support_summary
from tui.core.net.exchange import ExchangeLog
from tui.demo.ledger import Ledger
from tui.demo.server import DemoGateway

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    ("Charged", "healthy demo gateway: each answered completion costs 0.001 USD on its "
     "balance endpoints",
     "the balance is read again after the completions (step balance, noted in the log); "
     "Charged: 'yes — usage returned …; balance 87.66 → 87.658 USD (change -0.002) between the "
     "balance read and the end of the run' (-0.001 when the ping was billed before the read "
     "answered); JSON charged.balance.delta; the same in Chinese"),
    ("Charged", "a gateway without balance endpoints (404 everywhere)",
     "no delta in the Charged line or the JSON, and not one extra balance request"),
    ("Charged", "the key is refused (401 on every keyed request)",
     "Charged 'no'; the balance is not read again (no request beyond those sent with the others)"),
    ("Charged", "the completions are refused for money (402) while the balance shows 87.66 USD",
     "Charged 'no — every completion was refused'; the balance is not read again"),
    ("Charged", "the balance endpoint hangs when it is read the second time",
     "the run ends within its bounds; Charged says what usage says, without a delta"),
    ("Charged", "the balance endpoint answers an HTML error page the second time",
     "no delta (nothing is guessed from the page); the second read is in the log, noted"),
]  # fmt: skip


@pytest.fixture(scope="module")
def gw():
    g = DemoGateway(port=0, tokens_per_second=400)  # the stream lasts ~160 ms
    g.start_in_thread()
    try:
        yield g
    finally:
        g.stop()


def _again(log: ExchangeLog) -> list:
    return [ex for ex in log.all() if NOTE in ex.note]


async def test_healthy_demo_shows_a_negative_delta(gw):
    log = ExchangeLog()
    report = await run_checks(target_for(gw.scenario_url("healthy")), log)
    assert report.verdict == "pass"
    again = _again(log)
    assert again and all(ex.step == "balance" and ex.status == 200 for ex in again)
    line = next(x for x in support_summary(report, log=log).splitlines() if "Charged" in x)
    assert "yes — usage returned" in line
    # The model ping may be billed before the balance read answers; the stream is not.
    assert re.search(r"balance [\d.]+ → [\d.]+ USD \(change -0\.00[12]\) between the balance "
                     r"read and the end of the run", line), line  # fmt: skip
    data = json.loads(render_json(report, log=log))
    bal = data["charged"]["balance"]
    assert data["charged"]["charged"] is True and data["charged"]["reason"] == "usage"
    assert bal["delta"] in (-0.001, -0.002) and bal["after"] < bal["before"]
    assert bal["unit"] == "USD" and bal["raced"] is True
    assert data["checks"][4]["evidence"]["read_again"]["remaining"] == bal["after"]
    assert f"(change {bal['delta']:+g})" in render_text(report)
    zh = charged_text(report, "zh-CN", log)
    assert f"（变化 {bal['delta']:+g}）" in zh and "从读取余额到检查结束之间" in zh, zh


async def test_no_balance_endpoints_no_delta_no_extra_request():
    g = DemoGateway(port=0, scenario="no_balance", tokens_per_second=2000).start_in_thread()
    try:
        log = ExchangeLog()
        target = target_for(g.base_url)
        report = await run_checks(target, log)
    finally:
        g.stop()
    assert report.by_id("balance").code == "balance.unknown"
    assert not _again(log)
    urls = [ex.url for ex in log.all() if ex.step == "balance"]
    assert urls and len(urls) == len(set(urls)), urls  # each endpoint asked once, no re-read
    assert "balance" not in charged_text(report, "en", log)
    assert json.loads(render_json(report, log=log))["charged"]["balance"] is None


async def test_failing_auth_sends_no_extra_read(gw):
    log = ExchangeLog()
    report = await run_checks(target_for(gw.scenario_url("invalid_key")), log)
    assert report.by_id("auth").code == "auth.invalid_key"
    assert not _again(log)
    assert charged_text(report, "en", log).startswith("no")


async def test_refused_completions_send_no_extra_read(gw):
    log = ExchangeLog()
    report = await run_checks(target_for(gw.scenario_url("payment_required")), log)
    assert report.by_id("balance").evidence["remaining"] == pytest.approx(87.66)
    assert not _again(log)
    assert charged_text(report, "en", log).startswith("no — every completion was refused")


# -- a gateway whose second balance read misbehaves -------------------------------
COMPLETION = json.dumps(
    {
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "pong"}}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }
).encode()


def _gateway(second: str):
    """Usage 1000 cents the first time; the second subscription read hangs or is HTML."""
    reads = {"n": 0}
    lock = threading.Lock()

    async def handle(conn: Conn) -> None:
        while (req := await conn.read_request()) is not None:
            path = req.target.split("?")[0]
            if path.endswith("/models"):
                body = {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]}
                await conn.respond(200, JSON, json.dumps(body).encode())
            elif path.endswith("/chat/completions"):
                await conn.respond(200, JSON, COMPLETION)
            elif path.endswith("/dashboard/billing/subscription"):
                with lock:
                    reads["n"] += 1
                    n = reads["n"]
                if n > 1 and second == "hang":
                    await asyncio.sleep(30)
                    return
                if n > 1:
                    page = b"<html><body>502 Bad Gateway</body></html>"
                    await conn.respond(502, [("Content-Type", "text/html")], page)
                    continue
                body = {"object": "billing_subscription", "hard_limit_usd": 100}
                await conn.respond(200, JSON, json.dumps(body).encode())
            elif path.endswith("/dashboard/billing/usage"):
                await conn.respond(200, JSON, b'{"object": "list", "total_usage": 1000}')
            else:
                await conn.respond(404, JSON, b'{"error": {"message": "Invalid URL"}}')

    return handle


@pytest.mark.parametrize("second", ["hang", "html"])
async def test_second_read_misbehaves(second):
    with RawServer(_gateway(second), max_seconds=30) as srv:
        log = ExchangeLog()
        t0 = time.monotonic()
        report = await run_checks(target_for(srv.url + "/v1", timeout=1.0), log, env={})
        took = time.monotonic() - t0
    assert report.by_id("balance").evidence["remaining"] == 90.0
    assert took < 1.0 * 7 + 5.0  # the overall cap, never more
    text = charged_text(report, "en", log)
    assert text.startswith("yes — usage returned") and "balance" not in text, text
    again = report.by_id("balance").evidence["read_again"]
    assert again["remaining"] is None
    if second == "html":
        assert [ex.status for ex in _again(log) if "subscription" in ex.url] == [502]


# -- narrow units -------------------------------------------------------------------
def test_wording_when_the_first_read_was_clean():
    c = Charge(True, "usage", {"tokens": 6, "steps": "model"}, (10.0, 9.5, "CNY"), raced=False)
    assert charge_text(c).endswith(
        "balance 10 → 9.5 CNY (change -0.5), read before and after the completions"
    )
    assert "补全请求之前和之后" in charge_text(c, "zh-CN")
    same = Charge(True, "usage", {"tokens": 6, "steps": "model"}, (10.0, 10.0, "CNY"))
    assert "has not moved (yet)" in charge_text(same)


def test_demo_ledger_is_thread_safe_and_per_gateway():
    book = Ledger()
    threads = [
        threading.Thread(target=lambda: [book.charge("healthy") for _ in range(500)])
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert book.spent("healthy") == pytest.approx(400.0) and book.spent("low_balance") == 0.0
    assert DemoGateway().ledger is not DemoGateway().ledger
