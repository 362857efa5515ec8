"""Demo reply generation: the echo never opens a code block that swallows the reply."""

from __future__ import annotations

from tui.demo.responses import MAX_TOKENS_CAP, reply_tokens


def test_echo_is_one_line_without_backticks() -> None:
    tokens, finish = reply_tokens(
        [{"role": "user", "content": "explain\n```python\nprint('x')\n```"}], None
    )
    text = "".join(tokens)
    assert finish == "stop" and "`" not in text and "\n" not in text.split(".")[0]


def test_long_replies_for_the_chat_benchmark() -> None:
    tokens, finish = reply_tokens([{"role": "user", "content": "hi"}], 5000)
    assert MAX_TOKENS_CAP >= 5000 and len(tokens) == 5000 and finish == "length"
