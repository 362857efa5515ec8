"""In-kind demo replies to the console's quick prompts.

The quick prompts test one thing each (a short answer, a long stream, Chinese,
code blocks, the conversation history), so the demo gateway must answer each
the way a model would: a long reply long enough to scroll, code in fenced
blocks, Chinese in Chinese, and a follow-up that quotes the earlier turn (or
says plainly that no history was sent). Anything else gets the echo reply.
"""

from __future__ import annotations

import re
from typing import Any

from tui.demo.long_text import LONG_EN, LONG_ZH
from tui.demo.trial_replies import trial_reply

__all__ = ["in_kind"]

_SHORT = re.compile(r"^(reply with just|只回复)\s*[:：]\s*ok\b", re.I)
_LONG = re.compile(r"\b300 words\b|300 字")
_FOLLOW = re.compile(r"previous answer|上一条回答|上一个回答")
_LLM_ZH = re.compile(r"大语言模型|大模型")
_COUNT_CODE = re.compile(r"xs\.count\(x\)")

CODE_EN = """This function counts how often each distinct value occurs in a list.

```python
def f(xs):
    return {x: xs.count(x) for x in set(xs)}
```

Step by step:

1. `set(xs)` keeps each distinct value once, so every value is counted a single time.
2. For each value `x`, `xs.count(x)` walks the whole list and counts its occurrences.
3. The dict comprehension maps each value to its count.

For example:

```python
>>> f(["a", "b", "a", "c", "a"])
{'a': 3, 'b': 1, 'c': 1}
```

The key order follows the set, so it may differ between runs. Each `count` scans the
whole list, so the function is O(n·k) for n items and k distinct values. The standard
library does the same in one pass:

```python
from collections import Counter

def f(xs):
    return dict(Counter(xs))
```
"""

CODE_ZH = """这个函数统计列表里每个不同的值各出现了几次。

```python
def f(xs):
    return {x: xs.count(x) for x in set(xs)}
```

逐步来看：

1. `set(xs)` 去掉重复值，保证每个值只统计一次。
2. 对每个值 `x`，`xs.count(x)` 遍历整个列表，数出它出现的次数。
3. 字典推导式把每个值映射到它的次数。

例如：

```python
>>> f(["a", "b", "a", "c", "a"])
{'a': 3, 'b': 1, 'c': 1}
```

键的顺序取决于集合，每次运行可能不同。每次 `count` 都要扫描整个列表，
n 个元素、k 个不同值时复杂度是 O(n·k)。标准库一次遍历就能做到：

```python
from collections import Counter

def f(xs):
    return dict(Counter(xs))
```
"""

LLM_ZH = (
    "大语言模型（LLM）是用海量文本训练出来的神经网络，核心能力是根据前文预测下一个词。"
    "训练时它从书籍、网页和代码中学到语法、知识和推理的模式；使用时，你输入一段话，"
    "它一个词一个词地生成回答。\n\n"
    "常见的例子有 GPT、Claude、DeepSeek、通义千问和智谱 GLM。它们能写作、翻译、总结、"
    "写代码和回答问题，但也可能一本正经地说错话（“幻觉”），重要的事实最好再核对一下。"
)


def _text(message: Any) -> str:
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _first_sentence(text: str, limit: int = 160) -> str:
    flat = " ".join(text.replace("`", "'").replace("#", "").split())
    m = re.search(r"(.+?[.!?。！？])(\s|$)", flat)
    out = m.group(1) if m else flat
    return out if len(out) <= limit else out[: limit - 1] + "…"


def _follow_up(messages: list[Any], chinese: bool) -> str:
    """Quote the earlier turn, or say that the client sent no history."""
    earlier = [m for m in messages[:-1] if isinstance(m, dict) and m.get("role") == "assistant"]
    asked = [m for m in messages[:-1] if isinstance(m, dict) and m.get("role") == "user"]
    if not earlier:
        if chinese:
            return (
                "这次请求里没有上一条回答：客户端只发送了这一条消息，没有带上对话历史，"
                "所以我无法总结。多轮对话需要客户端把之前的消息一起发送。"
            )
        return (
            "There is no previous answer in this request: the client sent only this message, "
            "without the conversation history, so there is nothing to summarise. Multi-turn "
            "chat needs the client to send the earlier messages too."
        )
    said = _first_sentence(_text(earlier[-1]))
    question = _first_sentence(_text(asked[-1]) if asked else "", 80)
    if chinese:
        return f"一句话总结：你问的是“{question}”，我上一条回答说：“{said}”"
    return f'In one sentence: you asked "{question}", and my previous answer said: "{said}"'


def in_kind(messages: list[Any]) -> str | None:
    """The reply a model would give to one of the quick prompts, else None."""
    trial = trial_reply(messages)
    if trial is not None:
        return trial
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    last = _text(users[-1]).strip() if users else ""
    chinese = bool(re.search(r"[\u3400-\u9fff]", last))
    if _SHORT.search(last):
        return "OK"
    if _LONG.search(last):
        return LONG_ZH if chinese else LONG_EN
    if _COUNT_CODE.search(last):
        return CODE_ZH if chinese and "解释" in last else CODE_EN
    if _FOLLOW.search(last):
        return _follow_up(messages, chinese)
    if chinese and _LLM_ZH.search(last):
        return LLM_ZH
    return None
