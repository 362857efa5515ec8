"""The gateway's models with owner, context length and price where it publishes them.

``GET <base>/models`` (OpenAI shape) gives the ids; three optional sources fill in
what it leaves out: OpenRouter-style fields in the same list (``pricing``,
``context_length``), new-api's ``/api/pricing`` (ratios: 1 = 2 USD per million
tokens, times the group's ratio; ``quota_type`` 1 is a price per request) and
LiteLLM's ``/model/info`` (cost per token, max input tokens; asked under the base
URL, then at the origin's ``/model/info`` and ``/v1/model/info``). Each extra
source is bounded in time, parsed with the bounded JSON reader and ignored when its
body is not what it should be: a hostile answer never raises and never costs more
than its timeout.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tui.core.diagnosis.model import Target
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange
from tui.core.net.http import GatewayClient, parse_json
from tui.core.net.models_list import cut_list, cut_list_msg
from tui.core.net.transport_error import error_msg
from tui.core.safe.masking import mask

__all__ = [
    "Catalog",
    "ModelInfo",
    "fetch_catalog",
    "fetch_catalog_result",
    "model_id",
    "model_info_urls",
    "pricing_root",
]

#: More models than this in one list are not read (a list of millions is an attack).
MAX_MODELS = 5000
#: Longest model id kept; a longer one is not a model name.
MAX_ID = 200
#: Seconds an optional source may take at most.
EXTRA_TIMEOUT = 10.0
#: new-api's ratio 1 is 0.002 USD per 1K tokens, i.e. 2 USD per million.
NEW_API_USD_PER_RATIO = 2.0
#: A price above this (USD per million tokens) is not a price, it is noise.
MAX_PRICE = 1_000_000.0
#: Group ratios read from /api/pricing at most, and group names named in a note.
MAX_GROUPS = 200
NAMED_GROUPS = 10
#: new-api's group every user starts in.
DEFAULT_GROUP = "default"


@dataclass(slots=True)
class ModelInfo:
    """One model as the gateway describes it; ``None`` where it says nothing."""

    id: str
    owner: str | None = None
    context_length: int | None = None
    price_in_per_mtok: float | None = None
    price_out_per_mtok: float | None = None
    currency: str | None = None
    #: Where the price/context came from: "models", "openrouter", "new-api", "litellm".
    source: str = "models"
    #: new-api's per-request price (quota_type 1), group ratio applied.
    price_per_request: float | None = None
    #: The new-api group whose ratio the price includes (None: no ratio applied).
    price_group: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Catalog:
    """The models, or why there is no list (a message, or the gateway's own words, masked)."""

    models: dict[str, ModelInfo] = field(default_factory=dict)
    error: Msg | str | None = None
    status: int | None = None
    #: Which optional sources answered with something usable.
    sources: list[str] = field(default_factory=list)
    #: Which group's prices are shown and whether it is the key's (None: no group ratios).
    price_note: Msg | None = None
    #: Entries of the list left out, by reason (see SKIP_REASONS); said, never silent.
    skipped: dict[str, int] = field(default_factory=dict)


#: Why an entry of ``/models`` is left out: no id (not a string, empty or blank), an id
#: longer than MAX_ID, the same id again, or past the first MAX_MODELS entries.
SKIP_REASONS = ("no_id", "too_long", "duplicate", "over_limit")


def _text(value: Any, limit: int = MAX_ID) -> str | None:
    if isinstance(value, str) and value.strip() and len(value) <= limit:
        return value.strip()
    return None


def model_id(value: Any) -> str | None:
    """A model id exactly as listed (a leading space or CR is part of the name the gateway
    routes by: the probe must send it so), or None when it is no name or over MAX_ID."""
    if isinstance(value, str) and value.strip() and len(value) <= MAX_ID:
        return value
    return None


def _skip_reason(item: Any) -> str:
    """Why ``_from_list_item`` gave nothing for ``item``."""
    name = item.get("id") if isinstance(item, dict) else item
    if isinstance(name, str) and len(name) > MAX_ID:
        return "too_long"
    return "no_id"


def _lookup(models: dict[str, ModelInfo], value: Any) -> ModelInfo | None:
    """The listed model a price source names: exactly, else with blanks trimmed."""
    name = model_id(value)
    if name is None:
        return None
    return models.get(name) or models.get(name.strip())


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 < value < 10**9:
        return value
    if isinstance(value, float) and math.isfinite(value) and 0 < value < 1e9:
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value) or None
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and len(value) < 40:
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value) and value >= 0:
        return float(value)
    return None


