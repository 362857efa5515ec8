"""Transport failures (no HTTP answer, or one cut short) as catalogue messages.

An :class:`~tui.core.net.exchange.Exchange` is plain data that is recorded and
exported, so it keeps its failure as a kind (``error_kind``), an English line
(``error``, for scripts and exports) and the message's id and facts in JSON
form (``error_message``). The user's language is chosen at the edge:
:func:`error_msg` turns the stored facts back into a :class:`Msg` that a detail,
a summary or the chat renders. The OS's or library's own exception text stays
a quoted fact (``[Errno 111] Connection refused``), never translated.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from tui.core.i18n.catalogue import MAX_NESTING, Msg, has, msg, render
from tui.core.net.exchange import Exchange

if TYPE_CHECKING:
    import httpx

#: The most of an exception's own text kept as the quoted fact.
MAX_QUOTED = 300
#: Runtime internals that say nothing to a user ("Cancelled via cancel scope 7f77…").
_INTERNAL = re.compile(r"cancel scope|deadline exceeded")
#: OS and resolver words that mean a DNS failure; words that mean a TLS failure.
_DNS_WORDS = re.compile(
    r"name or service not known|nodename nor servname|getaddrinfo|"
    r"temporary failure in name resolution|no address associated|name resolution"
)
_TLS_WORDS = re.compile(r"certificate|ssl|tls|handshake|wrong version number")


def quoted(text: str | None) -> Msg | str:
    """The other side's own words as a parenthesised fact ('' when there are none)."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    if len(text) > MAX_QUOTED:
        text = text[: MAX_QUOTED - 1] + "…"
    return msg("transport.quoted", text=text)


def set_error(ex: Exchange, kind: str, message: Msg) -> None:
    """Record a failure on ``ex``: its kind, the English line and the message's facts."""
    ex.error_kind = kind
    ex.error = render(message, "en")
    ex.error_message = message.to_json()


def error_msg(ex: Exchange) -> Msg:
    """The failure of ``ex`` as a message, in any language (``transport.none`` without one).

    An exchange recorded without facts (an old export, a kind set elsewhere) says
    its English line as the other side's words rather than nothing.
    """
    data = ex.error_message
    if isinstance(data, Mapping) and isinstance(data.get("id"), str) and has(str(data["id"])):
        return cast(Msg, thaw(data))
    if ex.error:
        return msg("transport.unexplained", text=ex.error)
    return msg("transport.none")


def thaw(value: Any, depth: int = 0) -> Any:
    """A message's JSON form (:meth:`Msg.to_json`) back to :class:`Msg` (nested messages and
    lists included; below ``MAX_NESTING`` levels, "…": a record read back is data)."""
    if isinstance(value, Mapping | list) and depth >= MAX_NESTING:
        return "…"
    if isinstance(value, Mapping) and isinstance(value.get("id"), str) and "params" in value:
        params = value.get("params")
        params = params if isinstance(params, Mapping) else {}
        return Msg(str(value["id"]), {str(k): thaw(v, depth + 1) for k, v in params.items()})
    if isinstance(value, list):
        return [thaw(v, depth + 1) for v in value]
    return value


def transport_error(exc: BaseException, timeouts: httpx.Timeout | None = None) -> tuple[str, Msg]:
    """Map an httpx/OS exception to ``(kind, message)``.

    ``timeouts`` (the client's) lets a timeout say how long was waited; the
    exception's own text for a timeout is an asyncio/anyio internal.
    """
    import httpx  # here: set_error and the rest stay light (no HTTP stack)

    from tui.core.net.http import CaBundleError  # http imports this module

    text = chain_text(exc)
    low = text.lower()
    said = quoted(text)
    if isinstance(exc, httpx.TimeoutException):
        return _timeout(exc, timeouts, text)
    if isinstance(exc, httpx.ProxyError) or "proxy" in type(exc).__name__.lower():
        if "407" in low:
            return "proxy_auth", msg("transport.proxy_auth", said=said)
        return "proxy", msg("transport.proxy", said=said)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "bad_url", msg("transport.unsupported_url", said=said)
    if isinstance(exc, httpx.InvalidURL | httpx.LocalProtocolError) and "url" in low:
        return "bad_url", msg("transport.bad_url", said=said)
    if "socks" in low and ("install" in low or "socksio" in low):
        return "proxy_socks", msg("transport.proxy_socks", said=said)
    if isinstance(exc, CaBundleError):
        return "tls", exc.message
    if isinstance(exc, UnicodeEncodeError):
        return "bad_header", msg("transport.bad_header", said=said)
    if _TLS_WORDS.search(low):
        return "tls", msg("transport.tls", said=said)
    if _DNS_WORDS.search(low):
        return "dns", msg("transport.dns", said=said)
    if "connection refused" in low or "errno 111" in low:  # not-ui-text: OS words matched
        return "connect_refused", msg("transport.connect_refused", said=said)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return "protocol", msg("transport.protocol", said=said)
    if isinstance(exc, httpx.ConnectError):
        return "connect", msg("transport.connect", said=said)
    if isinstance(exc, httpx.DecodingError):
        return "decoding", msg("transport.decoding", said=said)
    return "other", msg("transport.other", name=type(exc).__name__, said=said)


def _timeout(exc: BaseException, timeouts: httpx.Timeout | None, text: str) -> tuple[str, Msg]:
    """A timeout in words: what did not happen, within how long (no internals)."""
    import httpx

    said = quoted(text) if text and text != type(exc).__name__ else ""
    if isinstance(exc, httpx.ConnectTimeout):
        limit = timeouts.connect if timeouts else None
        kind, phase = "connect_timeout", "connect"
    elif isinstance(exc, httpx.ReadTimeout):
        limit = timeouts.read if timeouts else None
        kind, phase = "read_timeout", "read"
    elif isinstance(exc, httpx.WriteTimeout):
        limit = timeouts.write if timeouts else None
        kind, phase = "timeout", "write"
    else:
        return "timeout", msg("transport.timeout", said=said)
    if limit:
        return kind, msg(f"transport.{phase}_timeout", limit=limit, said=said)
    return kind, msg(f"transport.{phase}_timeout_unbounded", said=said)


def chain_text(exc: BaseException) -> str:
    """The texts of an exception and its causes, ``a <- b``, without runtime internals."""
    parts: list[str] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        text = str(cur).strip()
        internal = isinstance(cur, asyncio.CancelledError) or bool(_INTERNAL.search(text.lower()))
        if text and text not in parts and not internal:
            parts.append(text)
        cur = cur.__cause__ or cur.__context__
    return " <- ".join(parts) or type(exc).__name__


def error_quote(ex: Exchange) -> str | None:
    """The other side's own words in the failure of ``ex`` (the OS's, the TLS library's),
    or None when our message is all there is (a timeout); an exchange recorded without a
    message gives its English line."""
    data = ex.error_message
    if not isinstance(data, Mapping):
        return ex.error
    said = data.get("params", {}).get("said") if isinstance(data.get("params"), Mapping) else None
    if isinstance(said, Mapping) and isinstance(said.get("params"), Mapping):
        text = said["params"].get("text")
        return str(text) if text else None
    return None
