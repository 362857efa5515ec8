"""Quick prompts: the integration note's order of testing, one keypress each.

The note says: first a short message with a low-cost model (connection, auth,
model name), then longer replies, Chinese Q&A, code explanation and a
multi-turn follow-up, so a failure can be placed (basic connectivity, client
behaviour or model capability). Each prompt has an English and a Chinese text;
the pane sends the one for the current language (they are requests to the model,
kept here as data; their labels and purposes are catalogue messages).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.i18n import normalize_lang
from tui.core.i18n.catalogue import text as catalogue_text

__all__ = ["QUICK_PROMPTS", "QuickPrompt", "prompt_by_command", "prompt_by_id"]


@dataclass(frozen=True, slots=True)
class QuickPrompt:
    """One step of the testing order: a key, the prompt text per language.

    Its label and purpose are catalogue messages (``quick.label.<id>``,
    ``quick.purpose.<id>``); the prompt itself is sent to the model.
    """

    id: str
    #: Key binding in the chat pane (F1 is left to help).
    key: str
    #: Slash command in the chat input (``/short``); ``/1``..``/5`` also work.
    command: str
    #: The prompt sent to the model, by language (``en``, ``zh-CN``).
    text: dict[str, str]

    def label_for(self, lang: str) -> str:
        return catalogue_text(f"quick.label.{self.id}", lang)

    def text_for(self, lang: str) -> str:
        return self.text.get(normalize_lang(lang) or "en") or self.text["en"]

    def purpose_for(self, lang: str) -> str:
        """What a passing reply to it proves."""
        return catalogue_text(f"quick.purpose.{self.id}", lang)


#: The prompts are sent TO the model (in the user's language on purpose, to test it):
#: they are data, not text of our UI (each line marked so).
QUICK_PROMPTS: tuple[QuickPrompt, ...] = (
    QuickPrompt(
        "short",
        "f2",
        "short",
        {"en": "Reply with just: OK", "zh-CN": "只回复：OK"},  # not-ui-text: prompt to the model
    ),
    QuickPrompt(
        "long",
        "f3",
        "long",
        {
            "en": "Write about 300 words on how an API gateway routes requests to "  # not-ui-text: prompt to the model
            "different model providers, in several paragraphs with a short list.",
            "zh-CN": "用大约 300 字、分几段并附一个简短列表，"  # not-ui-text: prompt to the model
            "介绍 API 网关如何把请求路由到不同的模型供应商。",
        },
    ),
    QuickPrompt(
        "chinese",
        "f4",
        "zh",
        {
            "en": "请用中文简单回答：什么是大语言模型？",  # not-ui-text: prompt to the model
            "zh-CN": "请用中文简单回答：什么是大语言模型？",  # not-ui-text: prompt to the model
        },
    ),
    QuickPrompt(
        "code",
        "f5",
        "code",
        {
            "en": (
                "Explain what this Python code does:\n\n```python\n"  # not-ui-text: to the model
                "def f(xs):\n    return {x: xs.count(x) for x in set(xs)}\n```"
            ),
            "zh-CN": (
                "解释这段 Python 代码的作用：\n\n```python\n"  # not-ui-text: to the model
                "def f(xs):\n    return {x: xs.count(x) for x in set(xs)}\n```"
            ),
        },
    ),
    QuickPrompt(
        "followup",
        "f6",
        "follow",
        {
            "en": "Summarise your previous answer in one sentence.",  # not-ui-text: prompt to the model
            "zh-CN": "用一句话总结你上一条回答。",  # not-ui-text: prompt to the model
        },
    ),
)


def prompt_by_id(prompt_id: str) -> QuickPrompt | None:
    """The quick prompt called ``prompt_id`` (``short``, ``long``, ...), if any."""
    for qp in QUICK_PROMPTS:
        if qp.id == prompt_id:
            return qp
    return None


def prompt_by_command(word: str) -> QuickPrompt | None:
    """The quick prompt for a slash command word: ``short``, ``zh`` or ``1``..``5``."""
    word = word.strip().lstrip("/").lower()
    if word.isdigit() and 1 <= int(word) <= len(QUICK_PROMPTS):
        return QUICK_PROMPTS[int(word) - 1]
    for qp in QUICK_PROMPTS:
        if word in {qp.command, qp.id}:
            return qp
    return None
