"""Demo reply generation: the echo never opens a code block that swallows the reply."""

from __future__ import annotations

from tui.demo.responses import MAX_TOKENS_CAP, reply_tokens


def test_echo_is_one_line_without_backticks() -> None:
    tokens, finish = reply_tokens(
        [{"role": "user", "content": "explain\n```python\nprint('x')\n```"}], None
    )
    echo = "".join(tokens).split("\n")[0]
    assert finish == "stop" and echo.startswith("You said:") and "`" not in echo


def test_long_replies_for_the_chat_benchmark() -> None:
    tokens, finish = reply_tokens([{"role": "user", "content": "hi"}], 5000)
    assert MAX_TOKENS_CAP >= 5000 and len(tokens) == 5000 and finish == "length"


def test_a_code_prompt_gets_a_closed_fenced_block_back() -> None:
    prompt = "Explain:\n```python\ndef f(xs):\n    return 1\n```\nThanks"
    text = "".join(reply_tokens([{"role": "user", "content": prompt}], None)[0])
    assert "```python\ndef f(xs):\n    return 1\n```\n\n" in text
    assert text.count("```") == 2
