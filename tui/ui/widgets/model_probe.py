"""The chat pane's model probe: which listed models this key can use, shown in the picker.

A mixin for :class:`~tui.ui.widgets.chat.ChatPane`. The probe (``tui.core.models``) runs
in a worker on the pane's loop; its exchanges go to the inspector like every request.
The results are remembered per profile (masked, state directory) and shown beside each
name in the model list: ``✓ 320 ms · 5 min ago`` / ``✗ model.unavailable · …``.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from textual import work
from textual.containers import Vertical
from textual.widgets import Input

from tui.core.i18n.catalogue import render, text
from tui.core.models import DEFAULT_CONCURRENCY
from tui.core.models.memory import Remembered, picker_label, remember, remembered_for
from tui.core.models.probe import probe_models
from tui.core.net.http import GatewayClient
from tui.ui.widgets.chat_settings import ModelFilterList

#: More models than this: the first request to probe says how many, the second goes.
ASK_ABOVE = 10
#: Seconds within which the second request confirms the first.
CONFIRM_WINDOW = 15

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.core.diagnosis.model import Target
    from tui.core.net.exchange import ExchangeLog

    _Pane = Vertical
else:
    _Pane = object


class ModelProbeMixin(_Pane):
    """``probe_models`` (palette, picker) and the picker's marks from the remembered file."""

    if TYPE_CHECKING:
        target: Target
        lang: str
        models: list[str]
        exchange_log: ExchangeLog
        say_with: Callable[[Callable[[str], str]], None]

    #: model -> its last probe (the remembered file, then this session's probe)
    _remembered: dict[str, Remembered]

    def show_marks(self, now: float | None = None) -> None:
        """Write the marks in the pane's language into the model list (and refilter it)."""
        listing = self.query_one(ModelFilterList)
        remembered = getattr(self, "_remembered", {})
        listing.marks = {m: picker_label(r, self.lang, now) for m, r in remembered.items()}
        listing.probe_label = text("models.picker.probe", self.lang)
        if listing.display and listing.target_input is not None:
            listing.filter(listing.target_input.value)

    async def load_marks(self) -> None:
        """The last probe's results for this profile, from the state directory."""
        got, warning = await asyncio.to_thread(remembered_for, self.target)
        self._remembered = got
        if warning is not None:
            self.say_with(lambda lang: render(warning, lang))
        self.show_marks()

    @work(group="probe", exclusive=True)
    async def probe_models(self) -> None:
        """Probe every listed model (concurrency 4) and show the results in the picker."""
        models = list(self.models)
        if not models or not self.target.base_url:
            self.say_with(lambda lang: text("models.picker.no_list", lang))
            return
        n = len(models)
        now = time.monotonic()
        if n > ASK_ABOVE and now - getattr(self, "_probe_asked_at", -1e9) > CONFIRM_WINDOW:
            # more than 10 requests: say how many, and go only when asked again
            self._probe_asked_at = now
            self.say_with(
                lambda lang: text("models.picker.ask", lang, count=n, seconds=CONFIRM_WINDOW)
            )
            return
        self._probe_asked_at = -1e9
        self.say_with(lambda lang: text("models.picker.probing", lang, count=n))
        target = self.target
        async with GatewayClient(target, self.exchange_log) as client:
            results = await probe_models(
                client, models, concurrency=DEFAULT_CONCURRENCY, listed=set(models)
            )
        try:
            warning = await asyncio.to_thread(remember, target, results)
        except OSError as exc:
            problem: Any = getattr(exc, "message", None) or str(exc)
            self.say_with(lambda lang: text("models.picker.probe_failed", lang, problem=problem))
            warning = None
        if not self.is_attached:
            return
        await self.load_marks()
        ok = sum(1 for r in results if r.status == "pass")
        if warning is None:
            self.say_with(lambda lang: text("models.picker.probed", lang, count=n, working=ok))

    def on_model_filter_list_probe_asked(self, event: ModelFilterList.ProbeAsked) -> None:
        """The picker's "Probe models" entry (by name: a mixin's @on is not collected)."""
        event.stop()
        self.query_one(ModelFilterList).display = False
        self.query_one("#chat-model", Input).focus()
        self.probe_models()