def _per_mtok(per_token: Any) -> float | None:
    """A per-token price (OpenRouter, LiteLLM) as USD per million tokens, rounded."""
    v = _float(per_token)
    if v is None or v * 1e6 > MAX_PRICE:
        return None
    return round(v * 1e6, 6)


def _items(body: Any, key: str = "data") -> list[Any]:
    if isinstance(body, dict) and isinstance(body.get(key), list):
        items = body[key]
    elif isinstance(body, list):
        items = body
    else:
        return []
    return items[:MAX_MODELS] if isinstance(items, list) else []


def _from_list_item(item: Any) -> ModelInfo | None:
    """An entry of ``/models``: OpenAI's fields, plus OpenRouter's and vLLM's extras."""
    if isinstance(item, str):
        name = model_id(item)
        return ModelInfo(name) if name else None
    if not isinstance(item, dict):
        return None
    name = model_id(item.get("id"))
    if name is None:
        return None
    info = ModelInfo(name, owner=_text(item.get("owned_by")))
    top = item.get("top_provider")
    for key in ("context_length", "context_window", "max_context_length", "max_model_len"):
        info.context_length = _int(item.get(key))
        if info.context_length:
            break
    if info.context_length is None and isinstance(top, dict):
        info.context_length = _int(top.get("context_length"))
    pricing = item.get("pricing")
    if isinstance(pricing, dict):
        info.price_in_per_mtok = _per_mtok(pricing.get("prompt"))
        info.price_out_per_mtok = _per_mtok(pricing.get("completion"))
        if info.price_in_per_mtok is not None or info.price_out_per_mtok is not None:
            info.currency, info.source = "USD", "openrouter"
    return info


def pricing_root(base_url: str) -> str:
    """The site root beside the API root: ``https://h/v1`` → ``https://h`` (new-api's
    ``/api/pricing`` lives there); a base URL without ``/v1`` is its own root."""
    base = base_url.rstrip("/")
    for tail in ("/api/v1", "/v1"):
        if base.endswith(tail):
            return base[: -len(tail)]
    return base


async def _none() -> None:
    return None


async def _get(client: GatewayClient, url: str, step: str, *, auth: bool) -> Any:
    """A bounded GET of an optional source: its JSON, or None whatever went wrong."""
    limit = min(max(client.target.timeout, 1.0), EXTRA_TIMEOUT)
    try:
        ex = await client.request("GET", url, step=step, total_timeout=limit, auth=auth)
    except (OSError, ValueError):
        return None
    if ex.error or ex.status != 200:
        return None
    return parse_json(ex)


def _group_ratios(body: dict[str, Any]) -> dict[str, float]:
    raw = body.get("group_ratio")
    out: dict[str, float] = {}
    if isinstance(raw, dict):
        for name, value in list(raw.items())[:MAX_GROUPS]:
            ratio = _float(value)
            if _text(name, 64) and ratio is not None and ratio <= 1000:
                out[name.strip()] = ratio
    return out


