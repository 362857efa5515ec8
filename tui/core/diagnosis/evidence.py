"""Which recorded exchange proves a step's result.

A failed step often made several requests: the balance step asks three
endpoint families (200s that say nothing) while the refusal that fails it is a
429 another step received. "Evidence" is the exchange that shows the failure:
the one whose HTTP status the result quotes, else the one that failed in
transport, else the last error response, else the last exchange.
"""

from __future__ import annotations

from tui.core.diagnosis.model import CheckResult, Status
from tui.core.net.exchange import Exchange, ExchangeLog

__all__ = ["proving_exchange", "result_exchanges", "sent_ahead"]


def result_exchanges(result: CheckResult | None, log: ExchangeLog | None) -> list[Exchange]:
    """The recorded exchanges of ``result`` that are still in ``log``, in order."""
    if result is None or log is None:
        return []
    found = (log.get(i) for i in result.exchanges)
    return [ex for ex in found if ex is not None]


def proving_exchange(result: CheckResult | None, log: ExchangeLog | None) -> Exchange | None:
    """The exchange that proves ``result`` (None when it has none recorded)."""
    exchanges = result_exchanges(result, log)
    if not exchanges or result is None:
        return None
    if result.status not in (Status.FAIL, Status.WARN):
        return exchanges[-1]
    if result.http_status is not None:
        same = [ex for ex in exchanges if ex.status == result.http_status]
        if same:
            return same[-1]
    if result.error_text:
        broken = [ex for ex in exchanges if ex.error]
        if broken:
            return broken[-1]
    bad = [ex for ex in exchanges if ex.error or (ex.status is not None and ex.status >= 400)]
    return bad[-1] if bad else exchanges[-1]


def sent_ahead(result: CheckResult | None, log: ExchangeLog | None) -> list[str]:
    """A skipped step's own requests, sent ahead with the checks it waits for and not
    needed when one of those failed (the one-root-cause rule): their ids, in order."""
    if result is None or log is None or result.status is not Status.SKIP:
        return []
    return [ex.id for ex in log.all() if ex.step == result.id]
