"""Hand an exchange on: copy as curl, save as HAR 1.2 or JSON — always masked.

Exchanges are masked when recorded; every function here masks again on the way
out (:func:`tui.core.safe.masking.mask` is idempotent), so an export can never leak
a key even if an exchange was built by hand. ``curl`` exports put the key back
as ``$OPENAI_API_KEY`` so the command runs as is once the variable is set; the
other secrets (cookies, proxy credentials) stay masked. Exports are whole:
only the on-screen view truncates large bodies. Files are written with
:func:`tui.core.setup.state.save_text` (masked, 0600, never overwriting).
The comments inside an exported file are English, like the recorded exchanges
they describe: the files are data for tools and for support.
"""

from __future__ import annotations

import base64
import json
import shlex
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from tui import __version__
from tui.core.net.exchange import Exchange
from tui.core.safe.masking import mask

__all__ = [
    "KEY_VAR",
    "exchange_to_dict",
    "har_entry",
    "render_har",
    "render_json",
    "to_curl",
    "to_curl_script",
    "to_har",
]

#: The environment variable curl exports read the key from.
KEY_VAR = "OPENAI_API_KEY"
_KEY = "\x00KEY\x00"  # placeholder for "$OPENAI_API_KEY" until quoting
#: Headers whose whole value is the API key (Authorization keeps its scheme).
_KEY_HEADERS = {"x-api-key", "api-key", "openai-api-key", "x-goog-api-key"}
#: Query parameters gateways accept the key in.
_KEY_PARAMS = {"key", "api_key", "api-key", "apikey"}
#: Headers curl sets itself (or that would make the re-run differ).
_CURL_SKIP = {"host", "content-length", "connection", "accept-encoding", "transfer-encoding"}


def _was_masked(value: str) -> bool:
    return "…" in value or "****" in value or value.startswith("$")


# --- curl ---------------------------------------------------------------------


def _quote(token: str) -> str:
    """Shell-quote ``token``; the key placeholder becomes ``$OPENAI_API_KEY``, expanded.

    Tokens holding the key are double-quoted (``"Authorization: Bearer $OPENAI_API_KEY"``)
    with ``\\ " $ ` `` escaped; everything else is single-quoted.
    """
    if _KEY not in token:
        return shlex.quote(token)
    if "!" in token:  # history expansion inside double quotes: concatenate instead
        pieces = token.split(_KEY)
        return f'"${KEY_VAR}"'.join(shlex.quote(p) if p else "" for p in pieces)
    escaped = token
    for ch in ("\\", '"', "$", "`"):
        escaped = escaped.replace(ch, "\\" + ch)
    return '"' + escaped.replace(_KEY, f"${KEY_VAR}") + '"'


def _ansi_c(data: bytes) -> str:
    """Bytes as a bash ``$'…'`` string (binary request bodies)."""
    out = []
    for b in data:
        c = chr(b)
        if 32 <= b < 127 and c not in "\\'":
            out.append(c)
        else:
            out.append(f"\\x{b:02x}")
    return "$'" + "".join(out) + "'"


