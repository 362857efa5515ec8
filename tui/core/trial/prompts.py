"""What each stage sends and how its answer is judged: pure functions, no network.

The prompts are data sent to the model, not text shown to the user (each literal
is marked). The demo gateway answers them exactly (``tui/demo/trial_replies.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SHORT_PROMPT = "Reply with just: OK"  # not-ui-text: prompt sent to the model
LONG_REPLY_END = "END-OF-TRIAL-REPLY"
LONG_REPLY_PROMPT = (
    "Write a detailed article of about 1,200 words on how an API gateway streams a"  # not-ui-text: prompt sent to the model
    f" model's reply to a client. Finish with a line that says exactly {LONG_REPLY_END}"  # not-ui-text: prompt sent to the model
)
MARK_START = "TRIAL-MARKER-START-ALPHA"
MARK_END = "TRIAL-MARKER-END-OMEGA"
CONTEXT_ASK = (
    "The text above began with a marker and ends with another. Reply with just the two"  # not-ui-text: prompt sent to the model
    " markers, separated by one space."  # not-ui-text: prompt sent to the model
)
_FILLER = "The quick brown fox jumps over the lazy dog near the river bank today. "  # not-ui-text: filler sent to the model
#: Tokens per filler sentence (13 words and a full stop; tokenizers agree closely).
_FILLER_TOKENS = 14
CHINESE_SENTENCE = "网关诊断：中文、全角标点（，。！？）与生僻字“龘”都应原样返回。"  # not-ui-text: sent to the model
CHINESE_PROMPT = f"请原样重复下面这句话，不要添加任何内容：{CHINESE_SENTENCE}"  # not-ui-text: prompt sent to the model
CODE_SNIPPET = 'const 名字 = `a<b && c>d`;\n\tif (x < 1 && y > 2) {\n\t\treturn "<b>&amp;</b>";\n\t}'  # not-ui-text: code sent to the model
CODE_PROMPT = (
    "Repeat the following code exactly, inside a fenced code block marked js, and nothing else:\n\n"  # not-ui-text: prompt sent to the model
    f"```js\n{CODE_SNIPPET}\n```"
)
FACT_WORD = "MARIGOLD-42"
TURN_1 = f"Remember this code word for later: {FACT_WORD}. Reply with just: OK"  # not-ui-text: prompt sent to the model
TURN_2 = "What is 2 + 3? Reply with just the number."  # not-ui-text: prompt sent to the model
TURN_3 = "What was the code word I asked you to remember? Reply with just the word."  # not-ui-text: prompt sent to the model
RECOVERY_PROMPT = (
    "Count from 1 to 200, one number per line."  # not-ui-text: prompt sent to the model
)


def user(content: str) -> dict[str, str]:
    return {"role": "user", "content": content}


def context_prompt(tokens: int) -> str:
    """About ``tokens`` tokens: the start marker, filler, the end marker, the question."""
    n = max(1, (tokens - 40) // _FILLER_TOKENS)
    return f"{MARK_START}\n{_FILLER * n}\n{MARK_END}\n\n{CONTEXT_ASK}"


def context_tokens_estimate(tokens: int) -> int:
    """What :func:`context_prompt` costs in tokens (for the budget)."""
    return max(1, (tokens - 40) // _FILLER_TOKENS) * _FILLER_TOKENS + 40


def context_seen(reply: str) -> tuple[bool, bool]:
    """Whether the reply carries the start and the end marker."""
    return MARK_START in reply, MARK_END in reply


# -- Chinese -------------------------------------------------------------------

#: Latin-1/CP1252 letters that UTF-8 Chinese turns into when read with the wrong charset.
_MOJIBAKE = re.compile(r"[\u00c3-\u00ef][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")


@dataclass(frozen=True, slots=True)
class TextVerdict:
    what: str  # ok, mojibake, replacement, changed, escaped, fence_damaged
    sample: str = ""


def judge_chinese(reply: str) -> TextVerdict:
    """Byte-for-byte: the sentence back, else which damage it shows."""
    got = unicodedata.normalize("NFC", reply.strip().strip("“”\"'"))
    if got == CHINESE_SENTENCE or CHINESE_SENTENCE in reply:
        return TextVerdict("ok")
    if "\ufffd" in reply:
        return TextVerdict("replacement", _around(reply, reply.index("\ufffd")))
    for charset in ("cp1252", "latin-1"):
        try:
            if CHINESE_SENTENCE in reply.encode(charset).decode("utf-8"):
                return TextVerdict("mojibake", reply[:24])
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    m = _MOJIBAKE.search(reply)
    if m and not re.search(r"[\u4e00-\u9fff]", reply):
        return TextVerdict("mojibake", _around(reply, m.start()))
    return TextVerdict("changed", reply[:60])


def _around(text: str, at: int) -> str:
    return text[max(0, at - 8) : at + 8]


# -- code ----------------------------------------------------------------------

#: What an HTML-escaped snippet shows (its ``<`` and ``&`` as entities).
_ENTITIES = ("&lt;", "&gt;", "&amp;amp;", "&amp;&amp;")  # not-ui-text: HTML entities looked for
_FENCE = re.compile(r"```[ \t]*([\w+-]*)[ \t]*\n(.*?)\n?```", re.S)


def judge_code(reply: str) -> TextVerdict:
    """The snippet back inside a closed fence, with its <, &, backticks and tabs."""
    m = _FENCE.search(reply)
    if m is None:
        escaped = "&lt;" in reply or "&amp;amp;" in reply  # not-ui-text: HTML entities looked for
        return TextVerdict("escaped" if escaped else "fence_damaged", reply[:60])
    body = m.group(2)
    if body.rstrip("\n") == CODE_SNIPPET:
        return TextVerdict("ok")
    if any(e in body for e in _ENTITIES):
        at = body.find("&")
        return TextVerdict("escaped", _around(body, at))
    if "`" not in body:
        return TextVerdict("fence_damaged", body[:40])
    return TextVerdict("changed", _first_difference(body, CODE_SNIPPET))


def _first_difference(got: str, want: str) -> str:
    i = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), None)
    i = min(len(got), len(want)) if i is None else i
    return repr(got[max(0, i - 6) : i + 10])[1:-1]


def remembered(reply: str) -> bool:
    return FACT_WORD in reply
