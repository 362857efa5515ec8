"""A hostile gateway that echoes the key it was sent in every form a gateway or proxy may use.

:func:`key_forms` lists the forms (plain, upper/lower case, JSON ``\\uXXXX``
escapes, percent-encoding, base64 of the key and of ``Bearer <key>`` at every
alignment, hex). :func:`echo_handler` is a :class:`tests.support.servers.RawServer`
handler that puts them in model ids, response headers, error messages (JSON
and plain text) and SSE deltas — each form whole inside one delta (a key split
across deltas is the stream assembler's business, not masking's).
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

from tests.support.servers import Conn


def key_forms(key: str) -> dict[str, str]:
    """Name -> the key written in that form."""
    raw = key.encode("utf-8")
    b64 = base64.b64encode
    forms = {
        "plain": key,
        "upper": key.upper(),
        "lower": key.lower(),
        "json-u": "".join(f"\\u{ord(c):04x}" for c in key),
        "json-u-mixed": "".join(f"\\u{ord(c):04X}" if i % 2 else c for i, c in enumerate(key)),
        "percent": "".join(f"%{b:02X}" for b in raw),
        "percent-mixed": "".join(_pct(c) if i % 3 == 0 else c for i, c in enumerate(key)),
        "base64": b64(raw).decode(),
        "base64-urlsafe-nopad": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "base64-bearer": b64(b"Bearer " + raw).decode(),
        "base64-blob-1": b64(b"x" + raw + b"!").decode(),
        "base64-blob-2": b64(b'{"k":"' + raw + b'"}').decode(),
        "hex": raw.hex(),
        "spaced": " ".join(key),
        "zero-width": "\u200b".join(key),
        "soft-hyphens": "\u00ad".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "reversed": key[::-1],
    }
    if "/" in key:
        forms["json-slash"] = key.replace("/", "\\/")
    return forms


def _pct(ch: str) -> str:
    """One character percent-encoded (its UTF-8 bytes), lower-case hex."""
    return "".join(f"%{b:02x}" for b in ch.encode("utf-8"))


def echo_text(key: str) -> str:
    """One line naming every form (what the gateway's error message says)."""
    return " | ".join(f"{name}={form}" for name, form in key_forms(key).items())


def _key_of(headers: dict[str, str]) -> str:
    auth = headers.get("authorization", "")
    return auth.split(" ", 1)[1] if " " in auth else headers.get("x-api-key", "")


async def echo_handler(conn: Conn) -> None:
    """Answer every request, quoting the key back in every form and place."""
    while (req := await conn.read_request()) is not None:
        key = _key_of(req.headers)
        forms = key_forms(key)
        echo_headers = [
            ("X-Echo-" + name.title().replace("-", ""), form)
            for name, form in forms.items()
            if all(32 <= ord(c) < 127 for c in form)
        ]
        path = urlsplit(req.target).path
        if path.endswith("/models"):
            ids = ["gpt-4o-mini", *(f"echo-{form}" for form in forms.values())]
            body = {"object": "list", "data": [{"id": i, "object": "model"} for i in ids]}
            await conn.respond(
                200,
                [("Content-Type", "application/json"), *echo_headers],
                json.dumps(body).encode(),
            )
        elif path.endswith("/chat/completions") and b'"stream": true' in req.body.replace(
            b'"stream":true', b'"stream": true'
        ):
            await conn.respond(200, [("Content-Type", "text/event-stream"), *echo_headers],
                               _sse(forms))  # fmt: skip
        elif path.endswith("/chat/completions"):
            message = f"Model gpt-4o-mini is not allowed for key {echo_text(key)}"
            body = {"error": {"message": message, "type": "invalid_request_error",
                              "code": "model_not_found"}}  # fmt: skip
            await conn.respond(
                400,
                [("Content-Type", "application/json"), *echo_headers],
                json.dumps(body).encode(),
            )
        else:
            text = f"no billing here; you sent {echo_text(key)}\n".encode()
            await conn.respond(500, [("Content-Type", "text/plain"), *echo_headers], text)


def _sse(forms: dict[str, str]) -> bytes:
    events = []
    for name, form in forms.items():
        delta = {"choices": [{"index": 0, "delta": {"content": f"{name}: {form}\n"}}]}
        events.append(f"data: {json.dumps(delta)}\n\n")
    done = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    events += [f"data: {json.dumps(done)}\n\n", "data: [DONE]\n\n"]
    return "".join(events).encode()
