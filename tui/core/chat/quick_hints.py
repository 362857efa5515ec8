"""The status-line hint of a quick prompt, following its result.

A quick prompt's purpose ("Connection, key and model name work.") is what a
*passing* reply proves; shown under a red error card it reads as a false
all-clear. So the hint says what is being tested while the reply runs, the
purpose only when every reply passed, and what the failure concerns otherwise.
A reply that arrived but carries a note (``stream.garbled`` …) has not passed
either: garbled text (flagged by the stream, or U+FFFD in the text) fails the
step, any other note turns the ✓ into a "!" naming it.
"""

from __future__ import annotations

from tui.core.chat.quick_prompts import QuickPrompt
from tui.core.chat.types import ChatTurn
from tui.core.diagnosis.remediation import remedy
from tui.core.i18n.catalogue import text

__all__ = ["quick_hint"]

#: The note of a reply whose text is damaged: the step failed, whatever it tests.
GARBLED = "stream.garbled"


def quick_hint(qp: QuickPrompt, turns: list[ChatTurn] | None, lang: str = "en") -> str:
    """The hint for ``qp``: running (``turns`` None), passed, failed or stopped."""
    values = {
        "label": qp.label_for(lang),
        "tests": text(f"quick.tests.{qp.id}", lang),
        "purpose": qp.purpose_for(lang),
    }
    if turns is None:
        return text("quick.running", lang, **values)
    failed = [turn.reply.error for turn in turns if turn.reply.error is not None]
    if failed:
        codes = ", ".join(dict.fromkeys(err.code for err in failed))
        return text("quick.failed", lang, code=codes, **values)
    if any(turn.reply.stopped for turn in turns):
        return text("quick.stopped", lang, **values)
    notes = list(dict.fromkeys(note for turn in turns for note in _notes(turn)))
    if notes:
        notes.sort(key=lambda note: note != GARBLED)  # the garbling first: it fails the step
        key = "quick.garbled" if notes[0] == GARBLED else "quick.warned"
        title = remedy(notes[0], lang).title
        return text(key, lang, code=", ".join(notes), title=title, **values)
    return text("quick.passed", lang, **values)


def _notes(turn: ChatTurn) -> list[str]:
    """The reply's notes, with ``stream.garbled`` for U+FFFD in its text even when the
    stream did not flag it (a plain JSON reply is not scanned as a stream)."""
    reply = turn.reply
    if "\ufffd" in reply.content and GARBLED not in reply.notes:
        return [*reply.notes, GARBLED]
    return list(reply.notes)
