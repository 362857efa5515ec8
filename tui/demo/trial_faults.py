"""The demo gateway's answers to the roll-out trial's requests, healthy and broken
(issue 16): one scenario per stage failure, so ``gateway-doctor demo`` and the tests
show each. The faults touch only the trial's own prompts (and the quick prompts that
share them), so the checklist passes first and the trial itself finds the fault.
"""

from __future__ import annotations

import asyncio
import html
import math
import re
import time
from typing import Any

from tui.demo.http11 import Conn
from tui.demo.responses import (
    HTML_HEADERS,
    JSON_HEADERS,
    SSE_HEADERS,
    Completion,
    dumps,
    error_body,
    html_page,
    message_text,
    prompt_tokens,
    reply_tokens,
    sse,
)
from tui.demo.streams import Pacer
from tui.demo.trial_replies import trial_reply

#: Scenario id -> the stage whose failure it shows (docs and tests read it).
SCENARIOS: dict[str, str] = {
    "trial_empty_reply": "short",
    "trial_stream_broken": "stream",
    "trial_reply_cut": "long_reply",
    "trial_body_limit": "long_context",
    "trial_context_limit": "long_context",
    "trial_silent_truncation": "long_context",
    "trial_cjk_mangled": "chinese",
    "trial_code_escaped": "code",
    "trial_history_dropped": "multi_turn",
    "trial_concurrency_2": "batch",
    "trial_slot_busy": "recovery",
    "trial_billed_abort": "recovery",
}
SHORT = "Reply with just: OK"  # not-ui-text: the trial's prompt, matched
#: trial_body_limit: an nginx in front refuses bodies over this (client_max_body_size 16k).
BODY_LIMIT = 16 * 1024
#: trial_context_limit: the model's context length, in the demo's tokens.
CONTEXT_LIMIT = 4096
#: trial_silent_truncation: the gateway keeps only this many characters of the last message.
KEEP_CHARS = 12_000
#: trial_reply_cut: the stream closes after this many tokens.
CUT_AFTER = 300
#: trial_concurrency_2: requests in flight per key, and how long each is held.
PARALLEL = 2
HOLD = 0.3
#: trial_slot_busy: how long the key's slot stays held after the long count's upstream
#: request ended (the client went away, or the whole reply was written).
BUSY_FOR = 2.0
#: trial_slot_busy: the streamed request that holds its key's slot (the recovery stage's
#: long count; other trial prompts are only refused while the slot is held).
_HOLDS_SLOT = re.compile(r"Count from \d+ to \d+")

#: The recovery stage's long count is never sent faster than this (tokens/s), even at
#: full speed: a model does not produce 400 tokens at once, and an abort must land
#: mid-stream for the healthy scenario (not billed) and trial_billed_abort (billed).
COUNT_FLOOR_TPS = 1000.0

_in_flight: dict[str, int] = {}
_busy_until: dict[str, float] = {}

NGINX_413 = html_page(
    "413 Request Entity Too Large",
    "<center><h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center>",
)


def is_trial(messages: list[Any]) -> bool:
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    last = message_text(users[-1]) if users else ""
    return trial_reply(messages) is not None or last.strip() == SHORT


def _context_exceeded(tokens: int) -> bytes:
    return error_body(
        f"This model's maximum context length is {CONTEXT_LIMIT} tokens. However, your "  # not-ui-text: the gateway's words
        f"messages resulted in {tokens} tokens. Please reduce the length of the messages.",  # not-ui-text: the gateway's words
        "invalid_request_error",
        "context_length_exceeded",
        param="messages",
    )


def _busy_body(key_tail: str) -> bytes:
    return error_body(
        f"concurrency limit reached for key sk-…{key_tail}: 1 request still in flight",  # not-ui-text: the gateway's words
        "rate_limit_error",
        "concurrency_limit_exceeded",
    )


def _truncate(messages: list[Any]) -> list[Any]:
    """Keep only the end of the last message, as a gateway that trims silently would."""
    out = list(messages)
    last = out[-1]
    text = message_text(last)
    if len(text) > KEEP_CHARS:
        out[-1] = {**last, "content": text[-KEEP_CHARS:]}
    return out


def _mojibake(text: str) -> str:
    """UTF-8 read as Latin-1 on the way back: what a proxy with the wrong charset does."""
    return text.encode("utf-8").decode("latin-1")


