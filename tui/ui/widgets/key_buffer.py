"""Keys typed while a pane is still being built, kept for it instead of lost.

A pane asked for before it exists (``2`` in the first second, then the question
typed straight away) takes ~300 ms to build. Meanwhile the keys went to the
checklist, where ``q`` quits and ``s`` opens the scenario picker. This invisible
widget takes the focus for that time and keeps every key; the screen replays them
into the pane once it has the focus.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget

#: More than anyone types in the time a pane takes to build; the rest is dropped.
MAX_KEPT = 256


class KeyBuffer(Widget, can_focus=True):
    """Focused while a pane is being built: keeps the keys typed meanwhile."""

    DEFAULT_CSS = "KeyBuffer { width: 0; height: 0; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.keys: list[events.Key] = []

    def on_key(self, event: events.Key) -> None:
        if len(self.keys) < MAX_KEPT:
            self.keys.append(events.Key(event.key, event.character))
        event.stop()
        event.prevent_default()

    def take(self) -> list[events.Key]:
        """The keys kept so far, as new events to post (and forget them)."""
        keys, self.keys = self.keys, []
        return keys
