"""Compare mode: the same prompt to two models at once, each with its own stats.

Two :class:`~tui.core.chat.session.ChatSession` objects share one HTTP client (and so
one connection pool and one exchange log) and send concurrently, so the user
sees both replies stream side by side and can compare speed, cost and quality.
Each side keeps its own history, so follow-up prompts stay multi-turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from tui.core.chat.session import ChatSession, ChatSettings, ChatTurn, with_model
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient

__all__ = ["CompareSession"]

SideDelta = Callable[[int, str], Awaitable[None] | None]
SideEnd = Callable[[int], Awaitable[None] | None]


class CompareSession:
    """Two chat sessions (one per model) driven by one prompt."""

    def __init__(
        self,
        target: Target,
        log: ExchangeLog,
        models: Sequence[str],
        settings: ChatSettings | None = None,
    ) -> None:
        if len(models) != 2:
            raise ValueError("compare needs exactly two models")  # not-ui-text: a caller's bug
        base = settings or ChatSettings(model=target.model)
        self.target = target
        self.log = log
        self._client = GatewayClient(target, log)
        self.sides = [
            ChatSession(target, log, with_model(base, m), client=self._client) for m in models
        ]

    @property
    def models(self) -> list[str]:
        return [s.settings.model for s in self.sides]

    async def send(
        self,
        prompt: str,
        on_delta: SideDelta | None = None,
        on_text_end: SideEnd | None = None,
    ) -> list[ChatTurn]:
        """Send ``prompt`` to both models concurrently; ``on_delta(side, text)``."""

        def delta_for(i: int) -> Callable[[str], Awaitable[None] | None] | None:
            return None if on_delta is None else (lambda text: on_delta(i, text))

        def end_for(i: int) -> Callable[[], Awaitable[None] | None] | None:
            return None if on_text_end is None else (lambda: on_text_end(i))

        return list(
            await asyncio.gather(
                *(s.send(prompt, delta_for(i), end_for(i)) for i, s in enumerate(self.sides))
            )
        )

    def stop(self) -> None:
        for s in self.sides:
            s.stop()

    def clear(self) -> None:
        for s in self.sides:
            s.clear()

    async def aclose(self) -> None:
        await self._client.aclose()