async def answer(
    conn: Conn, req_body: bytes, payload: dict[str, Any], scenario: str, key: str, tps: float
) -> bool:
    """Answer a trial request in the healthy or a trial scenario; False: not ours."""
    if scenario != "healthy" and scenario not in SCENARIOS:
        return False
    messages = payload["messages"]
    if not is_trial(messages):
        return False
    if scenario == "trial_body_limit" and len(req_body) > BODY_LIMIT:
        await conn.send(413, [*HTML_HEADERS, ("Server", "nginx")], NGINX_413)
        return True
    if scenario == "trial_context_limit" and prompt_tokens(messages) > CONTEXT_LIMIT:
        await conn.send(400, JSON_HEADERS, _context_exceeded(prompt_tokens(messages)))
        return True
    if scenario == "trial_silent_truncation":
        messages = _truncate(messages)
    if scenario == "trial_history_dropped":
        messages = messages[-1:]
    if scenario == "trial_slot_busy" and _busy_until.get(key, 0.0) > time.monotonic():
        left = _busy_until[key] - time.monotonic()  # inf while the upstream still runs
        wait = max(1, math.ceil(min(left, BUSY_FOR + 1.0)))
        headers = [*JSON_HEADERS, ("Retry-After", str(wait))]
        await conn.send(429, headers, _busy_body(key[-4:]))
        return True
    if scenario == "trial_concurrency_2":
        if _in_flight.get(key, 0) >= PARALLEL:
            headers = [*JSON_HEADERS, ("Retry-After", "1")]
            body = error_body(
                f"concurrency limit: at most {PARALLEL} requests in flight per key",  # not-ui-text: the gateway's words
                "rate_limit_error",
                "concurrency_limit_exceeded",
            )
            await conn.send(429, headers, body)
            return True
        _in_flight[key] = _in_flight.get(key, 0) + 1
        try:
            await asyncio.sleep(HOLD)
            await _reply(conn, payload, messages, scenario, key, tps)
        finally:
            _in_flight[key] -= 1
        return True
    await _reply(conn, payload, messages, scenario, key, tps)
    return True


async def _reply(
    conn: Conn, payload: dict[str, Any], messages: list[Any], scenario: str, key: str, tps: float
) -> None:
    max_tokens = payload.get("max_tokens", payload.get("max_completion_tokens"))
    tokens, finish = reply_tokens(messages, max_tokens)
    if scenario == "trial_empty_reply" and message_text(messages[-1]).strip() == SHORT:
        tokens = []
    if scenario == "trial_cjk_mangled":
        tokens = [_mojibake(t) for t in tokens]
    if scenario == "trial_code_escaped":
        tokens = [html.escape(t, quote=False) for t in tokens]
    opts = payload.get("stream_options")
    usage = isinstance(opts, dict) and bool(opts.get("include_usage"))
    comp = Completion(payload["model"], tokens, finish, prompt_tokens(messages), usage)
    if not payload.get("stream"):
        await conn.send(200, JSON_HEADERS, dumps(comp.full()))
        return
    # trial_slot_busy models a real gateway that keeps the slot: held from the start of
    # the stream until the upstream request ends, and BUSY_FOR after. A retry sent the
    # moment the client aborts races the gateway's noticing it, whatever the speed: at
    # full speed the whole reply is already written before the client reads 10 chunks.
    counting = bool(_HOLDS_SLOT.search(message_text(messages[-1])))
    holds = scenario == "trial_slot_busy" and counting
    if counting and not 0 < tps <= COUNT_FLOOR_TPS:
        tps = COUNT_FLOOR_TPS
    if holds:
        _busy_until[key] = math.inf
    try:
        await _stream(conn, comp, scenario, tps)
    except ConnectionError:  # ClientGone too: the client went away mid-stream
        # Healthy gateways bill what was generated, not a reply nobody reads to the end.
        if scenario != "trial_billed_abort":
            conn.on_ok = None
        raise
    finally:
        if holds:
            _busy_until[key] = time.monotonic() + BUSY_FOR


async def _stream(conn: Conn, comp: Completion, scenario: str, tps: float) -> None:
    cut = CUT_AFTER if scenario == "trial_reply_cut" and len(comp.tokens) > CUT_AFTER else None
    broken = scenario == "trial_stream_broken" and len(comp.tokens) <= 16
    await conn.start_stream(200, SSE_HEADERS, close=cut is not None or broken)
    pacer = Pacer(tps)
    await conn.chunk(sse(comp.role_chunk()))
    for i, token in enumerate(comp.tokens):
        if i == cut:
            conn.cut()
            return
        await pacer.wait()
        await conn.chunk(sse(comp.content_chunk(token)))
        # A client that went away is noticed at the next write; check now so an abort
        # is seen at once, as a real gateway's upstream cancel would.
        conn.check_alive()
    if broken:
        conn.cut()
        return
    for event in comp.tail_events():
        await conn.chunk(event)
    await conn.end_stream()
