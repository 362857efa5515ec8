"""The status-line hint of a quick prompt, following its result.

A quick prompt's purpose ("Connection, key and model name work.") is what a
*passing* reply proves; shown under a red error card it reads as a false
all-clear. So the hint says what is being tested while the reply runs, the
purpose only when every reply passed, and what the failure concerns otherwise.
"""

from __future__ import annotations

from tui.core.chat.quick_prompts import QuickPrompt
from tui.core.chat.types import ChatTurn
from tui.core.i18n.catalogue import text

__all__ = ["quick_hint"]

#: What each quick prompt puts to the test (for the failure and running hints).


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
    return text("quick.passed", lang, **values)
