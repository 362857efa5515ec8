"""Issue 15, wrong facts: `e` opens the exchange that proves the failure, and the
support summary's timings and request ids tell the same story (real demo gateway)."""

from __future__ import annotations

from tests.support.console import wait_for
from tests.test_console_live import spying_app
from tui.core.diagnosis.evidence import proving_exchange
from tui.core.diagnosis.summary import support_summary


async def test_quota_evidence_is_the_429_not_a_200_from_the_balance_endpoint(demo_gateway):
    app, shown = spying_app(demo_gateway.scenario_url("quota_exhausted"))
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        balance = app.report.by_id("balance")
        assert balance.code == "balance.insufficient" and balance.http_status == 429
        await pilot.press("e")
        await pilot.pause()
        assert shown, "e did not open an exchange"
        proof = app.exchange_log.get(shown[-1])
        assert proof is not None and proof.status == 429, (proof.path, proof.status)
        assert proving_exchange(balance, app.exchange_log) is proof

        text = support_summary(app.report, check=balance, log=app.exchange_log)
        timings = text.split("Timings (Balance)")[1].split("\n\n")[0]
        assert f"{proof.id} POST" in timings and "→ 429" in timings
        ids_line = next(line for line in text.splitlines() if line.startswith("Request ids"))
        values = [part.split(":", 1)[1].strip() for part in ids_line.split(":", 1)[1].split(";")]
        assert values and len(values) == len(set(values)), ids_line


async def test_evidence_of_a_skipped_step_is_its_request_sent_ahead(demo_gateway):
    """invalid_key: the model step is skipped (it waits for auth) but its request went
    out with the others; `e` said "this step made no HTTP request" while the inspector
    listed its 401. It now opens that exchange and says why it was not used."""
    app, shown = spying_app(demo_gateway.scenario_url("invalid_key"))
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (said.append(message), notify(message, **kw))[1]
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None, timeout=15)
        model = app.report.by_id("model")
        assert model.status.value == "skip" and not model.exchanges
        app.main.query_one("Checklist").select_check("model")
        await pilot.pause()
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(shown))
        ex = app.exchange_log.get(shown[-1])
        assert ex is not None and ex.step == "model"
    assert any("went out ahead" in m for m in said), said
    assert not any("made no HTTP request" in m for m in said), said
