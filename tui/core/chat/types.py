"""Plain data for chat: settings, replies, stats, turns (no I/O).

Split from :mod:`tui.core.chat.session` so the stream parser and the UI can share
these types without importing the session machinery.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from tui.core.chat.errors import ChatError

__all__ = [
    "CHAT_TOTAL_TIMEOUT",
    "ChatSettings",
    "ChatTurn",
    "DeltaCallback",
    "EndCallback",
    "ModelList",
    "Reply",
    "ReplyStats",
    "estimate_tokens",
    "with_model",
]

DeltaCallback = Callable[[str], Awaitable[None] | None]
EndCallback = Callable[[], Awaitable[None] | None]

#: A streamed chat may legitimately run for minutes; stalls are caught by the read timeout.
CHAT_TOTAL_TIMEOUT = 600.0


@dataclass(slots=True)
class ChatSettings:
    """What the user can tune in the settings row."""

    model: str = ""
    system_prompt: str = ""
    temperature: float | None = None
    max_tokens: int | None = None
    stream: bool = True
    #: Ask for a final usage chunk (``stream_options.include_usage``).
    include_usage: bool = True


@dataclass(slots=True)
class ReplyStats:
    """Numbers shown under each reply."""

    model: str = ""
    ttft_ms: float | None = None
    total_ms: float = 0.0
    tokens_per_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    #: True when the token counts are estimates (no ``usage`` in the answer).
    estimated: bool = False
    finish_reason: str | None = None
    request_id: str | None = None
    exchange_id: str | None = None
    chunks: int = 0
    streamed: bool = False


@dataclass(slots=True)
class Reply:
    """The assistant's side of one turn (possibly partial or failed)."""

    model: str
    content: str = ""
    reasoning: str = ""
    stats: ReplyStats = field(default_factory=ReplyStats)
    error: ChatError | None = None
    #: The user pressed Esc: ``content`` is what arrived before that.
    stopped: bool = False
    #: Notes about oddities that did not stop the reply (diagnosis codes).
    notes: list[str] = field(default_factory=list)
    done: bool = False
    #: When the request was sent (ISO 8601 UTC): summaries say this, not the copy time.
    started_at: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None and not self.stopped


@dataclass(slots=True)
class ChatTurn:
    """One user prompt and the reply to it."""

    prompt: str
    reply: Reply
    #: The base URL this turn was sent to (the target can change mid-conversation).
    gateway: str = ""


@dataclass(slots=True)
class ModelList:
    """Models from ``GET /models``; ``error`` when the list could not be read."""

    models: list[str]
    error: ChatError | None = None
    exchange_id: str | None = None


#: Code point bounds of CJK and Hangul (one token per character).
_CJK_LOW, _CJK_HIGH = "\u2e80", "\u9fff"  # not-ui-text: code point bounds
_HANGUL_LOW, _HANGUL_HIGH = "\uac00", "\ud7af"


def estimate_tokens(text: str) -> int:
    """A rough token count: one per CJK character, one per ~4 other characters."""
    if not text:
        return 0
    cjk = sum(1 for ch in text if _CJK_LOW <= ch <= _CJK_HIGH or _HANGUL_LOW <= ch <= _HANGUL_HIGH)
    return cjk + max(1, round((len(text) - cjk) / 4)) if len(text) > cjk else cjk


def with_model(settings: ChatSettings, model: str) -> ChatSettings:
    """A copy of ``settings`` for another model (compare mode)."""
    return replace(settings, model=model)
