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
    info_of,
    retry_hint,
    short,
    short_keep_tail,
    skipped,
)
from tui.core.diagnosis.model import CheckResult, Status
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


def _nearest(ctx: Context, ev: dict[str, Any]) -> str:
    """What the model list offers instead: the closest names, or why there are none."""
    if ev.get("closest"):
        return f"closest listed: {', '.join(ev['closest'])}"
    if ctx.models:
        some = ", ".join(ctx.models[:5]) + (", …" if len(ctx.models) > 5 else "")
        return f"no listed name is close; the {len(ctx.models)} listed include {some}"
    return "the gateway gave no model list to compare with"


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
            what = "an HTML page" if info.html else f"{ex.content_type or 'no content type'}"
            return done(
                Status.FAIL,
                "bad_response",
                f"HTTP {ex.status} but no completion in the answer ({what}): "
                f"{short(info.message, 120)}",
                facts=ex,
            )
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else None
        msg = choices[0].get("message") if isinstance(choices[0], dict) else None
        content = msg.get("content") if isinstance(msg, dict) else None
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
        tokens = f", {usage.get('total_tokens')} tokens" if usage else ""
        if listed is False or not ctx.models_endpoint:
            why = (
                "the gateway has no /models list"
                if not ctx.models_endpoint
                else "it is not in the /models list"
            )
            near = f" (closest listed: {', '.join(ev['closest'])})" if ev.get("closest") else ""
            detail = (
                f"{model} answers in {ex.duration_ms:.0f} ms, but {why}{near}: clients that "
                "fill their model list from /models (Chatbox, Cherry Studio) will not offer it; "
                "type the name by hand"
            )
            return done(Status.WARN, "not_listed", detail, facts=ex, charged=charged or None)
        detail = f"{model} answers in {ex.duration_ms:.0f} ms{tokens}"
        return done(Status.PASS, "ok", detail, facts=ex, charged=charged or None)
    if info.kind == "quota":
        ctx.add_quota("model", ex, info)
        ev["quota_error"] = ctx.quota[-1]
        ev["blocked_by"] = ["balance.insufficient"]
        r = skipped(
            "model",
            f"the model request was refused for money (HTTP {ex.status} "
            f"{short_keep_tail(info.message, 120)}): see balance",
            evidence=ev,
        )
        r.exchanges, r.http_status, r.error_text = [ex.id], ex.status, info.message
        r.request_ids, r.duration_ms, r.charged = ex.request_ids(), done.timer.ms, False
        return r
    code = _KIND_TO_CODE.get(info.kind)
    if code is None:
        code = "gateway_error" if info.html else "bad_response"
    said = f"HTTP {ex.status}: {short(info.message)}{retry_hint(info)}"
    if code == "not_found" and listed:
        # A code field (new-api's model_not_found) never outweighs the model list itself.
        code, ev["listed_but_refused"] = "unavailable", True
        detail = (
            f"{model} is in the /models list, yet the completion was refused ({said}): the "
            "gateway lists it but cannot serve it to this key (no channel for it in the key's "
            "group, or a list out of date)"
        )
    elif code == "not_found":
        detail = f"{model} does not exist here ({said}); {_nearest(ctx, ev)}"
    elif code == "gateway_error" and info.intermediary is not None:
        seen = intermediaries.wrote_error(ex.status, ex.response_headers, ex.response_body)
        detail = intermediaries.gateway_detail(ex.status, seen, info.message) if seen else said
    else:
        detail = said
    return done(
        Status.FAIL,
        code,
        detail,
        facts=ex,
        info=info,
        charged=False if ex.status and 400 <= ex.status < 500 else None,
    )
