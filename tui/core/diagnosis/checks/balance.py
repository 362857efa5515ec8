"""balance: how much is left, asked the way each gateway family answers it.

Families: new-api/one-api (``/dashboard/billing/subscription`` + ``/usage``,
remaining = ``hard_limit_usd − total_usage/100``, in the site's display unit),
OpenRouter (``/key``), LiteLLM (``/key/info``, then ``/user/info`` when the key
itself has no budget: spend, max budget, reset time), DeepSeek
(``/user/balance``), SiliconFlow (``/v1/user/info``), Moonshot
(``/v1/users/me/balance``). Whatever those say,
a quota error seen by any other step (429 ``insufficient_quota``, 402,
``TokenStatusExhausted``, 额度已用尽, a LiteLLM budget) makes this step fail as
``balance.insufficient``: that is the root cause, not the key. When the balance
endpoint shows money left yet a request was refused for money, the detail says
both: the refusal concerns a limit the figure does not cover.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from tui.core.diagnosis.checks.base import (
    Context,
    Results,
    info_of,
    is_timeout,
    short_keep_tail,
)
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.i18n.catalogue import Msg, msg, text
from tui.core.net.exchange import Exchange
from tui.core.net.http import parse_json

#: Below this remaining amount (in the gateway's unit) the balance is "low".
LOW_BALANCE = 1.0
#: new-api reports "unlimited" tokens as a huge hard limit.
UNLIMITED = 1e7


@dataclass
class Finding:
    family: str
    remaining: float | None = None
    unit: str = ""
    limit: float | None = None
    used: float | None = None
    unlimited: bool = False
    exchanges: list[Exchange] = field(default_factory=list)
    quota_error: Exchange | None = None
    timed_out: bool = False
    #: LiteLLM: when the budget resets, and whose budget it is (key or user).
    reset_at: str | None = None
    scope: str = ""


def _num(v: Any) -> float | None:
    """A finite number, else None: "NaN", "1e400" or "-Infinity" from a gateway is no amount."""
    try:
        n = float(v) if v is not None and v != "" and not isinstance(v, bool) else None
    except (TypeError, ValueError, OverflowError):
        return None
    return n if n is not None and math.isfinite(n) else None


def _scan(f: Finding, exs: list[Exchange]) -> None:
    f.exchanges += exs
    for ex in exs:
        if ex.error:
            f.timed_out = f.timed_out or is_timeout(ex)
        elif info_of(ex).kind == "quota":
            f.quota_error = f.quota_error or ex


async def _newapi(ctx: Context, roots: list[str]) -> Finding:
    f = Finding("new-api/one-api", unit="USD")
    for root in roots:
        sub, use = await asyncio.gather(
            ctx.request("GET", root + "/dashboard/billing/subscription", step="balance"),
            ctx.request("GET", root + "/dashboard/billing/usage", step="balance"),
        )
        _scan(f, [sub, use])
        sbody, ubody = parse_json(sub), parse_json(use)
        if sub.status == 200 and isinstance(sbody, dict) and "hard_limit_usd" in sbody:
            f.limit = _num(sbody.get("hard_limit_usd"))
            cents = _num(ubody.get("total_usage")) if isinstance(ubody, dict) else None
            f.used = round(cents / 100, 4) if cents is not None else None
            if f.limit is not None and f.limit >= UNLIMITED:
                f.unlimited = True
            elif f.limit is not None:
                f.remaining = round(f.limit - (f.used or 0.0), 4)
            return f
        if f.quota_error or f.timed_out or sub.status not in (404, 405, None):
            return f
    return f


async def _openrouter(ctx: Context, root: str) -> Finding:
    f = Finding("openrouter", unit="USD")
    ex = await ctx.request("GET", root + "/key", step="balance")
    _scan(f, [ex])
    body = parse_json(ex)
    data = body.get("data") if isinstance(body, dict) else None
    if ex.status == 200 and isinstance(data, dict) and ("limit" in data or "usage" in data):
        f.limit, f.used = _num(data.get("limit")), _num(data.get("usage"))
        rem = _num(data.get("limit_remaining"))
        if rem is None and f.limit is not None:
            rem = f.limit - (f.used or 0.0)
        f.remaining = round(rem, 4) if rem is not None else None
        f.unlimited = f.limit is None
    return f


def _litellm_read(f: Finding, info: dict[str, Any], scope: str) -> None:
    f.used, f.limit = _num(info.get("spend")), _num(info.get("max_budget"))
    f.scope, f.reset_at = scope, _str(info.get("budget_reset_at"))
    f.unlimited = f.limit is None
    if f.limit is not None:
        f.remaining = round(max(f.limit - (f.used or 0.0), 0.0), 6)  # spend can overshoot


def _str(v: Any) -> str | None:
    return str(v)[:40] if isinstance(v, str | int | float) and v != "" else None


async def _litellm(ctx: Context, roots: list[str]) -> Finding:
    """LiteLLM's own endpoints: ``/key/info`` (the calling key), then ``/user/info``."""
    f = Finding("litellm", unit="USD")
    for root in roots:
        ex = await ctx.request("GET", root + "/key/info", step="balance")
        _scan(f, [ex])
        body = parse_json(ex)
        info = body.get("info") if isinstance(body, dict) else None
        if (
            ex.status == 200
            and isinstance(info, dict)
            and ("spend" in info or "max_budget" in info)
        ):
            _litellm_read(f, info, "key")
            user = info.get("user_id")
            if f.limit is None and isinstance(user, str) and user:
                url = f"{root}/user/info?user_id={quote(user, safe='')}"
                uex = await ctx.request("GET", url, step="balance")
                _scan(f, [uex])
                ubody = parse_json(uex)
                uinfo = ubody.get("user_info") if isinstance(ubody, dict) else None
                if uex.status == 200 and isinstance(uinfo, dict) and uinfo.get("max_budget"):
                    _litellm_read(f, uinfo, "user")
            return f
        if f.quota_error or f.timed_out:
            return f
    return f


