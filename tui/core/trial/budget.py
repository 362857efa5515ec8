"""What a trial will cost before anything is sent: requests, tokens, price where known.

Upper bounds: every bisection step of the long context, every retry of recovery, the
longest reply each stage allows. The price comes from the gateway's published model
catalogue (OpenRouter ``/models`` pricing, new-api ``/api/pricing``) when it has one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tui.core.diagnosis.model import Target
from tui.core.i18n.catalogue import text
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.trial import prompts as p
from tui.core.trial.model import Settings
from tui.core.trial.stages import BISECT_STEPS, LONG_MAX, REFINE_STEPS, SHORT_MAX


@dataclass(frozen=True, slots=True)
class Budget:
    requests: int
    tokens_in: int
    tokens_out: int
    cost: float | None
    currency: str
    price_in: float | None
    price_out: float | None


def money(value: float) -> str:
    """A cost for people: 4 significant digits, 2 to 4 decimals (0.6586, 12.35, 0.0010);
    below 0.0001, two significant digits."""
    if value == 0:
        return "0"
    if abs(value) < 0.0001:
        return f"{value:.{1 - math.floor(math.log10(abs(value)))}f}"
    decimals = min(4, max(2, 3 - math.floor(math.log10(abs(value)))))
    return f"{value:.{decimals}f}"


def stage_bounds(stage: str, settings: Settings) -> tuple[int, int, int]:
    """``(requests, input tokens, output tokens)`` a stage may use at most."""
    n = settings.batch
    ctx_in = p.context_tokens_estimate(settings.context_size())
    table = {
        "short": (1, 20, SHORT_MAX),
        "stream": (1, 20, SHORT_MAX),
        "long_reply": (1, 60, LONG_MAX),
        # the first try; halvings that add up to less than one more; refining steps
        "long_context": (1 + BISECT_STEPS, (2 + REFINE_STEPS) * ctx_in, 64 * (1 + BISECT_STEPS)),
        "chinese": (1, 80, 200),
        "code": (1, 120, 300),
        "multi_turn": (3, 200, 72),
        "batch": (n, 20 * n, SHORT_MAX * n),
        # the aborted stream, the retry, one more after Retry-After, the billing reference
        "recovery": (4, 80, 400 + 3 * SHORT_MAX),
    }
    return table[stage]


def estimate(settings: Settings) -> Budget:
    reqs = tin = tout = 0
    for stage in settings.stages:
        r, i, o = stage_bounds(stage, settings)
        reqs, tin, tout = reqs + r, tin + i, tout + o
    return Budget(
        reqs, tin, tout, spent_cost(settings, tin, tout, reqs), settings.currency,
        settings.price_in, settings.price_out,
    )  # fmt: skip


def spent_cost(
    settings: Settings, tokens_in: int, tokens_out: int, requests: int = 0
) -> float | None:
    """Tokens at the published per-token prices plus requests at the per-request price
    (a model may have either, or both); None when nothing is published."""
    if not settings.priced:
        return None
    cost = 0.0
    if settings.price_in is not None and settings.price_out is not None:
        cost += (tokens_in * settings.price_in + tokens_out * settings.price_out) / 1e6
    if settings.price_per_request is not None:
        cost += requests * settings.price_per_request
    return round(cost, 6)


async def with_catalogue(target: Target, log: ExchangeLog, settings: Settings) -> Settings:
    """``settings`` with the model's published context length and price, where known."""
    try:
        from tui.core.models.catalog import fetch_catalog
    except ImportError:  # the model catalogue (issue 17) is not there: price unknown
        return settings
    client = GatewayClient(target, log)
    try:
        models = await fetch_catalog(client, target)
    except Exception:  # noqa: BLE001 - no price is an answer too
        models = {}
    finally:
        await client.aclose()
    info = models.get(target.model)
    if info is None:
        return settings
    settings.model_context = info.context_length or settings.model_context
    if info.price_in_per_mtok is not None and info.price_out_per_mtok is not None:
        settings.price_in, settings.price_out = info.price_in_per_mtok, info.price_out_per_mtok
        settings.currency = info.currency or settings.currency
    if info.price_per_request is not None:
        settings.price_per_request = info.price_per_request
        settings.currency = info.currency or settings.currency
    if settings.priced:
        settings.price_group = info.price_group
    return settings


def budget_lines(settings: Settings, model: str, lang: str) -> list[str]:
    """The budget as lines in ``lang``: a heading, then stages, requests, tokens, price."""
    b = estimate(settings)
    names = text("sep.items", lang).join(text(f"trial.stage.{s}", lang) for s in settings.stages)
    lines = [
        text("trial.cli.budget_heading", lang),
        "  " + text("trial.cli.budget_stages", lang, stages=names),
        "  " + text("trial.cli.budget_requests", lang, n=b.requests),
        "  "
        + text("trial.cli.budget_tokens", lang, tokens_in=b.tokens_in, tokens_out=b.tokens_out),
    ]
    if b.cost is not None and b.price_in is not None and b.price_out is not None:
        price = text(
            "trial.cli.budget_price", lang, cost=money(b.cost), currency=b.currency,
            price_in=b.price_in, price_out=b.price_out,
        )  # fmt: skip
        lines.append("  " + price)
    if b.cost is not None and settings.price_per_request is not None:
        price = text(
            "trial.cli.budget_price_request" + ("_one" if b.requests == 1 else ""), lang, cost=money(b.cost), currency=b.currency,
            per_request=money(settings.price_per_request), n=b.requests,
        )  # fmt: skip
        lines.append("  " + price)
    if b.cost is not None and settings.price_group:
        lines.append("  " + text("trial.cli.budget_group", lang, group=settings.price_group))
    if b.cost is None:
        lines.append("  " + text("trial.cli.budget_no_price", lang, model=model))
    return lines
