"""model: is the model listed, and does a minimal non-streamed completion work?

The completion is the cheapest proof that key, group, channel and model line
up. Its failures are classified (not found — never for a model ``/models`` lists,
whatever the code field says —, not permitted to this key/group,
no channel available, rate limited, the gateway's own 5xx vs an intermediary's
502/524 page). A quota error is handed to the balance step (one root cause).
A 2xx whose body is an ``error`` object is a failure, not a success.
"""

from __future__ import annotations

import difflib
from typing import Any

from tui.core.diagnosis.checks import intermediaries
from tui.core.diagnosis.checks.base import (
    Context,
    Results,
    http_said,
    info_of,
    said,
    short,
    skipped,
)
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.http import parse_json

#: The end of the test completion's body (also sent ahead by the engine).
PING_FIELDS = {"max_tokens": 8, "stream": False}

_KIND_TO_CODE = {
    "model_not_found": "not_found",
    "not_found": "not_found",
    "not_permitted": "not_permitted",
    "invalid_key": "not_permitted",
    "key_disabled": "not_permitted",
    "key_expired": "not_permitted",
    "ip_not_allowed": "not_permitted",
    "forbidden": "not_permitted",
    "unavailable": "unavailable",
    "rate_limited": "rate_limited",
    "server_error": "server_error",
    "gateway_error": "gateway_error",
}


def _nearest(ctx: Context, ev: dict[str, Any]) -> Msg:
    """What the model list offers instead: the closest names, or why there are none."""
    if ev.get("closest"):
        return msg("check.model.closest", names=", ".join(ev["closest"]))
    if ctx.models:
        some = ", ".join(ctx.models[:5]) + (", …" if len(ctx.models) > 5 else "")
        return msg("check.model.none_close", count=len(ctx.models), some=some)
    return msg("check.model.no_list")


#: Names compared by similarity at most (difflib is quadratic per name; a list may be huge).
CLOSEST_SCAN = 5000


def closest(name: str, names: list[str] | None, n: int = 3) -> list[str]:
    """Listed model names closest to ``name`` (case-insensitive).

    A dated or suffixed variant of the very name (``gpt-4o-mini-2024-07-18`` for
    ``gpt-4o-mini``) is the likeliest fix, so those come first, dated ones first;
    then the most similar of the first :data:`CLOSEST_SCAN` names.
    """
    if not names:
        return []
    want = name.lower().strip()
    lowered = {m.lower(): m for m in names}
    variants = sorted(
        (m for m in lowered if m != want and m.startswith(want)),
        key=lambda m: (not m[len(want) :].lstrip("-_:@.")[:1].isdigit(), len(m)),
    )[:n]
    rest = [m for m in list(lowered)[:CLOSEST_SCAN] if m not in variants]
    hits = variants + difflib.get_close_matches(want, rest, n=n, cutoff=0.4)
    return [lowered[h] for h in hits[:n]]


def working_closest(ctx: Context, name: str, n: int = 3) -> list[str]:
    """Models the last probe (``gateway-doctor models --probe``, the console's picker) found
    working for this profile, closest to ``name`` first, then the fastest; [] when none.
    Only models this run's ``/models`` lists, when it was read (issue 17 review 2)."""
    from tui.core.models.memory import working  # lazy: the models package imports checks

    try:
        ok = [m for m in working(ctx.target, ctx.models) if m != name]
    except Exception:  # noqa: BLE001 - a hint from a side file; never the check's failure
        return []
    near = closest(name, ok, n)
    return (near + [m for m in ok if m not in near])[:n]


def _probed_on(ctx: Context, models: list[str]) -> str | None:
    from tui.core.models.memory import probed_on  # lazy: the models package imports checks

    try:
        return probed_on(ctx.target, models)
    except Exception:  # noqa: BLE001 - a hint from a side file; never the check's failure
        return None


