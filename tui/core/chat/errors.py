"""Classify a failed chat exchange with the checklist's diagnosis codes.

The chat pane must speak the same language as the checklist: a reply that
fails with "该令牌已过期" is ``auth.key_expired`` whether the checklist or the
chat found it, so the same remediation text applies. HTTP error bodies and
stream error events go through the engine's classifier
(``tui.core.diagnosis.checks.classify``) and its kinds are mapped to codes here.
Transport failures and mid-stream breaks are chat-specific and handled here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from tui.core.diagnosis.checks.classify import classify
from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.exchange import Exchange
from tui.core.net.origin import origin_text, same_origin
from tui.core.net.transport_error import error_msg

__all__ = [
    "ChatError",
    "not_json",
    "ours",
    "classify_chat_exchange",
    "classify_error_event",
    "redirect_message",
    "redirect_msg",
    "transport_code",
]


@dataclass(slots=True)
class ChatError:
    """Why a chat reply failed: a diagnosis code plus the gateway's own words.

    ``message`` is the gateway's text as it came (or, when the words are ours,
    their English line, for logs and scripts); ``said`` holds our own words as a
    catalogue message, rendered in the user's language by :meth:`text`.
    """

    code: str
    message: str
    http_status: int | None = None
    exchange_id: str | None = None
    retry_after: str | None = None
    #: Where the request went (``gateway``, ``proxy``): commands in the advice name them
    #: (``tui.core.diagnosis.remedy_fill``), not an example address.
    facts: dict[str, str] = field(default_factory=dict)
    #: Our own words (a transport failure, a redirect not followed …), when they are ours.
    said: Msg | None = None

    def text(self, lang: str = "en") -> str:
        """What went wrong, in ``lang`` (the gateway's own words stay as they came)."""
        return render(self.said, lang) if self.said is not None else self.message


def ours(
    code: str, said: Msg, status: int | None = None, exchange_id: str | None = None
) -> ChatError:
    """A :class:`ChatError` in our own words (``said``), its English line as ``message``."""
    return ChatError(code, render(said, "en"), status, exchange_id, said=said)


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
    "too_large": "model.bad_response",  # a compression bomb (body_decode)
}

#: Through a proxy, these transport failures happen on the way to the proxy itself.
_PROXY_FIRST_HOP = {"connect_refused", "connect", "connect_timeout"}

#: The engine's error kinds (``tui.core.diagnosis.checks.classify``) as chat diagnosis codes.
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

_REDIRECTS = {301, 302, 303, 307, 308}
#: Of a 2xx event stream that starts as one, only this much is classified: it is not
#: one JSON document (its events are the stream parser's), and reading all of a long
#: reply's body as one (decode, JSON pre-check, strip) held the UI loop 30-100 ms as it
#: ended. A body that does not start with an SSE field is read whole: an error object
#: or a page behind padding is still found.
SSE_HEAD = 64 * 1024
_SSE_FIELDS = (b"data:", b"event:", b"id:", b"retry:", b":")


def transport_code(kind: str | None, *, got_content: bool = False) -> str:
    """The code for a transport failure; mid-stream failures are stream problems."""
    if got_content and kind in {"read_timeout", "timeout", "total_timeout"}:
        return "stream.stalled"
    if got_content and kind in {"protocol", "other"}:
        return "stream.interrupted"
    return _TRANSPORT_CODES.get(kind or "", "model.gateway_error")


def classify_chat_exchange(ex: Exchange, *, got_content: bool = False) -> ChatError | None:
    """A :class:`ChatError` for a failed exchange, or ``None`` when it succeeded.

    ``got_content`` says whether reply text already arrived; a broken
    connection after that is a stream problem, not a model problem.
    """
    err = _classify(ex, got_content)
    if err is not None:
        err.facts = {"gateway": origin_text(ex.url)}
        if ex.proxy:
            err.facts["proxy"] = ex.proxy
    return err


