"""The chat pane's model probe: which listed models this key can use, shown in the picker.

A mixin for :class:`~tui.ui.widgets.chat.ChatPane`. The probe (``tui.core.models``) runs
in a worker on the pane's loop; its exchanges go to the inspector like every request.
The results are remembered per profile (masked, state directory) and shown beside each
name in the model list: ``✓ 320 ms · 5 min ago`` / ``✗ model.unavailable · …``.
More than 10 models: a modal says how many requests, with which key, and waits for
y / n. Esc (or the palette) stops a running probe: what was measured is kept and
remembered, the rest shows as not probed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import work
from textual.containers import Vertical
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from tui.core.i18n.catalogue import render, text
from tui.core.models import DEFAULT_CONCURRENCY
from tui.core.models.keyid import key_label
from tui.core.models.memory import Remembered, picker_label, remember, remembered_for
from tui.core.models.probe import ProbeResult, probe_models, with_skipped
from tui.core.net.http import GatewayClient
from tui.ui.screens.confirm_probe import ConfirmProbe
from tui.ui.widgets.chat_settings import ModelFilterList

#: More models than this: a modal says how many requests first, and waits for y / n.
ASK_ABOVE = 10

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
    #: models a stopped probe did not reach (shown "not probed" when nothing is remembered)
    _not_probed: frozenset[str] = frozenset()
    #: the running probe's worker, once the user said yes (None: no probe running)
    _probe_worker: Worker[None] | None = None

    def show_marks(self, now: float | None = None) -> None:
        """Write the marks in the pane's language into the model list (and refilter it)."""
        listing = self.query_one(ModelFilterList)
        remembered = getattr(self, "_remembered", {})
        marks = {m: picker_label(r, self.lang, now) for m, r in remembered.items()}
        skipped = text("models.picker.not_probed", self.lang)
        marks.update({m: skipped for m in self._not_probed if m not in marks})
        listing.marks = marks
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

    @property
    def probe_running(self) -> bool:
        """Whether a probe is sending requests (after the user said yes)."""
        worker = self._probe_worker
        return worker is not None and worker.is_running

    def stop_probe(self) -> bool:
        """Stop a running probe (Esc, the palette); False when there was none."""
        if not self.probe_running or self._probe_worker is None:
            return False
        self._probe_worker.cancel()
        return True

    @work(group="probe")
    async def probe_models(self) -> None:
        """Probe every listed model (concurrency 4) and show the results in the picker."""
        if self.probe_running:
            self.say_with(lambda lang: text("models.picker.already", lang))
            return
        models = list(self.models)
        if not models or not self.target.base_url:
            self.say_with(lambda lang: text("models.picker.no_list", lang))
            return
        n = len(models)
        target = self.target
        if n > ASK_ABOVE:
            key, fingerprint = key_label(target.api_key)
            modal = ConfirmProbe(models=n, requests=n, key=key, key_id=fingerprint, lang=self.lang)
            if not await self.app.push_screen_wait(modal):
                self.say_with(lambda lang: text("models.picker.declined", lang))
                return
        self._probe_worker = get_current_worker()
        self.say_with(lambda lang: text("models.picker.probing", lang, count=n))
        got: list[ProbeResult] = []
        stopped = False
        try:
            async with GatewayClient(target, self.exchange_log) as client:
                await probe_models(
                    client,
                    models,
                    concurrency=DEFAULT_CONCURRENCY,
                    listed=set(models),
                    on_result=got.append,
                )
        except asyncio.CancelledError:
            stopped = True  # Esc / the palette: keep what was measured
        finally:
            self._probe_worker = None
        results = with_skipped(models, got)
        self._not_probed = frozenset(r.model for r in results if r.status == "skip")
        await self._keep(target, results, stopped, n)

    async def _keep(
        self, target: Target, results: list[ProbeResult], stopped: bool, n: int
    ) -> None:
        """Remember the measured results and say how the probe ended."""
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
        done = sum(1 for r in results if r.status != "skip")
        if stopped:
            self.say_with(
                lambda lang: text("models.picker.stopped", lang, done=done, count=n, working=ok)
            )
        elif warning is None:
            self.say_with(lambda lang: text("models.picker.probed", lang, count=n, working=ok))

    def on_model_filter_list_probe_asked(self, event: ModelFilterList.ProbeAsked) -> None:
        """The picker's "Probe models" entry (by name: a mixin's @on is not collected)."""
        event.stop()
        listing = self.query_one(ModelFilterList)
        listing.display = False
        box = listing.target_input or self.query_one("#chat-model", Input)
        # the letters typed to find the entry are not a model name: the name comes back
        before = getattr(self, "model_before", {}).get(box.id or "")
        if before is not None and before != box.value:
            box.value = before
        box.focus()
        self.probe_models()