def _pick_group(
    ratios: dict[str, float], group: str | None
) -> tuple[str | None, float, Msg | None]:
    """The group whose ratio the prices include, its ratio, and the note that says so.

    An API key does not tell new-api's public price list whose it is: without
    ``group`` the default group's prices are shown, and the note says so."""
    if not ratios:
        return None, 1.0, None
    named = sorted(ratios)[:NAMED_GROUPS]
    if group and group in ratios:
        note = msg("models.price_group.known", group=group, ratio=f"{ratios[group]:g}")
        return group, ratios[group], note
    if DEFAULT_GROUP in ratios:
        ratio = ratios[DEFAULT_GROUP]
        if group:
            note = msg("models.price_group.missing", group=group, groups=named, ratio=f"{ratio:g}")
        else:
            note = msg("models.price_group.default", ratio=f"{ratio:g}")
        return DEFAULT_GROUP, ratio, note
    return None, 1.0, msg("models.price_group.none", groups=named)


def _merge_new_api(
    models: dict[str, ModelInfo], body: Any, group: str | None = None
) -> tuple[bool, Msg | None]:
    """new-api ``/api/pricing``: ``{"data": [{"model_name", "quota_type", "model_ratio",
    "model_price", "completion_ratio", "owner_by", "enable_groups"}], "group_ratio":
    {group: ratio}, "usable_group": {…}}``. A price is ratio × group ratio: per million
    tokens (quota_type 0) or per request (quota_type 1, ``model_price`` in USD)."""
    if not isinstance(body, dict) or body.get("success") is False:
        return False, None
    chosen, gratio, note = _pick_group(_group_ratios(body), group)
    used = False
    for row in _items(body):
        if not isinstance(row, dict):
            continue
        info = _lookup(models, row.get("model_name"))
        if info is None or info.price_in_per_mtok is not None:
            continue
        if row.get("quota_type") == 1:
            price = _float(row.get("model_price"))
            if price is None or price * gratio > MAX_PRICE:
                continue
            info.price_per_request = round(price * gratio, 6)
        elif row.get("quota_type") in (0, None):
            ratio = _float(row.get("model_ratio"))
            if ratio is None or ratio * gratio * NEW_API_USD_PER_RATIO > MAX_PRICE:
                continue
            completion = _float(row.get("completion_ratio"))
            completion = 1.0 if completion is None else completion
            info.price_in_per_mtok = round(ratio * gratio * NEW_API_USD_PER_RATIO, 6)
            out = ratio * gratio * completion * NEW_API_USD_PER_RATIO
            info.price_out_per_mtok = round(out, 6) if out <= MAX_PRICE else None
        else:
            continue
        info.currency, info.source, info.price_group = "USD", "new-api", chosen
        info.owner = info.owner or _text(row.get("owner_by"))
        used = True
    return used, note if used else None


def _merge_litellm(models: dict[str, ModelInfo], body: Any) -> bool:
    """LiteLLM ``/model/info``: ``{"data": [{"model_name", "model_info": {…cost_per_token,
    max_input_tokens}}]}``."""
    used = False
    for row in _items(body):
        if not isinstance(row, dict):
            continue
        info = _lookup(models, row.get("model_name"))
        extra = row.get("model_info")
        if info is None or not isinstance(extra, dict):
            continue
        if info.context_length is None:
            info.context_length = _int(extra.get("max_input_tokens")) or _int(
                extra.get("max_tokens")
            )
            used = used or info.context_length is not None
        if info.price_in_per_mtok is None:
            info.price_in_per_mtok = _per_mtok(extra.get("input_cost_per_token"))
            info.price_out_per_mtok = _per_mtok(extra.get("output_cost_per_token"))
            if info.price_in_per_mtok is not None:
                info.currency, info.source = "USD", "litellm"
                used = True
        info.owner = info.owner or _text(extra.get("litellm_provider"))
    return used


def _list_error(ex: Exchange) -> Msg | str:
    data = parse_json(ex)
    detail = ""
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        detail = str(data["error"].get("message") or "")[:200]
    elif ex.response_body:
        detail = ex.response_body[:200].decode("utf-8", "replace")
    return mask(f"HTTP {ex.status} {ex.reason}: {detail}".strip())


