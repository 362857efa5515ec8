"""Classify a gateway's error response: status + error ``code``/``type`` + message.

Gateways disagree on shapes and wording, so the status alone is not enough:
new-api answers an exhausted token with 401 (which is a *balance* problem,
not a bad key), OpenRouter answers no credits with 402, one-api/new-api speak
Chinese. Shapes understood:

* OpenAI: ``{"error": {"message", "type", "code"}}``
* one-api / new-api: same shape, ``type`` ``new_api_error``/``one_api_error``,
  English or Chinese messages (无效的令牌, 该令牌已过期, 该令牌状态不可用,
  额度已用尽, IP 不在…列表中, 无可用渠道 …)
* OpenRouter: ``{"error": {"message", "code": 402}}``
* LiteLLM: ``{"error": {"message", "type", "param", "code": "401"}}``, budget errors
* plain ``{"message": ...}`` / ``{"detail": ...}`` / ``{"msg": ...}`` and HTML pages
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

#: Kinds a response can be classified as (each step maps them to its own codes).
KINDS = (
    "ok",
    "invalid_key",
    "key_expired",
    "key_disabled",
    "ip_not_allowed",
    "forbidden",
    "quota",
    "rate_limited",
    "model_not_found",
    "not_permitted",
    "unavailable",
    "not_found",
    "bad_request",
    "server_error",
    "gateway_error",
    "unknown",
)


@dataclass(slots=True)
class ErrorInfo:
    """What an error response means, with the facts that prove it."""

    kind: str
    status: int | None = None
    message: str = ""
    code: str | None = None
    type: str | None = None
    html: bool = False
    retry_after: str | None = None

    def evidence(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "http_status": self.status}
        if self.message:
            out["error_message"] = self.message
        if self.code:
            out["error_code"] = self.code
        if self.type:
            out["error_type"] = self.type
        if self.retry_after:
            out["retry_after"] = self.retry_after
        if self.html:
            out["html"] = True
        return out


_QUOTA = re.compile(
    r"insufficient[_ ]quota|exceeded your current quota|quota (?:is )?(?:exhausted|exceeded|"
    r"not enough|insufficient)|tokenstatusexhausted|额度已用尽|额度不足|余额不足|用户额度|欠费|"
    r"预扣费额度失败|insufficient (?:credits|balance|funds)|not enough (?:credits|balance|quota)|"
    r"budget (?:has been )?exceeded|exceededbudget|max budget|credit balance is too low|"
    r"out of credits|billing hard limit|payment required",
    re.I,
)
_EXPIRED = re.compile(
    r"已过期|tokenstatusexpired|(?:key|token|令牌).{0,30}expired|expired.{0,20}(?:key|token)", re.I
)
_DISABLED = re.compile(
    r"状态不可用|已被禁用|已禁用|已被封禁|tokenstatusdisabled|(?:key|token|user|account).{0,30}"
    r"(?:disabled|banned|blocked|suspended|revoked)|(?:disabled|banned|blocked|suspended|revoked)"
    r".{0,20}(?:key|token|user|account)",
    re.I,
)
_IP = re.compile(
    r"\bip\b.{0,60}(?:不在|not (?:in|allowed|permitted|whitelisted)|allow ?list|whitelist|白名单)|"
    r"(?:不在|not in).{0,30}(?:允许|allow).{0,20}ip",
    re.I,
)
_NOT_PERMITTED = re.compile(
    r"not allowed to (?:use|access) (?:the )?model|无权(?:访问|使用)|(?:key|team|user) not allowed to "
    r"access model|model access (?:denied|forbidden)|not (?:authorized|permitted) to use (?:this )?model|"
    r"does not have access to model|该令牌无权",
    re.I,
)
_MODEL_NOT_FOUND = re.compile(
    r"model_not_found|model.{0,60}does not exist|model not found|模型不存在|no such model|"
    r"invalid model|is not a valid model|unknown model|model .{0,40} not (?:found|supported)|"
    r"不支持(?:该|此)?模型",
    re.I,
)
_UNAVAILABLE = re.compile(
    r"no available channel|无可用渠道|no candidates|渠道.{0,10}不可用|no endpoints found|"
    r"model_not_available|model.{0,40}(?:currently )?unavailable|overloaded|负载已饱和",
    re.I,
)
_INVALID_KEY = re.compile(
    r"invalid_api_key|incorrect api key|invalid (?:api[ _]?)?key|invalid (?:proxy server )?token|"
    r"无效的令牌|令牌无效|未提供令牌|missing (?:api )?key|no api key|no auth credentials|"
    r"authentication|unauthori[sz]ed|api key not (?:valid|found)|user not found",
    re.I,
)
_RATE = re.compile(
    r"rate[ _]?limit|too many requests|请求过于频繁|速率限制|频率限制|requests per minute|\b(?:tpm|rpm)\b",
    re.I,
)
#: Statuses a proxy or CDN in front of the gateway answers with (Cloudflare 52x included).
GATEWAY_STATUSES = {502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527, 530}


def _str(v: Any) -> str | None:
    if v is None or v == "":
        return None
    return str(v)


def extract_error(body: Any) -> tuple[str, str | None, str | None]:
    """``(message, code, type)`` from any of the known JSON error shapes."""
    if isinstance(body, list) and body:
        body = body[0]
    if not isinstance(body, dict):
        return "", None, None
    err = body.get("error")
    if isinstance(err, dict):
        msg = err.get("message") or err.get("msg") or err.get("detail") or ""
        meta = err.get("metadata")
        if isinstance(meta, dict) and meta.get("raw"):
            msg = f"{msg} ({meta.get('raw')})" if msg else str(meta.get("raw"))
        return str(msg), _str(err.get("code")), _str(err.get("type"))
    if isinstance(err, str):
        return err, _str(body.get("code")), _str(body.get("type"))
    for key in ("message", "detail", "msg", "error_msg"):
        val = body.get(key)
        if isinstance(val, str) and val:
            return val, _str(body.get("code")), _str(body.get("type"))
        if isinstance(val, dict | list) and val:
            return json.dumps(val, ensure_ascii=False)[:500], _str(body.get("code")), None
    return "", None, None


def is_html(content_type: str, text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return "html" in content_type or head.startswith(("<!doctype html", "<html"))


def html_title(text: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if m:
        return " ".join(m.group(1).split())[:200]
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.I | re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(1)).split())[:200] if m else ""


def classify(
    status: int | None,
    body: bytes | str | Any = b"",
    content_type: str = "",
    headers: dict[str, str] | None = None,
) -> ErrorInfo:
    """Classify a response. 2xx without an ``error`` object is ``ok``."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if isinstance(body, bytes):
        text = body.decode("utf-8", "replace")
    elif isinstance(body, str):
        text = body
    else:
        text = json.dumps(body, ensure_ascii=False)
    parsed: Any = body if not isinstance(body, bytes | str) else None
    if parsed is None:
        try:
            parsed = json.loads(text) if text.strip() else None
        except ValueError:
            parsed = None
    message, code, etype = extract_error(parsed)
    html = parsed is None and is_html(content_type.lower(), text)
    if not message:
        message = html_title(text) if html else text.strip()[:300]
    info = ErrorInfo(
        kind="unknown",
        status=status,
        message=message,
        code=code,
        type=etype,
        html=html,
        retry_after=headers.get("retry-after"),
    )
    has_error_obj = isinstance(parsed, dict) and "error" in parsed and parsed["error"]
    if status is not None and 200 <= status < 300 and not has_error_obj:
        info.kind = "ok"
        return info
    info.kind = _kind(status, message, code, etype, html, headers)
    return info