def _classify(ex: Exchange, got_content: bool) -> ChatError | None:
    if ex.error_kind == "cancelled":
        return None
    if ex.error:
        # A 200 event stream that breaks is a stream problem whether or not text came first.
        mid_stream = got_content or _stream_started(ex)
        code = transport_code(ex.error_kind, got_content=mid_stream)
        if ex.proxy and ex.error_kind in _PROXY_FIRST_HOP:
            code = "proxy.unreachable"  # the connection that failed was the one to the proxy
        return ours(code, transport_said(ex), ex.status, ex.id)
    if ex.status is None:
        return ours("model.gateway_error", msg("core.chat.no_response"), None, ex.id)
    body = ex.response_body
    if 200 <= ex.status < 300 and "event-stream" in ex.content_type:
        head = body[:SSE_HEAD]
        if head.lstrip()[:6].startswith(_SSE_FIELDS):
            body = head
    info = classify(ex.status, body, ex.content_type, dict(ex.response_headers))
    if 200 <= ex.status < 300:
        if info.html and info.message:
            return ChatError("auth.not_openai_compatible", info.message, ex.status, ex.id)
        if info.html:
            return ours("auth.not_openai_compatible", msg("core.chat.html_page"), ex.status, ex.id)
        if info.kind == "ok":
            return None
        # 2xx with an error object is still a failure (some gateways do that).
        code = _KIND_TO_CODE.get(info.kind, "model.server_error")
        return ChatError(code, info.message, ex.status, ex.id)
    said = None
    if ex.status in _REDIRECTS:
        code = "network.redirect"
        said = redirect_msg(ex)
    elif info.kind in _KIND_TO_CODE:
        code = _KIND_TO_CODE[info.kind]
    else:  # 1xx / other 3xx: not an API answer at all
        code = "auth.not_openai_compatible" if info.html else "model.bad_response"
    return ChatError(
        code=code,
        message=render(said, "en")
        if said
        else info.message or f"HTTP {ex.status} {ex.reason}".strip(),
        http_status=ex.status,
        exchange_id=ex.id,
        retry_after=ex.header("retry-after"),
        said=said,
    )


def not_json(too_deep: int = 0) -> Msg:
    """An answer that is not JSON, or JSON nested too deep to be read (``too_deep`` levels)."""
    if too_deep:
        return msg("core.chat.too_deep", depth=too_deep)
    return msg("core.chat.not_json")


def transport_said(ex: Exchange) -> Msg:
    """The transport failure of ``ex`` in our words (the OS's own text quoted in them)."""
    return error_msg(ex)


def _stream_started(ex: Exchange) -> bool:
    """A 2xx event stream had begun (headers in) when the connection failed."""
    ok = ex.status is not None and 200 <= ex.status < 300
    return ok and (ex.streamed or "event-stream" in ex.content_type)


def redirect_msg(ex: Exchange) -> Msg:
    """Where a redirected chat request was sent, and why it was not followed.

    Chat never follows a redirect: the key would go wherever the gateway
    points, and most clients lose the POST body on the way anyway.
    """
    location = ex.header("location")
    if not location:
        return msg("core.chat.redirect_no_location", url=ex.url)
    to = urljoin(ex.url, location)
    if same_origin(to, ex.url):
        return msg("core.chat.redirect_same", url=ex.url, to=to)
    return msg("core.chat.redirect_other", url=ex.url, to=to)


def redirect_message(ex: Exchange) -> str:
    """:func:`redirect_msg` in English."""
    return render(redirect_msg(ex), "en")


def classify_error_event(data: dict[str, Any], exchange_id: str | None = None) -> ChatError:
    """An ``{"error": ...}`` object that arrived inside an SSE stream."""
    info = classify(None, data)
    if info.kind == "quota":
        return ChatError("balance.insufficient", info.message, None, exchange_id)
    if not info.message:
        return ours("stream.error_event", msg("core.chat.error_event"), None, exchange_id)
    return ChatError("stream.error_event", info.message, None, exchange_id)
