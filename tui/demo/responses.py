"""OpenAI-shaped payloads the demo gateway sends: models, completions, chunks.

Replies are generated locally (the console's quick prompts answered in kind,
else an echo of the last user message plus canned text, Chinese when the
prompt is Chinese) and split into realistic token
chunks, so streams look like a real model's without any model behind them.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from typing import Any

from tui.demo.replies import in_kind

MODELS: dict[str, str] = {
    "gpt-4o-mini": "openai",
    "gpt-4o": "openai",
    "gpt-4.1-mini": "openai",
    "deepseek-chat": "deepseek",
    "deepseek-reasoner": "deepseek",
    "claude-3-5-sonnet": "anthropic",
    "qwen-plus": "alibaba",
    "glm-4-flash": "zhipu",
}
MODEL_CREATED = 1715367049
DEFAULT_MAX_TOKENS = 120
#: Upper bound on generated chunks, so a huge max_tokens cannot tie the server up.
MAX_TOKENS_CAP = 8192  # long enough for the 5,000-token chat benchmark

CANNED_EN = (
    "This reply comes from the gateway-doctor demo gateway, a local simulation of an "
    "OpenAI-compatible API. Your request reached it, the key was accepted, the model name "
    "was found and the answer is being streamed back in small token chunks, the way a real "
    "gateway forwards them from the upstream model. If you can read this sentence in your "
    "client, the connection, the authentication, the model and streaming all work."
)
CANNED_ZH = (
    "这是 gateway-doctor 演示网关的回复，它在本机模拟一个 OpenAI 兼容接口。"
    "你的请求已经到达，密钥有效，模型名称存在，回答正以小段令牌的形式流式返回，"
    "和真实网关转发上游模型输出的方式一样。如果你能在客户端里看到这段话，"
    "说明连接、鉴权、模型和流式输出都正常。"
)

_TOKEN_RE = re.compile(r"\s*[A-Za-z0-9'’\-]+|\s*[^\sA-Za-z0-9]")
_CJK_RE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
JSON_HEADERS = [("Content-Type", "application/json")]
HTML_HEADERS = [("Content-Type", "text/html; charset=utf-8")]
SSE_HEADERS = [
    ("Content-Type", "text/event-stream; charset=utf-8"),
    ("Cache-Control", "no-cache"),
    ("X-Accel-Buffering", "no"),
]


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sse(obj: Any) -> bytes:
    """One SSE event: ``data: <json>`` and a blank line."""
    return b"data: " + (obj if isinstance(obj, bytes) else dumps(obj)) + b"\n\n"


SSE_DONE = b"data: [DONE]\n\n"


def error_body(message: str, type_: str | None = None, code: Any = ..., **extra: Any) -> bytes:
    """``{"error": {...}}``; ``code`` omitted unless given (some gateways leave it out)."""
    err: dict[str, Any] = {"message": message}
    if type_ is not None:
        err["type"] = type_
    if code is not ...:
        err["code"] = code
    err.update(extra)
    return dumps({"error": err})


def models_payload() -> dict[str, Any]:
    return {"object": "list", "data": [model_object(m) for m in MODELS]}


def model_object(model: str) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": MODEL_CREATED, "owned_by": MODELS[model]}


def tokenize(text: str) -> list[str]:
    """Word-ish tokens with their leading space; each CJK character is one token."""
    return _TOKEN_RE.findall(text)


def message_text(message: Any) -> str:
    """Text of a chat message whose content is a string or a list of parts."""
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("text")
        )
    return ""


def is_chinese(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def reply_tokens(messages: list[Any], max_tokens: int | None) -> tuple[list[str], str]:
    """The reply's token chunks and finish_reason.

    A quick prompt gets its in-kind answer (:mod:`tui.demo.replies`), cut at
    ``max_tokens``. Otherwise, without ``max_tokens`` the reply is the echo plus the
    canned text (finish ``stop``); with it, exactly ``max_tokens`` chunks (capped),
    finish ``length``.
    """
    kind = in_kind(messages)
    if kind is not None:
        natural = tokenize(kind)
        if max_tokens is None:
            return natural, "stop"
        n = max(0, min(max_tokens, MAX_TOKENS_CAP))
        return natural[:n], "length" if n < len(natural) else "stop"
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    last = message_text(users[-1] if users else (messages[-1] if messages else {})).strip()
    # One line, no backticks: an echoed code fence would swallow the rest of the reply.
    flat = " ".join(last.split()).replace("`", "'")
    short = flat if len(flat) <= 200 else flat[:200] + "…"
    code = _CODE_RE.search(last)
    if is_chinese(last):
        after = "\n\n" if code else ""
        natural = tokenize(f"你说：“{short}”。") + _code_tokens(code, "这段代码：")
        natural += tokenize(after + CANNED_ZH)
        filler = tokenize(CANNED_ZH)
    else:
        natural = (
            tokenize(f'You said: "{short}".')
            + _code_tokens(code, "Here is the code you sent:")
            + tokenize(("\n\n" if code else " ") + CANNED_EN)
        )
        filler = tokenize(" " + CANNED_EN)
    if max_tokens is None:
        return natural, "stop"
    n = max(0, min(max_tokens, MAX_TOKENS_CAP))
    tokens = list(natural)
    while len(tokens) < n:
        tokens += filler
    return tokens[:n], "length"


_CODE_RE = re.compile(r"```([\w+-]*)\n(.*?)```", re.S)


def _code_tokens(code: re.Match[str] | None, intro: str) -> list[str]:
    """A prompt with a fenced block gets it back in a closed fence, as a model explaining it would."""
    if code is None:
        return []
    block = f"\n\n{intro}\n\n```{code.group(1)}\n{code.group(2).rstrip()}\n```"
    return tokenize(block)


def prompt_tokens(messages: list[Any]) -> int:
    return sum(len(tokenize(message_text(m))) + 4 for m in messages) + 3


class Completion:
    """One chat completion, rendered whole or as stream chunks."""

    def __init__(
        self,
        model: str,
        tokens: list[str],
        finish_reason: str,
        prompt: int,
        include_usage: bool = False,
    ) -> None:
        self.id = "chatcmpl-" + secrets.token_hex(12)
        self.created = int(time.time())
        self.model = model
        self.tokens = tokens
        self.finish_reason = finish_reason
        self.prompt = prompt
        self.include_usage = include_usage

    @property
    def text(self) -> str:
        return "".join(self.tokens)

    def usage(self) -> dict[str, int]:
        n = len(self.tokens)
        return {
            "prompt_tokens": self.prompt,
            "completion_tokens": n,
            "total_tokens": self.prompt + n,
        }

    def full(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": "fp_demo",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.text},
                    "logprobs": None,
                    "finish_reason": self.finish_reason,
                }
            ],
            "usage": self.usage(),
        }

    def chunk(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": "fp_demo",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if self.include_usage:
            obj["usage"] = None
        return obj

    def role_chunk(self) -> dict[str, Any]:
        return self.chunk({"role": "assistant", "content": ""})

    def content_chunk(self, token: str) -> dict[str, Any]:
        return self.chunk({"content": token})

    def finish_chunk(self) -> dict[str, Any]:
        return self.chunk({}, self.finish_reason)

    def usage_chunk(self) -> dict[str, Any]:
        obj = self.chunk({})
        obj["choices"] = []
        obj["usage"] = self.usage()
        return obj

    def tail_events(self) -> list[bytes]:
        """Finish chunk, the optional usage chunk and ``[DONE]``."""
        out = [sse(self.finish_chunk())]
        if self.include_usage:
            out.append(sse(self.usage_chunk()))
        out.append(SSE_DONE)
        return out


def html_page(title: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        f"{title}</title></head>\n<body>{body}</body></html>\n"
    ).encode()


NOT_FOUND_HTML = html_page("404 page not found", "<h1>404 page not found</h1>")
SPA_HTML = html_page(
    "New API",
    '<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>'
    '<script type="module" src="/assets/index-3f9a1c.js"></script>',
)
NGINX_405_HTML = html_page(
    "405 Not Allowed", "<center><h1>405 Not Allowed</h1></center><hr><center>nginx</center>"
)
CLOUDFLARE_524_HTML = html_page(
    "api.example.com | 524: A timeout occurred",
    '<div id="cf-wrapper"><h1><span class="cf-error-type">Error</span> '
    '<span class="cf-error-code">524</span></h1><h2 class="cf-subheadline">A timeout occurred</h2>'
    "<p>The origin web server timed out responding to this request.</p>"
    '<p>Cloudflare Ray ID: <strong class="font-semibold">8c1f2a3b4d5e6f70</strong></p></div>',
)
