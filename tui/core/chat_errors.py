"""Classify a failed chat exchange with the checklist's diagnosis codes.

The chat pane must speak the same language as the checklist: a reply that
fails with "该令牌已过期" is ``auth.key_expired`` whether the checklist or the
chat found it, so the same remediation text applies. HTTP error bodies go
through the engine's classifier (``tui.core.checks.classify``) and its kinds
are mapped to codes here; the small regex fallback below is used only if that
module is missing. Transport failures, mid-stream breaks and error events are
chat-specific and handled here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from tui.core.exchange import Exchange

__all__ = ["ChatError", "classify_chat_exchange", "error_fields", "transport_code"]


@dataclass(slots=True)
class ChatError:
    """Why a chat reply failed: a diagnosis code plus the gateway's own words."""

    code: str
    message: str
    http_status: int | None = None
    exchange_id: str | None = None
    retry_after: str | None = None


_QUOTA = re.compile(
    r"insufficient[_ ]quota|exceeded your current quota|quota is exhausted|quota exceeded|"
    r"tokenstatusexhausted|insufficient (credits|balance|funds)|credit balance|"
    r"余额不足|额度已用尽|额度不足|用户额度|令牌额度|欠费|payment required",
    re.I,
)
_EXPIRED = re.compile(r"已过期|expired", re.I)
_DISABLED = re.compile(r"状态不可用|已被禁用|已禁用|disabled|deactivated|suspended", re.I)
_IP = re.compile(r"\bIP\b.*(不在|not allowed|whitelist|allow ?list|not in)|IP 不在", re.I)
_MODEL_MISSING = re.compile(
    r"model_not_found|does not exist|no such model|unknown model|invalid model|模型.*不存在|不支持.*模型",
    re.I,
)
_MODEL_DENIED = re.compile(
    r"not (allowed|permitted) to (use|access) (the )?model|无权.*模型|模型.*无权|没有权限", re.I
)
_NO_CHANNEL = re.compile(r"no available channel|无可用渠道|channel.*unavailable|渠道", re.I)
_HTML = re.compile(r"^\s*(<!doctype html|<html)", re.I)

_TRANSPORT_CODES = {
    "dns": "network.dns_failed",
    "connect_refused": "network.connect_refused",
    "connect": "network.connect_refused",
    "connect_timeout": "network.connect_timeout",
    "tls": "network.tls_failed",
    "proxy": "proxy.unreachable",
    "proxy_auth": "proxy.auth_required",
    "proxy_socks": "proxy.unreachable",
    "bad_url": "config.invalid_base_url",
    "read_timeout": "model.timeout",
    "timeout": "model.timeout",
    "total_timeout": "model.timeout",
    "protocol": "model.gateway_error",
    "decoding": "model.bad_response",
}


def transport_code(kind: str | None, *, got_content: bool = False) -> str:
    """The code for a transport failure; mid-stream failures are stream problems."""
    if got_content and kind in {"read_timeout", "timeout", "total_timeout"}:
        return "stream.stalled"
    if got_content and kind in {"protocol", "other"}:
        return "stream.interrupted"
    return _TRANSPORT_CODES.get(kind or "", "model.gateway_error")