def _kind(
    status: int | None,
    message: str,
    code: str | None,
    etype: str | None,
    html: bool,
    headers: dict[str, str],
) -> str:
    hay = " ".join(x for x in (message, code or "", etype or "") if x)
    if status in GATEWAY_STATUSES and (html or "cloudflare" in headers.get("server", "").lower()):
        return "gateway_error"
    if _QUOTA.search(hay) or status == 402:
        return "quota"
    if _EXPIRED.search(hay):
        return "key_expired"
    if _IP.search(hay):
        return "ip_not_allowed"
    if _DISABLED.search(hay):
        return "key_disabled"
    if _NOT_PERMITTED.search(hay):
        return "not_permitted"
    if _MODEL_NOT_FOUND.search(hay):
        return "model_not_found"
    if _UNAVAILABLE.search(hay):
        return "unavailable"
    if status == 429 or _RATE.search(hay):
        return "rate_limited"
    if status == 401 or (status in (400, 403) and _INVALID_KEY.search(hay)):
        return "invalid_key"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "not_found"
    if status in GATEWAY_STATUSES and status != 503:
        return "gateway_error"
    if status == 503:
        return "unavailable"
    if status is not None and status >= 500:
        return "server_error"
    if status is not None and 400 <= status < 500:
        return "bad_request"
    return "unknown"
