"""auth: is the key accepted at this base URL, and is it an OpenAI-compatible API?

``GET {base}/models`` with the key, classified by status *and* message (see
:mod:`classify`). A 404 is not yet a wrong URL — some gateways have no
``/models`` — so a minimal completion is tried at the same base first. When
the path really is wrong (``/v1`` missing or doubled, an endpoint pasted in),
the likely variants are probed and the one that answers is named.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit, urlunsplit

from tui.core.diagnosis.checks.base import Context, Results, http_said, info_of, said
from tui.core.diagnosis.checks.config import strip_endpoint
from tui.core.diagnosis.model import CheckResult, Status
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange
from tui.core.net.http import parse_json
from tui.core.net.models_list import cut_list, cut_list_msg, model_ids
from tui.core.safe import json_parse as safe_json

KEY_KINDS = {"invalid_key", "key_expired", "key_disabled", "ip_not_allowed", "forbidden"}
#: Errors that prove an OpenAI-style API answered at this base (the key got through).
API_ALIVE_KINDS = {"model_not_found", "not_permitted", "unavailable", "rate_limited", "bad_request"}


def base_variants(base: str) -> list[str]:
    """Likely correct base URLs near a wrong one, most likely first."""
    stripped, _suffix = strip_endpoint(base.rstrip("/"))
    parts = urlsplit(stripped)
    path = parts.path.rstrip("/")

    def at(p: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, p, "", ""))

    prefix = path
    for tail in ("/api/v1", "/v1"):
        if prefix.endswith(tail):
            prefix = prefix[: -len(tail)]
            break
    out = [stripped, at(prefix + "/v1"), at(prefix + "/api/v1"), at(prefix)]
    seen: list[str] = []
    for u in out:
        if u.rstrip("/") != base.rstrip("/") and u not in seen:
            seen.append(u)
    return seen


def _api_answers(ex: Exchange) -> bool:
    if ex.error or ex.status is None:
        return False
    body = parse_json(ex)
    if 200 <= ex.status < 300:
        return model_ids(body) is not None
    return ex.status in (401, 403) and isinstance(body, dict) and "error" in body


async def probe_variants(ctx: Context, base: str) -> tuple[str | None, list[Exchange]]:
    """The first variant base URL whose ``/models`` answers like an OpenAI API."""
    cands = base_variants(base)
    exs = await asyncio.gather(
        *(ctx.request("GET", c.rstrip("/") + "/models", step="auth") for c in cands)
    )
    for cand, ex in zip(cands, exs, strict=True):
        if _api_answers(ex):
            return cand, list(exs)
    return None, list(exs)


async def check_auth(ctx: Context) -> CheckResult:
    """Classify the answer to ``GET /models`` with the key."""
    done = Results("auth")
    ex = await ctx.request("GET", ctx.url("models"), step="auth")
    ev = done.evidence
    ev["url"] = ex.url
    if ex.error:
        return done.transport_failure(ex)
    cut = cut_list(ex)
    if cut is not None:  # too big to keep whole: the key works, the list is not read
        ev["model_list_cut"] = cut
        detail = msg("check.auth.list_cut", cut=cut_list_msg(cut))
        return done(Status.PASS, "ok", detail, facts=ex)
    info = info_of(ex)
    body = parse_json(ex)
    if info.kind == "ok":
        ids = model_ids(body)
        if ids is not None:
            ctx.models = ids
            ev["model_count"] = len(ids)
            ev["models"] = ids[:500]
            detail = msg("check.auth.models_listed", count=len(ids))
            return done(Status.PASS, "ok", detail, facts=ex, info=info)
        return await _not_an_api(ctx, ex, done)
    if info.kind == "quota":
        ctx.add_quota("auth", ex, info)
        detail = _quota_used(ex.status)
        return done(Status.PASS, "ok", detail, facts=ex, info=info)
    if info.kind in KEY_KINDS or info.kind == "rate_limited":
        return done(Status.FAIL, info.kind, http_said(info, ex.status), facts=ex, info=info)
    if info.kind == "gateway_error" or (info.html and (ex.status or 0) >= 500):
        detail = msg("check.auth.intermediary", status=ex.status, said=said(info))
        return done(Status.FAIL, "gateway_error", detail, facts=ex, info=info)
    if info.kind in ("server_error", "unavailable"):
        detail = http_said(info, ex.status)
        return done(Status.FAIL, "server_error", detail, facts=ex, info=info)
    if ex.status in (404, 405) or info.kind in ("not_found", "model_not_found"):
        return await _no_models(ctx, ex, done)
    return await _not_an_api(ctx, ex, done)


async def _no_models(ctx: Context, models_ex: Exchange, done: Results) -> CheckResult:
    """``/models`` is 404: a minimal completion decides between "no /models" and a wrong path."""
    chat = await ctx.ping("auth", {"max_tokens": 1})
    ci = info_of(chat)
    ev = done.evidence
    ev["models_status"] = models_ex.status
    ev["chat_status"] = chat.status
    body = parse_json(chat)
    chat_ok = ci.kind == "ok" and isinstance(body, dict) and isinstance(body.get("choices"), list)
    if not chat.error and (chat_ok or (ci.kind in API_ALIVE_KINDS and not ci.html)):
        ctx.models_endpoint = False
        return done(
            Status.PASS,
            "ok",
            msg("check.auth.chat_only", models_status=models_ex.status, chat_status=chat.status),
            exchanges=[models_ex, chat],
            charged=True if chat_ok and body.get("usage") else None,
        )
    if not chat.error and ci.kind == "quota":
        ctx.models_endpoint = False
        ctx.add_quota("auth", chat, ci)
        detail = _quota_used(chat.status)
        return done(Status.PASS, "ok", detail, exchanges=[models_ex, chat], info=ci)
    if not chat.error and ci.kind in KEY_KINDS:
        detail = http_said(ci, chat.status)
        return done(Status.FAIL, ci.kind, detail, exchanges=[models_ex], facts=chat, info=ci)
    return await _wrong_path(ctx, models_ex, done, extra=[chat])


async def _wrong_path(
    ctx: Context, ex: Exchange, done: Results, extra: list[Exchange] | None = None
) -> CheckResult:
    works, probes = await probe_variants(ctx, ctx.base_url)
    done.evidence["tried"] = [p.url for p in probes]
    exchanges = [ex, *(extra or []), *probes]
    if works:
        done.evidence["working_base_url"] = works
        detail = msg(
            "check.auth.api_elsewhere",
            url=ex.url,
            status=ex.status,
            said=said(info_of(ex), 60),
            works=works,
        )
    else:
        detail = msg("check.auth.no_api", base=ctx.base_url, status=ex.status)
    return done(Status.FAIL, "wrong_endpoint", detail, exchanges=exchanges, facts=ex)


async def _not_an_api(ctx: Context, ex: Exchange, done: Results) -> CheckResult:
    """A 2xx that is no model list (typically a web front-end's HTML page)."""
    works, probes = await probe_variants(ctx, ctx.base_url)
    ev = done.evidence
    ev["content_type"] = ex.content_type
    ev["tried"] = [p.url for p in probes]
    exchanges = [ex, *probes]
    if works:
        ev["working_base_url"] = works
        page = ex.content_type or msg("check.auth.what.non_json")
        detail = msg("check.auth.page_elsewhere", url=ex.url, what=page, works=works)
        return done(Status.FAIL, "wrong_endpoint", detail, exchanges=exchanges, facts=ex)
    what: str | Msg = ex.content_type or msg("check.auth.what.no_json")
    if "html" in ex.content_type:
        what = msg("check.auth.what.html")
    if (got := safe_json.parse(ex.response_body)).too_deep:
        what = msg("body.json_nested", depth=got.too_deep)
        ev["json_depth"] = got.too_deep
    if ex.body_truncated:
        what = msg("check.auth.what.big_body", mb=ex.body_size / 1e6)
        ev["body_size"] = ex.body_size
    return done(
        Status.FAIL,
        "not_openai_compatible",
        msg("check.auth.not_openai", url=ex.url, status=ex.status, what=what),
        exchanges=exchanges,
        facts=ex,
    )


def _quota_used(status: int | None) -> Msg:
    """The key works, its money does not: the balance step has the last word."""
    return msg("check.auth.quota_used", status=status, step=msg("step.balance"))
