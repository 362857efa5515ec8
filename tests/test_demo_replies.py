"""The demo gateway answers each quick prompt in kind (issue 15): the long reply is
long enough to scroll, code comes in fenced blocks, Chinese in Chinese, and the
follow-up refers to the earlier turn (real loopback sockets, streamed)."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.conftest import FAKE_KEY
from tui.core.chat.quick_prompts import prompt_by_id

AUTH = {"Authorization": f"Bearer {FAKE_KEY}"}


def ask(gw, messages: list[dict]) -> tuple[str, str]:
    """Stream one chat completion from the demo gateway: (text, finish_reason)."""
    body = {"model": "gpt-4o-mini", "messages": messages, "stream": True}
    parts, finish = [], ""
    with httpx.Client(timeout=20, headers=AUTH) as c:
        with c.stream("POST", gw.base_url + "/chat/completions", json=body) as r:
            assert r.status_code == 200
            for line in r.iter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                choice = json.loads(line[6:])["choices"][0]
                parts.append(choice["delta"].get("content") or "")
                finish = choice.get("finish_reason") or finish
    return "".join(parts), finish


def quick(gw, prompt_id: str, lang: str) -> str:
    qp = prompt_by_id(prompt_id)
    assert qp is not None
    text, finish = ask(gw, [{"role": "user", "content": qp.text_for(lang)}])
    assert finish == "stop"
    return text


def test_short_test_is_answered_ok(demo_gateway) -> None:
    assert quick(demo_gateway, "short", "en") == "OK"
    assert quick(demo_gateway, "short", "zh-CN") == "OK"


def test_long_reply_is_long_with_paragraphs_and_a_list(demo_gateway) -> None:
    text = quick(demo_gateway, "long", "en")
    assert len(text.split()) >= 800, len(text.split())
    assert text.count("\n\n") >= 8
    assert re.search(r"^1\. ", text, re.M) and re.search(r"^- ", text, re.M)
    zh = quick(demo_gateway, "long", "zh-CN")
    assert len(zh) >= 1500 and re.search(r"^1\. ", zh, re.M)
    assert len(re.findall(r"[\u4e00-\u9fff]", zh)) >= 1200


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_code_explanation_has_fenced_code_blocks(demo_gateway, lang: str) -> None:
    text = quick(demo_gateway, "code", lang)
    assert text.count("```python") >= 2 and text.count("```") % 2 == 0
    assert "xs.count(x)" in text and "Counter" in text


def test_chinese_question_is_answered_in_chinese(demo_gateway) -> None:
    text = quick(demo_gateway, "chinese", "en")
    assert "大语言模型" in text
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > len(re.findall(r"[A-Za-z]", text)) * 3


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_follow_up_refers_to_the_earlier_turn(demo_gateway, lang: str) -> None:
    first = prompt_by_id("chinese").text_for(lang)  # type: ignore[union-attr]
    answer, _ = ask(demo_gateway, [{"role": "user", "content": first}])
    follow = prompt_by_id("followup").text_for(lang)  # type: ignore[union-attr]
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": follow},
    ]
    text, _ = ask(demo_gateway, history)
    assert answer.split("，")[0] in text and "什么是大语言模型" in text, text
    # without the history the demo says the client sent none
    alone = quick(demo_gateway, "followup", lang)
    assert "history" in alone or "历史" in alone