def _curl_url(url: str) -> str:
    """The URL with a masked key query parameter replaced by the key variable."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = []
    changed = False
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name.lower() in _KEY_PARAMS and _was_masked(value):
            pairs.append(f"{quote(name)}={_KEY}")
            changed = True
        else:
            pairs.append(f"{quote(name, safe='')}={quote(value, safe='…*')}")
    if not changed:
        return url
    return urlunsplit(parts._replace(query="&".join(pairs)))


def to_curl(ex: Exchange, *, include_headers: bool = True, multiline: bool = True) -> str:
    """A ``curl`` command that repeats ``ex``; the key comes from ``$OPENAI_API_KEY``.

    ``include_headers`` adds ``-i`` so the status line and request-id headers show.
    """
    head: list[str] = ["curl", "-sS"]
    if include_headers:
        head.append("-i")
    if ex.streamed:
        head.append("-N")
    method = ex.method.upper()
    has_body = bool(ex.request_body)
    if method == "HEAD":
        head.append("-I")
    elif not (method == "GET" and not has_body) and not (method == "POST" and has_body):
        head.append(f"-X {shlex.quote(method)}")
    comment = None
    if ex.proxy:
        proxy = mask(ex.proxy)
        if _was_masked(proxy):
            comment = f"# proxy was {proxy} (credentials masked): export HTTPS_PROXY first"  # not-ui-text: export (curl/HAR)
            head.append('--proxy "$HTTPS_PROXY"')
        else:
            head.append(f"--proxy {shlex.quote(proxy)}")
    if ex.url.lower().startswith("https:"):
        if not ex.tls_verify:
            head.append("--insecure")
        elif ex.ca_bundle:
            head.append(f"--cacert {shlex.quote(ex.ca_bundle)}")
    rest: list[str] = [_quote(_curl_url(mask(ex.url)))]
    # Masked as (name, value) pairs so the header name decides (cookies, proxy auth).
    for name, value in mask([tuple(h) for h in ex.request_headers]):
        low = name.lower()
        if low in _CURL_SKIP:
            continue
        if low == "authorization":
            scheme, _, token = value.partition(" ")
            value = f"{scheme} {_KEY}" if scheme.lower() == "bearer" and token else value
        elif low in _KEY_HEADERS:
            value = _KEY
        rest.append(f"-H {_quote(f'{_title(name)}: {value}')}")
    if has_body:
        body = mask(ex.request_body)
        try:
            rest.append(f"--data-raw {shlex.quote(body.decode('utf-8'))}")
        except UnicodeDecodeError:
            rest.append(f"--data-binary {_ansi_c(body)}")
    sep = " \\\n  " if multiline else " "
    text = " ".join(head) + "".join(f"{sep}{line}" for line in rest)
    if comment:
        text = f"{comment}\n{text}"
    return mask(text)


def _title(name: str) -> str:
    """``authorization`` → ``Authorization`` (httpx records names in lower case)."""
    return "-".join(p[:1].upper() + p[1:] for p in name.split("-"))


def to_curl_script(exchanges: Iterable[Exchange]) -> str:
    """Every exchange as a curl command in one shell script, each under a comment."""
    head = f"# gateway-doctor {__version__}: set {KEY_VAR} before running"  # not-ui-text: export (curl script)
    out = ["#!/bin/sh", head, ""]
    for ex in exchanges:
        out.append(f"# {ex.id}  {ex.step}  {ex.started_at}  -> {ex.status or ex.error_kind}")
        out.append(to_curl(ex))
        out.append("")
    return mask("\n".join(out))


# --- JSON -----------------------------------------------------------------------


def _body_fields(prefix: str, data: bytes) -> dict[str, Any]:
    data = mask(data)
    try:
        return {prefix: data.decode("utf-8"), f"{prefix}_encoding": "utf-8"}
    except UnicodeDecodeError:
        return {prefix: base64.b64encode(data).decode(), f"{prefix}_encoding": "base64"}


def exchange_to_dict(ex: Exchange) -> dict[str, Any]:
    """Every recorded field of ``ex`` as plain JSON types (bodies whole, masked)."""
    d: dict[str, Any] = {
        "id": ex.id,
        "step": ex.step,
        "started_at": ex.started_at,
        "method": ex.method,
        "url": ex.url,
        "request_headers": [[k, v] for k, v in ex.request_headers],
        **_body_fields("request_body", ex.request_body),
        "status": ex.status,
        "reason": ex.reason,
        "http_version": ex.http_version,
        "response_headers": [[k, v] for k, v in ex.response_headers],
        **_body_fields("response_body", ex.response_body),
        "body_size": ex.body_size,
        "body_truncated": ex.body_truncated,
        "error": ex.error,
        "error_kind": ex.error_kind,
        "duration_ms": round(ex.duration_ms, 3),
        "timings": dict(ex.timings),
        "streamed": ex.streamed,
        "proxy": ex.proxy,
        "sse_events": [
            {
                "offset_ms": round(ev.offset_ms, 3),
                "event": ev.event,
                "id": ev.id,
                "comment": ev.comment,
                "data": ev.data,
            }
            for ev in ex.sse_events
        ],
    }
    return mask(d)


def render_json(exchanges: Exchange | Iterable[Exchange], *, now: datetime | None = None) -> str:
    """One exchange or a list as a JSON document ``{"tool", "version", "exchanges": [...]}``."""
    items = [exchanges] if isinstance(exchanges, Exchange) else list(exchanges)
    doc = {
        "tool": "gateway-doctor",
        "version": __version__,
        "exported_at": _iso(now),
        "exchanges": [exchange_to_dict(ex) for ex in items],
    }
    return mask(json.dumps(doc, indent=2, ensure_ascii=False))


def _iso(now: datetime | None) -> str:
    now = now or datetime.now(UTC)
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- HAR 1.2 ------------------------------------------------------------------------


def _nv(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def _cookies(headers: list[tuple[str, str]], name: str) -> list[dict[str, str]]:
    out = []
    for k, v in headers:
        if k.lower() != name:
            continue
        if "…" in v or "****" in v:
            continue  # masked as a whole: the names and values are gone on purpose
        parts = [v] if name == "set-cookie" else v.split(";")
        for part in parts:
            cname, eq, cval = part.split(";")[0].strip().partition("=")
            if eq and cname:
                out.append({"name": cname, "value": cval})
    return out


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def _har_timings(ex: Exchange) -> tuple[float, dict[str, float]]:
    """HAR timings (``connect`` includes ``ssl``) and ``time`` = their sum."""
    t = ex.timings
    total = float(t.get("total", ex.duration_ms) or 0.0)
    connect = t.get("connect")
    ssl = t.get("tls")
    connect_all = None
    if connect is not None or ssl is not None:
        connect_all = float(connect or 0.0) + float(ssl or 0.0)
    wait = float(t.get("ttfb", 0.0) or 0.0)
    receive = t.get("transfer")
    if receive is None and ex.status is None and "ttfb" not in t:
        # No answer at all (a timeout): the time after connecting was spent waiting.
        wait, receive = max(0.0, total - (connect_all or 0.0)), 0.0
    if receive is None:
        receive = max(0.0, total - wait - (connect_all or 0.0))
    receive = float(receive)
    blocked = max(0.0, total - wait - receive - (connect_all or 0.0))
    timings = {
        "blocked": round(blocked, 3),
        "dns": round(float(t["dns"]), 3) if "dns" in t else -1,
        "connect": round(connect_all, 3) if connect_all is not None else -1,
        "send": 0.0,
        "wait": round(wait, 3),
        "receive": round(receive, 3),
        "ssl": round(float(ssl), 3) if ssl is not None else -1,
    }
    time = sum(v for k, v in timings.items() if k != "ssl" and v != -1)
    return round(time, 3), timings


def har_entry(ex: Exchange) -> dict[str, Any]:
    """One HAR 1.2 entry; failed requests get status 0 and an ``_error`` field."""
    url = mask(ex.url)
    req_headers = [(k, v) for k, v in mask(list(ex.request_headers))]
    resp_headers = [(k, v) for k, v in mask(list(ex.response_headers))]
    version = ex.http_version or "HTTP/1.1"
    request: dict[str, Any] = {
        "method": ex.method,
        "url": url,
        "httpVersion": version,
        "cookies": _cookies(req_headers, "cookie"),
        "headers": _nv(req_headers),
        "queryString": _nv(parse_qsl(urlsplit(url).query, keep_blank_values=True)),
        "headersSize": -1,
        "bodySize": len(ex.request_body),
    }
    if ex.request_body:
        body = mask(ex.request_body)
        request["postData"] = {
            "mimeType": _header(req_headers, "content-type") or "application/octet-stream",
            "params": [],
            "text": body.decode("utf-8", "replace"),
        }
    body = mask(ex.response_body)
    content: dict[str, Any] = {
        "size": ex.body_size,
        "mimeType": _header(resp_headers, "content-type") or "x-unknown",
    }
    try:
        content["text"] = body.decode("utf-8")
    except UnicodeDecodeError:
        content["text"] = base64.b64encode(body).decode()
        content["encoding"] = "base64"
    if ex.body_truncated:
        content["comment"] = (
            f"only the first {len(body)} of {ex.body_size} bytes were recorded"  # not-ui-text: export (curl/HAR)
        )
    encoded = _header(resp_headers, "content-encoding")
    response: dict[str, Any] = {
        "status": ex.status or 0,
        "statusText": ex.reason or "",
        "httpVersion": version,
        "cookies": _cookies(resp_headers, "set-cookie"),
        "headers": _nv(resp_headers),
        "content": content,
        "redirectURL": _header(resp_headers, "location") or "",
        "headersSize": -1,
        "bodySize": -1 if (encoded and encoded != "identity") else ex.body_size,
    }
    time, timings = _har_timings(ex)
    entry: dict[str, Any] = {
        "startedDateTime": ex.started_at,
        "time": time,
        "request": request,
        "response": response,
        "cache": {},
        "timings": timings,
        "comment": f"{ex.id} {ex.step}",
        "_id": ex.id,
        "_step": ex.step,
    }
    if ex.error:
        # HAR viewers show ``comment``, not custom fields: the reason goes in both.
        entry["comment"] = f"{ex.id} {ex.step}: {ex.error}"
        response["comment"] = ex.error
        entry["_error"] = ex.error
        entry["_errorKind"] = ex.error_kind
    if ex.proxy:
        entry["_proxy"] = ex.proxy
    if ex.sse_events:
        entry["_sseEvents"] = [
            {
                "offsetMs": round(e.offset_ms, 3),
                "event": e.event,
                "comment": e.comment,
                "data": e.data,
            }
            for e in ex.sse_events
        ]
    return mask(entry)


def to_har(exchanges: Exchange | Iterable[Exchange]) -> dict[str, Any]:
    """A HAR 1.2 document (``{"log": {...}}``) that browser devtools and HTTP clients open."""
    items = [exchanges] if isinstance(exchanges, Exchange) else list(exchanges)
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "gateway-doctor", "version": __version__},
            "entries": [har_entry(ex) for ex in items],
            "comment": "Secrets are masked; the API key never appears.",  # not-ui-text: export (curl/HAR)
        }
    }


def render_har(exchanges: Exchange | Iterable[Exchange]) -> str:
    """:func:`to_har` as indented JSON text, masked once more."""
    return mask(json.dumps(to_har(exchanges), indent=2, ensure_ascii=False))