def model_info_urls(base_url: str) -> list[str]:
    """Where LiteLLM's proxy may answer ``/model/info``: under the base URL first, then
    the origin's ``/model/info`` and ``/v1/model/info`` (its two routes). Only URLs on
    the base URL's own origin: the key goes nowhere else."""
    base = base_url.rstrip("/")
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    urls = [base + "/model/info", origin + "/model/info", origin + "/v1/model/info"]
    return [u for i, u in enumerate(urls) if u not in urls[:i] and u.startswith(origin + "/")]


async def _model_info(client: GatewayClient, base_url: str) -> Any:
    """LiteLLM's ``/model/info``: the base URL's first; when that has none, the other
    two at once (each bounded, so at most two timeouts in all)."""
    first, *others = model_info_urls(base_url)
    body = await _get(client, first, "pricing", auth=True)
    if _items(body) or not others:
        return body
    got = await asyncio.gather(*(_get(client, u, "pricing", auth=True) for u in others))
    return next((b for b in got if _items(b)), None)


async def fetch_catalog_result(
    client: GatewayClient, target: Target, *, group: str | None = None
) -> Catalog:
    """The catalogue with why it is empty; never raises for network/HTTP trouble.

    ``group``: the key's new-api group, when the user knows it (prices include its
    ratio); without it the default group's prices are shown and ``price_note`` says so."""
    if not target.base_url.strip():
        return Catalog(error=msg("models_list.no_base_url"))
    limit = min(max(target.timeout, 1.0) * 2, 30.0)
    try:
        ex = await client.request(
            "GET", target.endpoint("models"), step="models", total_timeout=limit
        )
    except (OSError, ValueError) as exc:
        return Catalog(error=mask(f"{type(exc).__name__}: {exc}"))
    if ex.error:
        return Catalog(error=error_msg(ex))
    if ex.status != 200:
        return Catalog(error=_list_error(ex), status=ex.status)
    body = parse_json(ex)
    if body is None or not (isinstance(body, list) or isinstance(body, dict) and "data" in body):
        cut = cut_list(ex)
        return Catalog(
            error=cut_list_msg(cut) if cut else msg("models_list.not_a_list"), status=ex.status
        )
    models: dict[str, ModelInfo] = {}
    skipped: dict[str, int] = {}
    for item in _items(body):
        info = _from_list_item(item)
        why = _skip_reason(item) if info is None else "duplicate" if info.id in models else ""
        if why:
            skipped[why] = skipped.get(why, 0) + 1
        elif info is not None:
            models[info.id] = info
    raw = body.get("data") if isinstance(body, dict) else body
    if isinstance(raw, list) and len(raw) > MAX_MODELS:
        skipped["over_limit"] = len(raw) - MAX_MODELS
    cat = Catalog(models=dict(sorted(models.items())), status=ex.status, skipped=skipped)
    if any(m.source == "openrouter" for m in models.values()):
        cat.sources.append("openrouter")
    # The optional sources at once: each is bounded, and a gateway has one of them at most.
    want_pricing = any(m.price_in_per_mtok is None for m in models.values())
    want_info = any(
        m.price_in_per_mtok is None or m.context_length is None for m in models.values()
    )
    pricing_url = pricing_root(target.base_url) + "/api/pricing"
    got: tuple[Any, Any] = await asyncio.gather(
        _get(client, pricing_url, "pricing", auth=False) if want_pricing else _none(),
        _model_info(client, target.base_url) if want_info else _none(),
    )
    pricing, info = got
    used, cat.price_note = _merge_new_api(cat.models, pricing, group)
    if used:
        cat.sources.append("new-api")
    if _merge_litellm(cat.models, info):
        cat.sources.append("litellm")
    return cat


async def fetch_catalog(client: GatewayClient, target: Target) -> dict[str, ModelInfo]:
    """Model id → :class:`ModelInfo`, sorted by id; empty when there is no list.

    Never raises for network/HTTP trouble or a hostile body (see the module doc).
    """
    return (await fetch_catalog_result(client, target)).models
