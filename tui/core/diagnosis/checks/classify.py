"""Classify a gateway's error response: status + error ``code``/``type`` + message.

Gateways disagree on shapes and wording, so the status alone is not enough:
new-api answers an exhausted token with 401 (which is a *balance* problem,
not a bad key), OpenRouter answers no credits with 402, one-api/new-api speak
Chinese. The words decide before the status code (a LiteLLM budget is a 429), and the
message before the ``code`` field (new-api answers "no channel for this model in
your group" with code ``model_not_found``). An error page an intermediary wrote
itself (nginx, Cloudflare, Envoy … see ``intermediaries``) is ``gateway_error``
with that product's advice id. Shapes understood:

* OpenAI: ``{"error": {"message", "type", "code"}}``
* one-api / new-api: same shape, ``type`` ``new_api_error``/``one_api_error``,
  English or Chinese messages (无效的令牌, 该令牌已过期, 该令牌状态不可用,
  额度已用尽, IP 不在…列表中, 无可用渠道 …)
* OpenRouter: ``{"error": {"message", "code": 402}}``
* LiteLLM: ``{"error": {"message", "type", "param", "code": "401"}}``; its budgets answer
  429 ("Budget has been exceeded! …" type ``budget_exceeded``, "ExceededBudget: …",
  "No deployments available - crossed budget: …"): money ran out, not a rate
* plain ``{"message": ...}`` / ``{"detail": ...}`` / ``{"msg": ...}`` and HTML pages
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tui.core.diagnosis.checks import intermediaries
from tui.core.safe import json_parse as safe_json

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
    #: The intermediary that wrote this error page itself (``intermediaries.Seen.evidence``).
    intermediary: dict[str, Any] | None = None
    #: Its advice id (``nginx.504``), for ``remediation.remedy_for``.
    advice: str | None = None
    #: The body was JSON nested this deep, so not read (``message`` is then our note).
    too_deep: int = 0

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
        if self.intermediary:
            out["intermediary"] = self.intermediary
        if self.advice:
            out["advice"] = self.advice
        if self.too_deep:
            out["json_depth"] = self.too_deep
        return out


_QUOTA = re.compile(
    r"insufficient[_ ]quota|exceeded your current quota|quota (?:is )?(?:exhausted|exceeded|"
    r"not enough|insufficient)|tokenstatusexhausted|额度已用尽|额度不足|余额不足|用户额度|欠费|"
    r"预扣费额度失败|insufficient (?:credits|balance|funds)|not enough (?:credits|balance|quota)|"
    r"budget (?:has been )?exceeded|exceededbudget|budget_exceeded|max budget|crossed budget|"
    r"exceeded budget|over budget|credit balance is too low|credit limit is insufficient|"
    r"insufficient_user_quota|pre_consume_token_quota_failed|pre-?consumed? quota failed|"
    r"key limit exceeded|spending limit|out of credits|billing hard limit|payment required",
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
    return str(v)[:200]  # a code or type is a word; a hostile one is cut, not carried


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


#: How much of an error message is kept and read by the word rules. Gateways say
#: what went wrong in a sentence; a hostile 7 MB "message" took 5 s of regex
#: searches (linear, but over everything) and was carried into every report.
MESSAGE_CHARS = 4000

#: How an HTML page begins.
_HTML_STARTS = ("<!doctype html", "<html")  # not-ui-text: HTML sniffing


def is_html(content_type: str, text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return "html" in content_type or head.startswith(_HTML_STARTS)


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
    too_deep = 0
    if parsed is None and text.strip():
        got = safe_json.parse(text)
        parsed, too_deep = got.value, got.too_deep
    message, code, etype = extract_error(parsed)
    if len(message) > MESSAGE_CHARS:
        message = message[:MESSAGE_CHARS] + "…"
    html = parsed is None and is_html(content_type.lower(), text)
    if too_deep:  # the brackets themselves say nothing; how deep they go does
        message = safe_json.nested_note(too_deep)
    elif not message:
        message = html_title(text) if html else text.strip()[:300]
    info = ErrorInfo(
        kind="unknown",
        status=status,
        message=message,
        code=code,
        type=etype,
        html=html,
        retry_after=headers.get("retry-after"),
        too_deep=too_deep,
    )
    has_error_obj = isinstance(parsed, dict) and "error" in parsed and parsed["error"]
    if status is not None and 200 <= status < 300 and not has_error_obj:
        info.kind = "ok"
        return info
    seen = intermediaries.wrote_error(status, headers, text)
    info.kind = _kind(status, message, code, etype, html, headers, seen is not None)
    if seen is not None and info.kind == "gateway_error":
        info.intermediary, info.advice = seen.evidence(), seen.advice
    return info


#: Word rules in order: the first that matches the message (else the code/type) wins.
_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_QUOTA, "quota"),
    (_EXPIRED, "key_expired"),
    (_IP, "ip_not_allowed"),
    (_DISABLED, "key_disabled"),
    (_NOT_PERMITTED, "not_permitted"),
    (_MODEL_NOT_FOUND, "model_not_found"),
    (_UNAVAILABLE, "unavailable"),
    (_RATE, "rate_limited"),
)


def _by_words(text: str) -> str | None:
    return next((kind for rx, kind in _WORDS if text and rx.search(text)), None)


def _kind(
    status: int | None,
    message: str,
    code: str | None,
    etype: str | None,
    html: bool,
    headers: dict[str, str],
    intermediary_wrote: bool = False,
) -> str:
    if status in GATEWAY_STATUSES and (
        html or intermediary_wrote or "cloudflare" in headers.get("server", "").lower()
    ):
        return "gateway_error"
    if status == 402:
        return "quota"
    # The message says more than a code field new-api reuses for several causes.
    kind = _by_words(message) or _by_words(" ".join(x for x in (code, etype) if x))
    if kind is not None:
        return kind
    hay = " ".join(x for x in (message, code or "", etype or "") if x)
    if status == 429:
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
