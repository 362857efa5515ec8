"""The inspector's exports: curl to the clipboard, JSON and HAR files.

A mixin of :class:`~tui.ui.widgets.inspector.InspectorPane`, kept apart so the
pane module stays about the list; everything written is masked by
:mod:`tui.core.inspect.exports`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from tui.core.inspect import exports
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.safe.masking import mask
from tui.core.setup.state import save_text
from tui.ui import clipboard
from tui.ui.host import host
from tui.ui.widgets.inspector_labels import t

__all__ = ["InspectorExports"]


class InspectorExports:
    """``c`` curl, ``h`` HAR, ``j``/``J`` JSON for the pane that mixes this in."""

    # Provided by the pane (and Widget): exchange_log, lang, selected_exchange(),
    # notify(), app.
    exchange_log: ExchangeLog
    lang: str
    selected_exchange: Callable[[], Exchange | None]
    notify: Callable[..., None]
    app: Any

    def action_copy_curl(self) -> None:
        ex = self.selected_exchange()
        if ex is None:
            self.notify(t("nothing", self.lang), severity="warning")
            return
        method, path, error = _copy(self.app, exports.to_curl(ex), f"curl-{ex.id}")
        if error:
            self.notify(t("save_failed", self.lang, what="curl", error=error), severity="error")
        key = {"system": "copied", "osc52": "copied_osc"}.get(method, "copy_failed")
        self.notify(t(key, self.lang, path=path or "-"), severity="information")

    def action_save_har(self) -> None:
        items = self.exchange_log.all()
        if not items:
            self.notify(t("none_all", self.lang), severity="warning")
            return
        self._save_notify("HAR", "exchanges", exports.render_har(items), ".har")

    def action_save_json(self) -> None:
        ex = self.selected_exchange()
        if ex is None:
            self.notify(t("nothing", self.lang), severity="warning")
            return
        self._save_notify("JSON", f"exchange-{ex.id}", exports.render_json(ex), ".json")

    def action_save_json_all(self) -> None:
        items = self.exchange_log.all()
        if not items:
            self.notify(t("none_all", self.lang), severity="warning")
            return
        self._save_notify("JSON", "exchanges", exports.render_json(items), ".json")

    def _save_notify(self, what: str, stem: str, text: str, suffix: str) -> None:
        path = self._save(what, stem, text, suffix)
        if path is not None:
            self.notify(t("saved", self.lang, what=what, path=path))

    def _save(self, what: str, stem: str, text: str, suffix: str) -> str | None:
        try:
            return str(save_text(stem, text, suffix))
        except OSError as exc:
            error = mask(str(exc))
            self.notify(t("save_failed", self.lang, what=what, error=error), severity="error")
            return None


def _copy(app: App[Any], text: str, stem: str) -> tuple[str, str | None, str | None]:
    """Copy ``text`` and keep a copy on disk: ``(method, saved path, save error)``.

    The console's clipboard helper (system clipboard, else OSC 52, always
    saved), with the host's ``system_copy``, as the chat does.
    """
    system = host(app).system_copy
    outcome = clipboard.copy_text(text, osc52=app.copy_to_clipboard, system=system, stem=stem)
    path = str(outcome.path) if outcome.path else None
    return outcome.method, path, outcome.save_error