async def _simple(ctx: Context, family: str, url: str) -> Finding:
    """DeepSeek, SiliconFlow, Moonshot: one GET, one number."""
    f = Finding(family, unit="CNY")
    ex = await ctx.request("GET", url, step="balance")
    _scan(f, [ex])
    body = parse_json(ex)
    if ex.status != 200 or not isinstance(body, dict):
        return f
    if family == "deepseek":
        infos = body.get("balance_infos") or []
        if infos and isinstance(infos[0], dict):
            f.remaining = _num(infos[0].get("total_balance"))
            f.unit = str(infos[0].get("currency") or "CNY")
        if body.get("is_available") is False and f.remaining is None:
            f.remaining = 0.0
    else:
        data = body.get("data")
        if not isinstance(data, dict):
            data = {}
        for key in ("totalBalance", "available_balance", "balance"):
            if key in data:
                f.remaining = _num(data[key])
                break
    return f


#: Host word -> (family, path at the origin) for the gateways with one balance endpoint.
_SIMPLE = {
    "deepseek": "/user/balance",
    "siliconflow": "/v1/user/info",
    "moonshot": "/v1/users/me/balance",
}


def _where(ctx: Context) -> tuple[str, str, str, list[str], list[str]]:
    """``(base, origin, host, new-api roots, LiteLLM roots)`` for this base URL."""
    base = ctx.base_url.rstrip("/")
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    host = (parts.hostname or "").lower()
    roots = [base] + [r for r in (origin + "/v1", origin) if r != base]
    api_root = base[: -len("/v1")] if base.endswith("/v1") else base
    lite = [api_root] + ([origin] if origin != api_root else [])
    return base, origin, host, roots, lite


def families(ctx: Context) -> list[asyncio.Future[Finding] | Any]:
    base, origin, host, roots, lite = _where(ctx)
    if "openrouter" in host:
        return [_openrouter(ctx, base)]
    for word, path in _SIMPLE.items():
        if word in host:
            return [_simple(ctx, word, origin + path)]
    # LiteLLM first: its answer is the calling key's own budget, the most specific figure.
    return [_litellm(ctx, lite), _newapi(ctx, roots), _openrouter(ctx, base)]


def first_urls(ctx: Context) -> list[str]:
    """The GETs every family sends first, whatever the answers (sent ahead by the engine)."""
    base, origin, host, roots, lite = _where(ctx)
    if "openrouter" in host:
        return [base + "/key"]
    for word, path in _SIMPLE.items():
        if word in host:
            return [origin + path]
    sub = roots[0] + "/dashboard/billing"
    return [lite[0] + "/key/info", sub + "/subscription", sub + "/usage", base + "/key"]


def _budget(f: Finding) -> Msg | str:
    """LiteLLM: ``(key budget: spent 10.2 of 10, resets 2026-12-02T00:00:00)``."""
    if f.family != "litellm" or f.limit is None:
        return ""
    scope = msg("check.balance.scope_key" if f.scope == "key" else "check.balance.scope_user")
    facts = {"scope": scope, "used": f.used or 0.0, "limit": f.limit}
    if f.reset_at:
        return msg("check.balance.budget_reset", reset=f.reset_at, **facts)
    return msg("check.balance.budget", **facts)


def amount(f: Finding) -> Msg:
    """What is left: ``unlimited``, or ``20.4 USD`` (with a LiteLLM budget's scope)."""
    if f.unlimited:
        return msg("check.balance.unlimited")
    return msg("check.balance.amount", value=f.remaining or 0.0, unit=f.unit, budget=_budget(f))