async def check_model(ctx: Context) -> CheckResult:
    """A minimal completion with the chosen model; latency, usage, charge."""
    model = ctx.target.model
    done = Results("model", {"model": model})
    ev = done.evidence
    listed: bool | None = None
    if ctx.models is not None:
        listed = model in ctx.models
        ev["listed"] = listed
        if not listed:
            ev["closest"] = closest(model, ctx.models)
    ex = await ctx.ping("model", dict(PING_FIELDS))
    if ex.error:
        return done.transport_failure(ex)
    info = info_of(ex)
    body = parse_json(ex)
    ev["latency_ms"] = round(ex.duration_ms, 1)
    if info.kind == "ok":
        choices = body.get("choices") if isinstance(body, dict) else None
        if not isinstance(choices, list) or not choices:
            what: str | Msg = ex.content_type or msg("check.model.no_content_type")
            if info.html:
                what = msg("check.model.html")
            detail = msg(
                "check.model.bad_response", status=ex.status, what=what, said=said(info, 120)
            )
            return done(Status.FAIL, "bad_response", detail, facts=ex)
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else None
        reply = choices[0].get("message") if isinstance(choices[0], dict) else None
        content = reply.get("content") if isinstance(reply, dict) else None
        ev.update(
            {
                "usage": usage,
                "reply": short(str(content or ""), 120),
                "finish_reason": choices[0].get("finish_reason")
                if isinstance(choices[0], dict)
                else None,
                "served_model": body.get("model"),
            }
        )
        charged = bool(usage and (usage.get("total_tokens") or usage.get("completion_tokens")))
        ms = ex.duration_ms
        if listed is False or not ctx.models_endpoint:
            why = msg(
                "check.model.why_no_list" if not ctx.models_endpoint else "check.model.why_unlisted"
            )
            near: str | Msg = ""
            if ev.get("closest"):
                near = msg("check.model.near", names=", ".join(ev["closest"]))
            detail = msg("check.model.not_listed", model=model, ms=ms, why=why, near=near)
            return done(Status.WARN, "not_listed", detail, facts=ex, charged=charged or None)
        tokens = usage.get("total_tokens") if usage else None
        if tokens is not None:
            detail = msg("check.model.ok_tokens", model=model, ms=ms, tokens=tokens)
        else:
            detail = msg("check.model.ok", model=model, ms=ms)
        return done(Status.PASS, "ok", detail, facts=ex, charged=charged or None)
    if info.kind == "quota":
        ctx.add_quota("model", ex, info)
        ev["quota_error"] = ctx.quota[-1]
        ev["blocked_by"] = ["balance.insufficient"]
        detail = msg(
            "check.model.quota_skip",
            status=ex.status,
            said=said(info, 120, keep_tail=True),
            step=msg("step.balance"),
        )
        r = skipped("model", detail, evidence=ev)
        r.exchanges, r.http_status, r.error_text = [ex.id], ex.status, info.message
        r.request_ids, r.duration_ms, r.charged = ex.request_ids(), done.timer.ms, False
        return r
    code = _KIND_TO_CODE.get(info.kind)
    if code is None:
        code = "gateway_error" if info.html else "bad_response"
    answer = http_said(info, ex.status)
    detail = answer
    if code == "not_found" and listed:
        # A code field (new-api's model_not_found) never outweighs the model list itself.
        code, ev["listed_but_refused"] = "unavailable", True
        detail = msg("check.model.listed_refused", model=model, said=answer)
    elif code == "not_found":
        detail = msg("check.model.not_found", model=model, said=answer, nearest=_nearest(ctx, ev))
    elif code == "gateway_error" and info.intermediary is not None:
        seen = intermediaries.wrote_error(ex.status, ex.response_headers, ex.response_body)
        if seen:
            detail = intermediaries.gateway_message(ex.status, seen, info.message)
    if code in ("not_found", "unavailable", "not_permitted"):
        working = working_closest(ctx, model)
        if working:  # its own fact, not appended to the gateway's words (tui/core/models/hint)
            ev["working_closest"] = working
            if ctx.models is None:  # no list to confirm them: the hint says when they worked
                ev["working_probed_on"] = _probed_on(ctx, working)
    return done(
        Status.FAIL,
        code,
        detail,
        facts=ex,
        info=info,
        charged=False if ex.status and 400 <= ex.status < 500 else None,
    )
