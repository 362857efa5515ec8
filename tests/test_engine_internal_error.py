"""A check that raises is a bug in gateway-doctor: reported as ``<step>.internal_error``
with the masked exception and "please report", never as a timeout or as ``<step>.ok``."""

from __future__ import annotations

import pytest

from tests.conftest import FAKE_KEY
from tests.support.targets import target_for
from tui.core.diagnosis import engine
from tui.core.diagnosis.codes import is_code
from tui.core.diagnosis.model import CHECK_IDS, Status
from tui.core.diagnosis.remediation import remedy_for
from tui.core.diagnosis.report import render_text
from tui.core.net.exchange import ExchangeLog


@pytest.mark.parametrize("cid", ["balance", "proxy"])  # with and without a timeout code
async def test_a_crashing_check_is_an_internal_error_with_the_masked_exception(
    demo_gateway, monkeypatch, cid
):
    async def crash(ctx):  # noqa: ANN001, ANN202
        raise KeyError(f"quota for {ctx.target.api_key}")  # a bug that quotes the key

    monkeypatch.setitem(engine.CHECKS, cid, crash)
    target = target_for(demo_gateway.scenario_url("healthy"))
    report = await engine.run_checks(target, ExchangeLog())
    res = report.by_id(cid)
    assert (res.status, res.code) == (Status.FAIL, f"{cid}.internal_error")
    assert is_code(res.code)
    assert "KeyError" in res.detail and FAKE_KEY not in res.detail
    others = [c for c in report.checks if c.id != cid and c.id in CHECK_IDS]
    assert all(c.code != f"{c.id}.internal_error" for c in others)
    for lang in ("en", "zh-CN"):
        r = remedy_for(res, lang)
        assert "timeout" not in r.title.lower() and "超时" not in r.title
        assert any("`c`" in s and "--markdown" in s for s in r.steps)
        text = render_text(report, lang=lang)
        assert FAKE_KEY not in text and "KeyError" in text
    assert "report" in " ".join(remedy_for(res, "en").steps)
    assert "反馈" in " ".join(remedy_for(res, "zh-CN").steps)


def test_every_step_has_an_internal_error_code():
    assert all(is_code(f"{cid}.internal_error") for cid in CHECK_IDS)


async def test_a_crashed_balance_check_does_not_hold_back_the_stream(demo_gateway, monkeypatch):
    """Its remediation says the other steps still ran: the stream step must, as it does
    when the balance cannot be read (balance.unknown)."""

    async def crash(ctx):  # noqa: ANN001, ANN202
        raise ValueError("boom")

    monkeypatch.setitem(engine.CHECKS, "balance", crash)
    report = await engine.run_checks(
        target_for(demo_gateway.scenario_url("healthy")), ExchangeLog()
    )
    assert report.by_id("balance").code == "balance.internal_error"
    assert report.by_id("stream").code == "stream.ok", report.by_id("stream").detail
