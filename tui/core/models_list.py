"""The gateway's model list (``GET /models``), for pickers like the first-run wizard.

Thin on purpose: the UI calls :func:`fetch_models` from a worker and shows
either the ids or one plain sentence. The exchange is recorded in the log
like every other request, so the inspector can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.core.exchange import ExchangeLog
from tui.core.http import GatewayClient, parse_json
from tui.core.masking import mask
from tui.core.model import Target

__all__ = ["ModelList", "fetch_models", "model_ids"]


@dataclass(slots=True)
class ModelList:
    models: list[str] = field(default_factory=list)
    error: str | None = None
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


async def fetch_models(target: Target, log: ExchangeLog | None = None) -> ModelList:
    """Model ids from ``<base_url>/models`` (sorted); never raises for network/HTTP trouble."""
    log = log if log is not None else ExchangeLog()
    if not target.base_url.strip():
        return ModelList(error="no base URL / 未填写基础地址")
    limit = min(max(target.timeout, 1.0) * 2, 30.0)
    try:
        async with GatewayClient(target, log) as client:
            ex = await client.request(
                "GET", target.endpoint("models"), step="models", total_timeout=limit
            )
    except (OSError, ValueError) as exc:  # e.g. an unreadable CA bundle
        return ModelList(error=mask(f"{type(exc).__name__}: {exc}"))
    if ex.error:
        return ModelList(error=mask(ex.error))
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
    if ids is None:
        return ModelList(error="the answer is not an OpenAI model list", status=ex.status)
    return ModelList(models=sorted(set(ids)), status=ex.status)
