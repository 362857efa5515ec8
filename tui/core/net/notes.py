"""Notes on an exchange ("not needed: …", "retry of ex-0004"), kept as messages.

An exchange is recorded data (logged, exported, saved as HAR): ``ex.note`` keeps the
English line for those. The console reads ``ex.note_messages`` (each a message in
JSON form, masked with the rest of the exchange) and writes them in the user's language.
"""

from __future__ import annotations

from tui.core.i18n.catalogue import Msg, join, render
from tui.core.net.exchange import Exchange
from tui.core.net.transport_error import thaw


def set_note(ex: Exchange, message: Msg) -> None:
    """Replace the notes of ``ex`` with ``message``."""
    ex.note_messages = [message.to_json()]
    ex.note = render(message, "en")


def add_note(ex: Exchange, message: Msg) -> None:
    """Add ``message`` to the notes of ``ex``."""
    ex.note_messages = [*ex.note_messages, message.to_json()]
    ex.note = join([render(thaw(m), "en") for m in ex.note_messages], "en")


def note_ids(ex: Exchange) -> list[str]:
    """The message ids of the notes of ``ex`` (what a note says, without reading words)."""
    return [str(m.get("id")) for m in ex.note_messages if isinstance(m, dict)]


def note_text(ex: Exchange, lang: str = "en") -> str:
    """The notes of ``ex`` in ``lang`` (the recorded English line for an old record)."""
    messages = [thaw(m) for m in ex.note_messages if isinstance(m, dict) and "id" in m]
    if not messages:
        return ex.note
    return join([render(m, lang) for m in messages], lang)
