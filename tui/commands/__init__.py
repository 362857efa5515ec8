"""The subcommands, imported lazily by :mod:`tui.cli`.

:func:`say` and :func:`say_json` are how ``profile`` and ``key`` write: a
profile's name, address or model is whatever the user (or a hand-edited or
imported config) put there, so every line is masked and made terminal-safe
before it reaches the terminal.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def say(text: str = "", *, err: bool = False) -> None:
    """Print one masked, terminal-safe line to stdout (or stderr)."""
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe

    (sys.stderr if err else sys.stdout).write(terminal_safe(mask(text)) + "\n")


def say_json(data: Any) -> None:
    """Print ``data`` as masked JSON that stays valid (DEL and C1 escaped)."""
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import json_safe

    sys.stdout.write(json_safe(mask(json.dumps(data, ensure_ascii=False, indent=2))) + "\n")


def error_text(exc: BaseException, lang: str) -> str:
    """What went wrong, in ``lang``: the exception's ``.message`` (a catalogue
    :class:`~tui.core.i18n.catalogue.Msg`) when it has one, else its text."""
    from tui.core.i18n.catalogue import Msg, render

    message = getattr(exc, "message", None)
    return render(message, lang) if isinstance(message, Msg) else str(exc)
