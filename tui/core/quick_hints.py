"""The status-line hint of a quick prompt, following its result.

A quick prompt's purpose ("Connection, key and model name work.") is what a
*passing* reply proves; shown under a red error card it reads as a false
all-clear. So the hint says what is being tested while the reply runs, the
purpose only when every reply passed, and what the failure concerns otherwise.
"""

from __future__ import annotations

from tui.core.chat_types import ChatTurn
from tui.core.i18n import translate
from tui.core.quick_prompts import QuickPrompt

__all__ = ["quick_hint"]

#: What each quick prompt puts to the test (for the failure and running hints).
TESTS: dict[str, dict[str, str]] = {
    "short": {"en": "connection, key and model name", "zh-CN": "连接、鉴权和模型名"},
    "long": {"en": "streaming of a longer reply", "zh-CN": "较长回复的流式输出"},
    "chinese": {"en": "Chinese text", "zh-CN": "中文输出"},
    "code": {"en": "code blocks and Markdown", "zh-CN": "代码块和 Markdown 格式"},
    "followup": {"en": "the conversation history", "zh-CN": "多轮对话的上下文"},
}

T: dict[str, dict[str, str]] = {
    "running": {"en": "{label}: testing {tests}…", "zh-CN": "{label}：正在测试{tests}…"},
    "passed": {"en": "✓ {label}: {purpose}", "zh-CN": "✓ {label}：{purpose}"},
    "failed": {
        "en": "✗ {label} failed ({code}): see the error above. This step tests {tests}.",
        "zh-CN": "✗ {label}失败（{code}）：见上方错误。这一步测试的是{tests}。",
    },
    "stopped": {
        "en": "■ {label} stopped by you: nothing is proven yet.",
        "zh-CN": "■ {label}已由你停止：尚不能说明问题。",
    },
}


def quick_hint(qp: QuickPrompt, turns: list[ChatTurn] | None, lang: str = "en") -> str:
    """The hint for ``qp``: running (``turns`` None), passed, failed or stopped."""
    values = {
        "label": qp.label_for(lang),
        "tests": translate(TESTS, qp.id, lang),
        "purpose": qp.purpose_for(lang),
    }
    if turns is None:
        return translate(T, "running", lang, **values)
    failed = [turn.reply.error for turn in turns if turn.reply.error is not None]
    if failed:
        codes = ", ".join(dict.fromkeys(err.code for err in failed))
        return translate(T, "failed", lang, code=codes, **values)
    if any(turn.reply.stopped for turn in turns):
        return translate(T, "stopped", lang, **values)
    return translate(T, "passed", lang, **values)
