"""The gateway's model list (``GET /models``), for pickers like the first-run wizard.

Thin on purpose: the UI calls :func:`fetch_models` from a worker and shows
either the ids or why there are none (a message, or the gateway's own words). The exchange is recorded in the log
like every other request, so the inspector can show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tui.core.diagnosis.model import Target
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import MAX_STORED_BODY, Exchange, ExchangeLog
from tui.core.net.http import GatewayClient, parse_json
from tui.core.net.transport_error import error_msg
from tui.core.safe.masking import mask

__all__ = ["ModelList", "cut_list", "cut_list_msg", "fetch_models", "model_ids"]

#: How an OpenAI model list starts: ``{"object": "list", "data": [{…`` or a bare ``[…``.
_LIST_START = re.compile(rb'\s*(?:\{[^\[]{0,512}?"data"\s*:\s*)?\[\s*[{"\]]')


@dataclass(slots=True)
class ModelList:
    models: list[str] = field(default_factory=list)
    #: Why there is no list: a message, or the gateway's/transport's own text (masked).
    error: Msg | str | None = None
    status: int | None = None


def model_ids(body: Any) -> list[str] | None:
    """The ids of an OpenAI model list, or None when ``body`` is not one."""
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        items = body["data"]
    elif isinstance(body, list):
        items = body
    else:
        return None
    ids = []
    for m in items:
        if isinstance(m, dict) and m.get("id"):
            ids.append(str(m["id"]))
        elif isinstance(m, str):
            ids.append(m)
    return ids


def cut_list(ex: Exchange) -> dict[str, int] | None:
    """Facts of a 2xx model list cut at MAX_STORED_BODY (bigger than we keep), else None.

    Such a list cannot be parsed, yet it is no web page: say it is too big.
    """
    if not ex.body_truncated or not 200 <= (ex.status or 0) < 300:
        return None
    if not _LIST_START.match(ex.response_body[:4096]):
        return None
    return {
        "kept_mb": MAX_STORED_BODY // (1024 * 1024),
        "body_mb": max(1, round(ex.body_size / 1e6)),
        "ids_in_kept": ex.response_body.count(b'"id"'),
    }


def cut_list_msg(cut: dict[str, int]) -> Msg:
    """Why a cut list was not read: its size, and how many models its kept part holds."""
    return msg(
        "models_list.cut",
        kept_mb=cut["kept_mb"],
        body_mb=cut["body_mb"],
        ids=cut["ids_in_kept"],
    )


async def fetch_models(target: Target, log: ExchangeLog | None = None) -> ModelList:
    """Model ids from ``<base_url>/models`` (sorted); never raises for network/HTTP trouble."""
    log = log if log is not None else ExchangeLog()
    if not target.base_url.strip():
        return ModelList(error=msg("models_list.no_base_url"))
    limit = min(max(target.timeout, 1.0) * 2, 30.0)
    try:
        async with GatewayClient(target, log) as client:
            ex = await client.request(
                "GET", target.endpoint("models"), step="models", total_timeout=limit
            )
    except (OSError, ValueError) as exc:  # e.g. an unreadable CA bundle
        return ModelList(error=mask(f"{type(exc).__name__}: {exc}"))
    if ex.error:
        return ModelList(error=error_msg(ex))  # masked with the exchange, in the reader's language
    data = parse_json(ex)
    if ex.status != 200:
        detail = ""
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            detail = str(data["error"].get("message") or "")
        elif ex.response_body:
            detail = ex.response_body[:200].decode("utf-8", "replace")
        return ModelList(
            error=mask(f"HTTP {ex.status} {ex.reason}: {detail}".strip()), status=ex.status
        )
    ids = model_ids(data)
    cut = cut_list(ex)
    if ids is None and cut is not None:
        return ModelList(error=cut_list_msg(cut), status=ex.status)
    if ids is None:
        return ModelList(error=msg("models_list.not_a_list"), status=ex.status)
    return ModelList(models=sorted(set(ids)), status=ex.status)
