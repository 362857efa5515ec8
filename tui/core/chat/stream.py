"""Turning an OpenAI-style SSE stream (or a plain completion) into a :class:`Reply`.

:class:`StreamState` is fed parsed events by :class:`~tui.core.net.http.GatewayClient`
as they arrive: text deltas go to the UI callback at once, and the end of the
text (``finish_reason`` / ``[DONE]``) is signalled before the connection closes.
Keep-alive comments are ignored; malformed JSON and invalid UTF-8 are counted
so the reply can be annotated with ``stream.malformed`` / ``stream.garbled``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tui.core.chat.errors import ChatError, classify_error_event, not_json, ours
from tui.core.chat.types import DeltaCallback, EndCallback, Reply
from tui.core.i18n.catalogue import msg
from tui.core.net.exchange import Exchange
from tui.core.net.http import StopReading
from tui.core.net.sse import ParsedEvent
from tui.core.safe import json_parse as safe_json

__all__ = ["MAX_REPLY_CHARS", "StreamState", "apply_completion", "request_id"]

#: Most reply text (content and reasoning) kept; past it the reply is stopped with a note.
MAX_REPLY_CHARS = 4 * 1024 * 1024


class StreamState:
    """Collects what the SSE stream delivers, calling ``on_delta`` per content piece."""

    def __init__(
        self, reply: Reply, on_delta: DeltaCallback | None, on_end: EndCallback | None = None
    ) -> None:
        self.reply = reply
        self.on_delta = on_delta
        self.on_end = on_end
        self.ended = False
        self.ttft_ms: float | None = None
        self.chunks = 0
        self.usage: dict[str, Any] | None = None
        self.saw_done = False
        self.garbled = False
        self.malformed = 0
        self.error: ChatError | None = None
        self.completion_id: str | None = None
        # Pieces joined once (settle): ``str +=`` on an attribute copies the whole text
        # for every delta, quadratic for a long reply in tiny pieces.
        self._content: list[str] = []
        self._reasoning: list[str] = []
        self._size = 0
        self._next_settle = 0

    def settle(self) -> None:
        """Put the text received so far into the reply (cheap to call again)."""
        if self._content or self._reasoning:
            self.reply.content = "".join(self._content)
            self.reply.reasoning = "".join(self._reasoning)

    def _keep(self, parts: list[str], text: str) -> None:
        room = MAX_REPLY_CHARS - self._size
        parts.append(text[:room])
        self._size += len(text)
        if self._size > MAX_REPLY_CHARS:
            self.settle()
            raise StopReading("other", msg("core.chat.too_long", n=MAX_REPLY_CHARS))
        # The reply stays readable while it streams (a stop keeps the partial text),
        # joined each time the pieces grew by a quarter: linear over the whole reply.
        n = len(self._content) + len(self._reasoning)
        if n <= 256 or n >= self._next_settle:
            self.settle()
            self._next_settle = n + n // 4

    async def on_sse(self, pe: ParsedEvent, offset_ms: float) -> None:
        if pe.comment:
            return
        data = pe.data.strip()
        if not data:
            return
        if data == "[DONE]":
            self.saw_done = True
            await self.text_ended()
            return
        if pe.invalid_utf8 or "\ufffd" in data:
            self.garbled = True
        obj = safe_json.loads(data)
        if not isinstance(obj, dict):
            self.malformed += 1
            return
        if obj.get("error"):
            self.error = classify_error_event(obj)
            return
        self.chunks += 1
        self.completion_id = self.completion_id or obj.get("id")
        if isinstance(obj.get("usage"), dict):
            self.usage = obj["usage"]
        for choice in obj.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            delta = choice.get("delta") or {}
            finished = bool(choice.get("finish_reason"))
            if finished:
                self.reply.stats.finish_reason = choice["finish_reason"]
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if isinstance(reasoning, str) and reasoning:
                self._keep(self._reasoning, reasoning)
            text = delta.get("content")
            if isinstance(text, str) and text:
                if self.ttft_ms is None:
                    self.ttft_ms = offset_ms
                self._keep(self._content, text)
                if self.on_delta is not None:
                    result = self.on_delta(text)
                    if asyncio.iscoroutine(result):
                        await result
            if finished:
                await self.text_ended()

    async def text_ended(self) -> None:
        if self.ended:
            return
        self.ended = True
        self.settle()
        if self.on_end is not None:
            result = self.on_end()
            if asyncio.iscoroutine(result):
                await result


def apply_completion(reply: Reply, ex: Exchange, state: StreamState) -> None:
    """A plain JSON completion (non-stream, or a gateway that ignored ``stream``)."""
    got = safe_json.parse(ex.response_body)
    if not got.ok:
        reply.error = ours("model.bad_response", not_json(got.too_deep), ex.status, ex.id)
        return
    obj = got.value
    if not isinstance(obj, dict):
        return
    state.completion_id = obj.get("id")
    if isinstance(obj.get("usage"), dict):
        state.usage = obj["usage"]
    choices = obj.get("choices") or []
    if choices and isinstance(choices[0], dict):
        msg = choices[0].get("message") or {}
        reply.content = str(msg.get("content") or "")
        reply.reasoning = str(msg.get("reasoning_content") or "")
        reply.stats.finish_reason = choices[0].get("finish_reason")
    state.ttft_ms = ex.duration_ms
    state.chunks = 1


def request_id(ex: Exchange) -> str | None:
    for name in (
        "x-request-id",
        "x-oneapi-request-id",
        "request-id",
        "openai-request-id",
        "cf-ray",
    ):
        value = ex.header(name)
        if value:
            return value
    return None