def error_fields(body: bytes | str) -> tuple[str, str, str]:
    """``(message, type, code)`` from OpenAI / one-api / new-api / OpenRouter error bodies."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except ValueError:
        return _html_title(text) or text.strip()[:300], "", ""
    if not isinstance(data, dict):
        return text.strip()[:300], "", ""
    err = data.get("error", data)
    if isinstance(err, str):
        return err, "", ""
    if not isinstance(err, dict):
        return text.strip()[:300], "", ""
    message = str(err.get("message") or data.get("message") or data.get("msg") or "")
    return message, str(err.get("type") or ""), str(err.get("code") or "")


def _html_title(text: str) -> str | None:
    if not _HTML.search(text[:200]):
        return None
    m = re.search(r"<title>(.*?)</title>", text, re.I | re.S)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.I | re.S)
    parts = [
        " ".join(re.sub(r"<[^>]+>", " ", p.group(1)).split()) for p in (m, h1) if p is not None
    ]
    parts = [p for p in parts if p]
    return " — ".join(dict.fromkeys(parts)) or "HTML page instead of an API answer"


def _code_for_http(status: int, message: str, etype: str, ecode: str, html: bool) -> str:
    blob = f"{message} {etype} {ecode}"
    if status == 402 or _QUOTA.search(blob):
        return "balance.insufficient"
    if status == 401:
        if _EXPIRED.search(blob):
            return "auth.key_expired"
        if _DISABLED.search(blob):
            return "auth.key_disabled"
        return "auth.invalid_key"
    if status == 403:
        if _IP.search(blob):
            return "auth.ip_not_allowed"
        if _MODEL_DENIED.search(blob):
            return "model.not_permitted"
        return "auth.forbidden"
    if status == 404:
        if html or not (message or ecode):
            return "auth.wrong_endpoint"
        return "model.not_found"
    if status == 429:
        return "model.rate_limited"
    if _NO_CHANNEL.search(blob) and status in {400, 500, 503}:
        return "model.unavailable"
    if _MODEL_MISSING.search(blob):
        return "model.not_found"
    if status in {301, 302, 303, 307, 308}:
        return "network.redirect"
    if status == 500:
        return "model.server_error"
    if status >= 500:
        return "model.gateway_error"
    if html:
        return "auth.not_openai_compatible"
    return "model.bad_response"


#: The engine's error kinds (``tui.core.checks.classify``) as chat diagnosis codes.
_KIND_TO_CODE = {
    "invalid_key": "auth.invalid_key",
    "key_expired": "auth.key_expired",
    "key_disabled": "auth.key_disabled",
    "ip_not_allowed": "auth.ip_not_allowed",
    "forbidden": "auth.forbidden",
    "quota": "balance.insufficient",
    "rate_limited": "model.rate_limited",
    "model_not_found": "model.not_found",
    "not_permitted": "model.not_permitted",
    "unavailable": "model.unavailable",
    "not_found": "auth.wrong_endpoint",
    "bad_request": "model.bad_response",
    "server_error": "model.server_error",
    "gateway_error": "model.gateway_error",
}


def _engine_code(ex: Exchange) -> str | None:
    """The checklist's own classifier, so chat and checks agree; None if unavailable."""
    try:
        from tui.core.checks.classify import classify
    except ImportError:  # pragma: no cover - the engine ships with the package
        return None
    info = classify(ex.status, ex.response_body, ex.content_type, dict(ex.response_headers))
    return _KIND_TO_CODE.get(info.kind)


def classify_chat_exchange(ex: Exchange, *, got_content: bool = False) -> ChatError | None:
    """A :class:`ChatError` for a failed exchange, or ``None`` when it succeeded.

    ``got_content`` says whether reply text already arrived; a broken
    connection after that is a stream problem, not a model problem.
    """
    if ex.error_kind == "cancelled":
        return None
    if ex.error:
        return ChatError(
            code=transport_code(ex.error_kind, got_content=got_content),
            message=ex.error,
            http_status=ex.status,
            exchange_id=ex.id,
        )
    if ex.status is None:
        return ChatError("model.gateway_error", "no response", None, ex.id)
    html = "html" in ex.content_type or bool(_HTML.search(ex.text()[:200]))
    message, etype, ecode = error_fields(ex.response_body)
    if 200 <= ex.status < 300:
        if html:
            return ChatError(
                "auth.not_openai_compatible",
                message or "HTML page instead of an API answer",
                ex.status,
                ex.id,
            )
        # 2xx with an error object is still a failure (some gateways do that).
        if ex.content_type == "application/json" and _has_error_object(ex.response_body):
            code = _code_for_http(500, message, etype, ecode, False)
            return ChatError(code, message, ex.status, ex.id)
        return None
    if ex.status in {301, 302, 303, 307, 308}:
        code = "network.redirect"
        message = f"redirect to {ex.header('location') or '?'}"
    else:
        code = _engine_code(ex) or _code_for_http(ex.status, message, etype, ecode, html)
    return ChatError(
        code=code,
        message=message or f"HTTP {ex.status} {ex.reason}".strip(),
        http_status=ex.status,
        exchange_id=ex.id,
        retry_after=ex.header("retry-after"),
    )


def classify_error_event(data: dict, exchange_id: str | None = None) -> ChatError:
    """An ``{"error": ...}`` object that arrived inside an SSE stream."""
    message, etype, ecode = error_fields(json.dumps(data, ensure_ascii=False))
    if _QUOTA.search(f"{message} {etype} {ecode}"):
        return ChatError("balance.insufficient", message, None, exchange_id)
    return ChatError(
        "stream.error_event", message or "error event in the stream", None, exchange_id
    )


def _has_error_object(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and bool(data.get("error")) and "choices" not in data