def _refusal_said(q: dict[str, Any]) -> str | Msg:
    """The gateway's words on the refusal (our note when they were nested too deep)."""
    if q.get("json_depth"):
        return msg("body.json_too_deep", depth=q["json_depth"])
    return short_keep_tail(q["error_message"], 160)


def _served(model: CheckResult | None) -> bool:
    """The model step's test completion got an answer (so the key can still spend)."""
    return model is not None and model.code in ("model.ok", "model.not_listed")


async def check_balance(ctx: Context) -> CheckResult:
    """Remaining balance, and the final word on quota errors seen anywhere."""
    done = Results("balance")
    findings: list[Finding] = list(await asyncio.gather(*families(ctx)))
    # The completion runs concurrently; its quota errors count here.
    model = await ctx.result_of("model")
    if (
        model is not None
        and model.evidence.get("quota_error")
        and not any(q["step"] == "model" for q in ctx.quota)
    ):
        q = dict(model.evidence["quota_error"])
        ctx.quota.append(q)
    exchanges = [e for f in findings for e in f.exchanges]
    known = [f for f in findings if f.remaining is not None or f.unlimited]
    ev = done.evidence
    if known:
        f = known[0]
        ev.update(
            {
                "family": f.family,
                "remaining": f.remaining,
                "unit": f.unit,
                "limit": f.limit,
                "used": f.used,
                "unlimited": f.unlimited,
            }
        )
        if f.family.startswith("new-api"):
            ev["unit_note"] = text("check.balance.unit_note")
        if f.family == "litellm":
            ev.update(budget_scope=f.scope, budget_reset_at=f.reset_at)
    left = amount(known[0]) if known else None
    quota_ex = next((f.quota_error for f in findings if f.quota_error), None)
    if quota_ex is not None:
        ctx.add_quota("balance", quota_ex, info_of(quota_ex))
    if ctx.quota:
        q = ctx.quota[0]
        ev["quota_errors"] = ctx.quota
        refused = {
            "step": msg(f"step.{q['step']}"),
            "status": q["http_status"],
            "said": _refusal_said(q),
        }
        detail = (
            msg("check.balance.refused_left", amount=left, **refused)
            if left
            else msg("check.balance.refused", **refused)
        )
        f0 = known[0] if known else None
        if f0 is not None and (f0.unlimited or (f0.remaining or 0) > 0):
            # Both plainly: the refusal and the figure that says money is left.
            ev["disagree"] = True
            which = "which_litellm" if f0.family == "litellm" else "which_quota"
            detail = msg(
                "check.balance.disagree",
                amount=left,
                family=f0.family,
                which=msg(f"check.balance.{which}"),
                **refused,
            )
        # The refusal itself is the evidence (often another step's 429), not the 200s.
        refusal = [e for e in exchanges if e.id == q.get("exchange")]
        if not refusal and q.get("exchange"):
            refusal = [e for e in ctx.log.all() if e.id == q["exchange"]]
        ordered = [e for e in exchanges if e not in refusal] + refusal
        r = done(Status.FAIL, "insufficient", detail, exchanges=ordered)
        r.http_status, r.error_text = q["http_status"], q["error_message"]
        r.request_ids = list(q.get("request_ids") or [])
        r.charged = False
        return r
    if known:
        f = known[0]
        if not f.unlimited and f.remaining is not None and f.remaining <= 0:
            if _served(model):
                # The figure says 0 but the gateway still serves: not a failure (yet).
                ev["completion_served"] = True
                detail = msg("check.balance.low_served", amount=left, family=f.family)
                return done(Status.WARN, "low", detail, exchanges=exchanges)
            detail = msg("check.balance.empty", amount=left, family=f.family)
            return done(Status.FAIL, "insufficient", detail, exchanges=exchanges)
        if not f.unlimited and f.remaining is not None and f.remaining < LOW_BALANCE:
            ev["warn_below"] = f"{LOW_BALANCE:g} {f.unit}"
            detail = msg(
                "check.balance.low", amount=left, family=f.family, line=LOW_BALANCE, unit=f.unit
            )
            return done(Status.WARN, "low", detail, exchanges=exchanges)
        detail = msg("check.balance.ok", amount=left, family=f.family)
        return done(Status.PASS, "ok", detail, exchanges=exchanges)
    timed_out = [e for e in exchanges if e.error and is_timeout(e)]
    # A 404 from another family's endpoint ("not here") does not make a hang an answer.
    if timed_out and all(e in timed_out or e.status in (404, 405) for e in exchanges):
        # Says nothing about the balance itself, and chat does not need these endpoints:
        # not a warning, the amount is simply unknown.
        detail = msg("check.balance.timeout", seconds=ctx.timeout)
        return done(Status.SKIP, "timeout", detail, exchanges=exchanges)
    ev["tried"] = [e.url for e in exchanges]
    return done(Status.SKIP, "unknown", msg("check.balance.unknown"), exchanges=exchanges)
