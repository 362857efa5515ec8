"""The demo model's answers to the roll-out trial's prompts (issue 16), exact and
deterministic, as a capable model would give them: repeat a sentence or a code block
back, return the markers of a long prompt, remember a code word, count, write long.

Read from the prompt's own words (no import of the trial's constants): a client could
send the same requests and get the same answers.
"""

from __future__ import annotations

import re
from typing import Any

from tui.demo.long_text import LONG_EN

__all__ = ["trial_reply"]

_REPEAT_ZH = re.compile(r"请原样重复下面这句话[^：:]*[：:](.+)\s*$", re.S)
_REPEAT_CODE = re.compile(r"Repeat the following code exactly.*?(```[^\n]*\n.*?```)", re.S)
_MARKERS = re.compile(r"TRIAL-MARKER-(?:START|END)-[A-Z]+")
_ASK_MARKERS = re.compile(r"Reply with just the two\s+markers")
_LONG = re.compile(r"Finish with a line that says exactly (\S+)")
_REMEMBER = re.compile(r"Remember this code word for later: ([A-Za-z0-9-]+)\.")
_ASK_WORD = re.compile(r"What was the code word")
_SUM = re.compile(r"What is (\d+) \+ (\d+)\?")
_COUNT = re.compile(r"Count from (\d+) to (\d+), one number per line")

_FORGOT = "I don't know: no earlier message in this conversation gives me a code word."  # not-ui-text: the model's words


def _text(message: Any) -> str:
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, str) else ""


def long_article(end: str) -> str:
    """About 1,200 tokens: the long article, a closing paragraph, then the end line."""
    closing = (
        "## In short\n\nA gateway that streams well forwards each event as soon as the "  # not-ui-text: the model's words
        "upstream sends it, keeps the connection open for as long as the answer takes, and "  # not-ui-text: the model's words
        "ends the stream with a finish reason and a final [DONE] line, so the client knows "  # not-ui-text: the model's words
        "the answer is complete."  # not-ui-text: the model's words
    )
    return f"{LONG_EN.strip()}\n\n{closing}\n\n{end}"


def trial_reply(messages: list[Any]) -> str | None:
    """The answer to one of the trial's prompts, else None."""
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    last = _text(users[-1]) if users else ""
    if _ASK_MARKERS.search(last):
        return " ".join(_MARKERS.findall(last))
    m = _LONG.search(last)
    if m:
        return long_article(m.group(1))
    m = _REPEAT_ZH.search(last)
    if m:
        return m.group(1).strip()
    m = _REPEAT_CODE.search(last)
    if m:
        return m.group(1)
    if _REMEMBER.search(last):
        return "OK"
    m = _SUM.search(last)
    if m:
        return str(int(m.group(1)) + int(m.group(2)))
    if _ASK_WORD.search(last):
        for earlier in users[:-1]:
            said = _REMEMBER.search(_text(earlier))
            if said:
                return said.group(1)
        return _FORGOT
    m = _COUNT.search(last)
    if m:
        lo, hi = int(m.group(1)), min(int(m.group(2)), 2000)
        return "\n".join(str(i) for i in range(lo, hi + 1))
    return None
