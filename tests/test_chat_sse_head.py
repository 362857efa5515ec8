"""A finished 2xx event stream is classified by its head, not its whole body (issue 14).

A long reply's body is megabytes of ``data:`` lines; reading all of it as one JSON
document (decode, depth pre-check, strip) held the UI loop as the reply ended.
"""

from __future__ import annotations

from tests.support.exchange_mix import chat_exchange
from tui.core.chat import errors
from tui.core.chat.errors import SSE_HEAD, classify_chat_exchange
from tui.core.net.exchange import Exchange

CHUNK = b'data: {"choices":[{"index":0,"delta":{"content":"word "}}]}\n\n'


def sse(status: int, body: bytes, ctype: str = "text/event-stream") -> Exchange:
    return chat_exchange(status, body, ctype)


def test_a_long_event_stream_is_classified_by_its_head(monkeypatch) -> None:
    seen: list[int] = []
    real = errors.classify

    def spy(status, body, *args, **kwargs):
        seen.append(len(body))
        return real(status, body, *args, **kwargs)

    monkeypatch.setattr(errors, "classify", spy)
    body = CHUNK * (6 * 1024 * 1024 // len(CHUNK)) + b"data: [DONE]\n\n"
    assert classify_chat_exchange(sse(200, body), got_content=True) is None
    assert seen == [SSE_HEAD]


def test_what_the_head_says_is_still_seen() -> None:
    page = b"<html><head><title>Just a moment...</title></head><body>" + b"x" * 200_000
    err = classify_chat_exchange(sse(200, page))
    assert err is not None and err.code == "auth.not_openai_compatible"
    refusal = b'{"error":{"message":"insufficient quota","type":"insufficient_quota"}}'
    err = classify_chat_exchange(sse(200, refusal))
    assert err is not None and "quota" in err.message


def test_an_error_status_is_read_whole() -> None:
    body = b'{"error":{"message":"' + b"m" * (SSE_HEAD + 10) + b'","type":"server_error"}}'
    err = classify_chat_exchange(sse(500, body, "application/json"))
    assert err is not None and err.message.startswith("mmm")


def test_padding_before_an_error_or_a_page_does_not_hide_it() -> None:
    """A body that does not start as an event stream is read whole (review finding)."""
    pad = b" " * 70_000
    quota = b'{"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}}'
    err = classify_chat_exchange(sse(200, pad + quota))
    assert err is not None and "quota" in err.message
    page = b"\n" * 70_000 + b"<html><head><title>Access denied | Cloudflare</title></head></html>"
    err = classify_chat_exchange(sse(200, page))
    assert err is not None and err.code == "auth.not_openai_compatible"
    long_title = b"<html><body>" + b"x" * 70_000 + b"<title>Access denied</title></body></html>"
    err = classify_chat_exchange(sse(200, long_title))
    assert err is not None and err.code == "auth.not_openai_compatible"
