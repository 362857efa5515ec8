"""When this process's own event loop ran late: arrival times then say nothing.

The stream check reads chunk arrival times to tell a live stream from one a
proxy held back. If our own loop was blocked (a loaded machine, another thread
holding the GIL, several runs at once), the bytes waited in the socket buffer
and arrive "in one burst after a silence" though the gateway streamed them
live. :class:`LoopLag` ticks every 10 ms during a run and notes every wake-up
that came more than 50 ms late, so the verdict can say the machine was too
busy to judge instead of blaming a proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

__all__ = ["LoopLag"]

TICK = 0.01
LATE = 0.05
#: Spikes kept (oldest dropped): bounded memory however long the run.
KEEP = 2000


class LoopLag:
    """Start with :meth:`start` inside a running loop; :meth:`late_ms` asks about a span."""

    def __init__(self) -> None:
        self.spikes: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="loop-lag")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            expected = time.perf_counter() + TICK
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            if now - expected > LATE:
                self.spikes.append((expected, now))
                if len(self.spikes) > KEEP:
                    del self.spikes[: KEEP // 2]

    def late_ms(self, t0: float, t1: float) -> float:
        """How long, in ms, the loop was late within ``[t0, t1]`` (perf_counter seconds)."""
        total = 0.0
        for a, b in self.spikes:
            lo, hi = max(a, t0), min(b, t1)
            if hi > lo:
                total += hi - lo
        return total * 1000
