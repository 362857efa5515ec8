"""Quick prompts: the integration note's order of testing, one keypress each.

The note says: first a short message with a low-cost model (connection, auth,
model name), then longer replies, Chinese Q&A, code explanation and a
multi-turn follow-up, so a failure can be placed (basic connectivity, client
behaviour or model capability). Each prompt has an English and a Chinese text;
the pane sends the one for the current language.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.i18n import pick

__all__ = ["QUICK_PROMPTS", "QuickPrompt", "prompt_by_command", "prompt_by_id"]


@dataclass(frozen=True, slots=True)
class QuickPrompt:
    """One step of the testing order: a key, a label and the prompt text."""

    id: str
    #: Key binding in the chat pane (F1 is left to help).
    key: str
    #: Slash command in the chat input (``/short``); ``/1``..``/5`` also work.
    command: str
    label: dict[str, str]
    text: dict[str, str]
    #: What a failure at this step suggests (shown as a hint).
    purpose: dict[str, str]

    def label_for(self, lang: str) -> str:
        return pick(self.label, lang)

    def text_for(self, lang: str) -> str:
        return pick(self.text, lang)

    def purpose_for(self, lang: str) -> str:
        return pick(self.purpose, lang)


QUICK_PROMPTS: tuple[QuickPrompt, ...] = (
    QuickPrompt(
        id="short",
        key="f2",
        command="short",
        label={"en": "Short test", "zh-CN": "短消息测试"},
        text={"en": "Reply with just: OK", "zh-CN": "只回复: OK"},
        purpose={
            "en": "Connection, key and model name work.",
            "zh-CN": "确认连接、鉴权和模型名正确。",
        },
    ),
    QuickPrompt(
        id="long",
        key="f3",
        command="long",
        label={"en": "Long reply", "zh-CN": "长回复"},
        text={
            "en": "Write about 300 words on how an API gateway routes requests to "
            "different model providers, in several paragraphs with a short list.",
            "zh-CN": "用大约 300 字、分几段并附一个简短列表,介绍 API 网关如何把请求路由到不同的模型供应商。",
        },
        purpose={
            "en": "Streaming holds for a longer reply (no cut, no stall).",
            "zh-CN": "长回复时流式输出稳定(不中断、不卡住)。",
        },
    ),
    QuickPrompt(
        id="chinese",
        key="f4",
        command="zh",
        label={"en": "Chinese Q&A", "zh-CN": "中文问答"},
        text={
            "en": "请用中文简单回答:什么是大语言模型?",
            "zh-CN": "请用中文简单回答:什么是大语言模型?",
        },
        purpose={
            "en": "Chinese text arrives intact (no garbled characters).",
            "zh-CN": "中文输出正常,没有乱码。",
        },
    ),
    QuickPrompt(
        id="code",
        key="f5",
        command="code",
        label={"en": "Code explanation", "zh-CN": "代码解释"},
        text={
            "en": "Explain what this Python code does:\n\n```python\n"
            "def f(xs):\n    return {x: xs.count(x) for x in set(xs)}\n```",
            "zh-CN": "解释这段 Python 代码的作用:\n\n```python\n"
            "def f(xs):\n    return {x: xs.count(x) for x in set(xs)}\n```",
        },
        purpose={
            "en": "Code blocks and Markdown come through unchanged.",
            "zh-CN": "代码块和 Markdown 格式完整。",
        },
    ),
    QuickPrompt(
        id="followup",
        key="f6",
        command="follow",
        label={"en": "Multi-turn follow-up", "zh-CN": "多轮追问"},
        text={
            "en": "Summarise your previous answer in one sentence.",
            "zh-CN": "用一句话总结你上一条回答。",
        },
        purpose={
            "en": "The conversation history is sent and understood.",
            "zh-CN": "多轮对话的上下文被正确发送。",
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
