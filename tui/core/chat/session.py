"""A chat session with the gateway: history, settings, streaming and stats.

The chat pane is the "try it yourself" half of gateway-doctor. Everything here
is UI-free so it can be tested and benchmarked on its own:

* :class:`ChatSession` keeps the conversation and sends it through
  :class:`~tui.core.net.http.GatewayClient` (``step="chat"``), so every chat
  request shows up, masked, in the inspector like any check request.
* Each reply carries :class:`ReplyStats` (time to first token, tokens/s, total
  time, prompt/completion tokens from ``usage`` or estimated, finish reason,
  request id) and, when it failed, a :class:`~tui.core.chat.errors.ChatError`
  with the same diagnosis code the checklist would report.
* :meth:`ChatSession.stop` (or cancelling the task running :meth:`send`) keeps
  the partial text and marks the reply as stopped.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tui.core.chat.errors import ChatError, classify_chat_exchange, not_json, ours
from tui.core.chat.stream import StreamState, apply_completion, request_id
from tui.core.chat.types import (
    CHAT_TOTAL_TIMEOUT,
    ChatSettings,
    ChatTurn,
    DeltaCallback,
    EndCallback,
    ModelList,
    Reply,
    ReplyStats,
    estimate_tokens,
    with_model,
)
from tui.core.diagnosis.model import Target
from tui.core.i18n.catalogue import msg
from tui.core.net.exchange import Exchange, ExchangeLog, now_iso
from tui.core.net.http import GatewayClient
from tui.core.net.models_list import model_ids
from tui.core.safe import json_parse as safe_json

__all__ = [
    "ChatError",
    "ChatSession",
    "ChatSettings",
    "ChatTurn",
    "ModelList",
    "Reply",
    "ReplyStats",
    "estimate_tokens",
    "list_models",
    "with_model",
]


class ChatSession:
    """A multi-turn conversation with one gateway and model."""

    def __init__(
        self,
        target: Target,
        log: ExchangeLog,
        settings: ChatSettings | None = None,
        *,
        client: GatewayClient | None = None,
    ) -> None:
        self.target = target
        self.log = log
        self.settings = settings or ChatSettings(model=target.model)
        if not self.settings.model:
            self.settings.model = target.model
        self.history: list[ChatTurn] = []
        self._client = client
        self._own_client = client is None
        self._inner: asyncio.Task[Exchange] | None = None
        self._stop_requested = False

    # -- lifecycle ---------------------------------------------------------
    @property
    def client(self) -> GatewayClient:
        if self._client is None:
            self._client = GatewayClient(self.target, self.log)
            self._own_client = True
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP client this session created."""
        if self._client is not None and self._own_client:
            await self._client.aclose()
        self._client = None

    async def set_target(self, target: Target) -> None:
        """Use another gateway/key from now on (the history is kept)."""
        await self.aclose()
        old_model = self.target.model
        self.target = target
        if not self.settings.model or self.settings.model == old_model:
            self.settings.model = target.model

    def clear(self) -> None:
        """Forget the conversation (settings stay)."""
        self.history.clear()

    @property
    def busy(self) -> bool:
        return self._inner is not None and not self._inner.done()

    def stop(self) -> None:
        """Stop the reply in flight; :meth:`send` returns it marked as stopped."""
        if self._inner is not None and not self._inner.done():
            self._stop_requested = True
            self._inner.cancel()

    # -- requests ----------------------------------------------------------
    def build_messages(self, prompt: str) -> list[dict[str, str]]:
        """System prompt, earlier turns that got an answer, then ``prompt``."""
        messages: list[dict[str, str]] = []
        if self.settings.system_prompt.strip():
            messages.append({"role": "system", "content": self.settings.system_prompt})
        for turn in self.history:
            if turn.reply.error is not None and not turn.reply.content:
                continue  # a failed turn taught the model nothing; don't resend it
            messages.append({"role": "user", "content": turn.prompt})
            if turn.reply.content:
                messages.append({"role": "assistant", "content": turn.reply.content})
        messages.append({"role": "user", "content": prompt})
        return messages

    def build_body(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        s = self.settings
        body: dict[str, Any] = {"model": s.model, "messages": messages, "stream": s.stream}
        if s.temperature is not None:
            body["temperature"] = s.temperature
        if s.max_tokens:
            body["max_tokens"] = s.max_tokens
        if s.stream and s.include_usage:
            body["stream_options"] = {"include_usage": True}
        return body

    async def send(
        self,
        prompt: str,
        on_delta: DeltaCallback | None = None,
        on_text_end: EndCallback | None = None,
    ) -> ChatTurn:
        """Send ``prompt`` with the history; stream text to ``on_delta``; return the turn.

        ``on_text_end`` is called once when the model signals the end of its
        text (``finish_reason`` or ``[DONE]``), before the connection closes,
        so a UI can render the last token without waiting for bookkeeping.

        Never raises for gateway or network failures (they become
        ``reply.error``). If the task running ``send`` is cancelled, the
        partial reply is recorded as stopped and the cancellation propagates.
        """
        messages = self.build_messages(prompt)
        body = self.build_body(messages)
        reply = Reply(model=self.settings.model, started_at=now_iso())
        turn = ChatTurn(prompt=prompt, reply=reply, gateway=self.target.base_url)
        self.history.append(turn)
        state = StreamState(turn.reply, on_delta, on_text_end)
        self._stop_requested = False
        started = time.perf_counter()
        recorded: list[Exchange] = []
        self._inner = inner = asyncio.ensure_future(
            self.client.request(
                "POST",
                self.target.endpoint("chat/completions"),
                step="chat",
                json=body,
                stream=self.settings.stream,
                on_sse=state.on_sse if self.settings.stream else None,
                total_timeout=max(CHAT_TOTAL_TIMEOUT, self.target.timeout * 2),
            )
        )

        def capture(ex: Exchange) -> None:
            # The log calls listeners from the recording task: keep only ours.
            try:
                if asyncio.current_task() is inner:
                    recorded.append(ex)
            except RuntimeError:
                pass

        self.log.subscribe(capture)
        try:
            ex = await inner
        except asyncio.CancelledError:
            turn.reply.stopped = True
            self._finish_stopped(turn.reply, state, recorded, messages, started)
            current = asyncio.current_task()
            if not self._stop_requested or (current is not None and current.cancelling()):
                raise
            return turn
        finally:
            self._inner = None
            self.log.unsubscribe(capture)
        self._finish(turn.reply, state, ex, messages)
        if on_delta is not None and not self.settings.stream and turn.reply.content:
            result = on_delta(turn.reply.content)
            if asyncio.iscoroutine(result):
                await result
        return turn

    # -- results -----------------------------------------------------------
    def _finish_stopped(
        self,
        reply: Reply,
        state: StreamState,
        recorded: list[Exchange],
        messages: list[dict[str, Any]],
        started: float,
    ) -> None:
        state.settle()
        ex = recorded[-1] if recorded else None
        reply.stats.total_ms = ex.duration_ms if ex else (time.perf_counter() - started) * 1000
        self._fill_stats(reply, state, ex, messages)
        reply.done = True

    def _finish(
        self, reply: Reply, state: StreamState, ex: Exchange, messages: list[dict[str, Any]]
    ) -> None:
        state.settle()
        reply.stats.total_ms = ex.duration_ms
        got = bool(reply.content)
        error = classify_chat_exchange(ex, got_content=got)
        is_sse = "event-stream" in ex.content_type
        if error is None and ex.status is not None and 200 <= ex.status < 300:
            if self.settings.stream and not is_sse:
                apply_completion(reply, ex, state)
                reply.notes.append("stream.not_streamed")
            elif not self.settings.stream:
                apply_completion(reply, ex, state)
            elif state.error is not None:
                error = state.error
            elif not state.saw_done and not reply.stats.finish_reason:
                error = ours("stream.interrupted", msg("core.chat.no_finish"), ex.status, ex.id)
            if is_sse and self.settings.stream:
                if state.garbled:
                    reply.notes.append("stream.garbled")
                if state.malformed or any(e.event == "stray" for e in ex.sse_events):
                    reply.notes.append("stream.malformed")
        if error is not None:
            error.exchange_id = ex.id
        reply.error = error
        self._fill_stats(reply, state, ex, messages)
        reply.done = True

    def _fill_stats(
        self, reply: Reply, state: StreamState, ex: Exchange | None, messages: list[dict[str, Any]]
    ) -> None:
        st = reply.stats
        st.model = reply.model
        st.streamed = self.settings.stream
        st.chunks = state.chunks
        st.ttft_ms = state.ttft_ms
        if ex is not None:
            st.exchange_id = ex.id
            st.request_id = request_id(ex) or state.completion_id
        else:
            st.request_id = state.completion_id
        usage = state.usage
        if usage and isinstance(usage.get("completion_tokens"), int):
            st.prompt_tokens = usage.get("prompt_tokens")
            st.completion_tokens = usage["completion_tokens"]
            st.estimated = False
        elif reply.content or reply.error is None:
            st.prompt_tokens = sum(estimate_tokens(m["content"]) + 4 for m in messages)
            st.completion_tokens = estimate_tokens(reply.content + reply.reasoning)
            st.estimated = True
        if st.completion_tokens and st.completion_tokens >= 2:  # one token has no rate
            gen_ms = st.total_ms - (st.ttft_ms or 0.0)
            if gen_ms > 0:
                st.tokens_per_s = st.completion_tokens / (gen_ms / 1000)


async def list_models(
    target: Target, log: ExchangeLog, client: GatewayClient | None = None
) -> ModelList:
    """Model ids from ``GET {base}/models`` (sorted); an error instead of raising."""
    own = client is None
    gc = client or GatewayClient(target, log)
    try:
        ex = await gc.request(
            "GET", target.endpoint("models"), step="chat", total_timeout=target.timeout * 2
        )
    finally:
        if own:
            await gc.aclose()
    error = classify_chat_exchange(ex)
    if error is not None:
        return ModelList([], error, ex.id)
    got = safe_json.parse(ex.response_body)
    if not got.ok:
        why = not_json(got.too_deep)
        return ModelList([], ours("auth.not_openai_compatible", why, ex.status, ex.id))
    data = got.value
    return ModelList(sorted(set(model_ids(data) or [])), None, ex.id)
