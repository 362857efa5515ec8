"""Before a model probe sends more than a few requests: how many models, how many
requests, with which key (masked, with its fingerprint). y goes, n or Esc sends nothing.

The words come from the catalogue (``models.confirm.*``); the model count, the
request count and the key are the only facts, so the modal fits in one glance.
"""

from __future__ import annotations

from tui.core.i18n.catalogue import text
from tui.ui.bindings import bind
from tui.ui.screens.confirm import Confirm

__all__ = ["ConfirmProbe"]


class ConfirmProbe(Confirm):
    """ "Probe 11 models?": y (or the Yes button) probes, n / Esc / No sends nothing."""

    BINDINGS = [
        bind("y", "answer(True)", "models.confirm.b_yes", id="models.confirm.yes"),
        bind("n,escape", "answer(False)", "models.confirm.b_no", id="models.confirm.no"),
    ]

    def __init__(self, *, models: int, requests: int, key: str, key_id: str, lang: str) -> None:
        self.models, self.requests, self.key, self.key_id = models, requests, key, key_id
        self.lang = lang
        body = [
            text("models.confirm.requests", lang, requests=requests, models=models),
            text("models.confirm.key", lang, key=key, key_id=key_id),
            text("models.confirm.after", lang),
        ]
        super().__init__(
            text("models.confirm.title", lang, models=models),
            body,
            text("models.confirm.yes", lang),
            text("models.confirm.no", lang),
            yes_id="probe-yes",
            no_id="probe-no",
            box_id="probe-confirm",
        )
