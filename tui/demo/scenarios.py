"""The demo gateway's fault scenarios: what each does and what a user would see.

The data here feeds ``--list-scenarios``, docs/scenarios.md and the tests;
the byte-level behaviour lives in ``server.py`` (requests) and
``streams.py`` (SSE), keyed by these ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.demo import words
from tui.demo.http11 import Headers
from tui.demo.responses import JSON_HEADERS, error_body


@dataclass(frozen=True)
class Scenario:
    id: str
    #: What the server does.
    does: str
    #: What a Chatbox user sees (English / Simplified Chinese).
    symptom: str
    symptom_zh: str
    #: What ``gateway-doctor check`` reports.
    expected: str
    #: Hardening-only scenario (parser robustness), not a gateway fault users report.
    extra: bool = False


_S = Scenario
_LIST: list[Scenario] = [
    _S("healthy", "everything works; each answered completion costs 0.001 USD",
       "replies stream normally", "回复正常流式显示", "all pass"),
    _S("invalid_key", "every authed endpoint 401 invalid_api_key",
       "401 Incorrect API key provided", "401 提示 API key 不正确", "auth.invalid_key"),
    _S("key_disabled", "401 new-api 该令牌状态不可用", "401 该令牌状态不可用 (token disabled)",
       "401 该令牌状态不可用", "auth.key_disabled"),
    _S("key_expired", "401 new-api 该令牌已过期", "401 该令牌已过期 (token expired)",
       "401 该令牌已过期", "auth.key_expired"),
    _S("ip_not_allowed", "403 new-api: IP not in the key's allow list",
       "403 您的 IP 不在令牌允许访问的列表中", "403 您的 IP 不在令牌允许访问的列表中",
       "auth.ip_not_allowed"),
    _S("quota_exhausted", "chat 429 insufficient_quota; balance 0 left",
       "429 You exceeded your current quota", "429 提示额度已用完", "balance.insufficient"),
    _S("token_quota_exhausted", "new-api: every authed endpoint 401 token quota is exhausted",
       "401 token quota is exhausted", "401 token quota is exhausted（令牌额度用尽）",
       "balance.insufficient (auth passes, detail points at balance)"),
    _S("token_quota_exhausted_zh", "as token_quota_exhausted, Chinese message",
       "401 该令牌额度已用尽", "401 该令牌额度已用尽", "balance.insufficient"),
    _S("payment_required", "chat 402 OpenRouter Insufficient credits",
       "402 Insufficient credits", "402 余额不足（Insufficient credits）",
       "balance.insufficient, saying the balance endpoint still shows 87.66 USD (they disagree)"),
    _S("low_balance", "balance: 100 USD limit, 99.58 used (0.42 left)",
       "works; the console shows almost no balance left", "可以用，但控制台显示余额所剩无几",
       "balance.low (warn), exit 0"),
    _S("model_not_found",
       "/models lists gpt-4o-mini-2024-07-18, not gpt-4o-mini; chat 404 model_not_found for every model",
       "404 The model `gpt-4o-mini` does not exist", "404 模型不存在",
       "model.not_found naming the closest listed names"),
    _S("no_channel", "chat 503 No available channel for model ... (new-api)",
       "503 No available channel for model", "503 无可用渠道（No available channel）",
       "model.unavailable"),
    _S("no_channel_zh", "chat 503 当前分组 default 下对于模型 ... 无可用渠道",
       "503 当前分组下对于模型无可用渠道", "503 当前分组下对于模型无可用渠道", "model.unavailable"),
    _S("rate_limited", "chat 429 rate_limit_exceeded + Retry-After: 20",
       "429 Rate limit reached for requests", "429 请求过于频繁", "model.rate_limited"),
    _S("server_error", "chat 500 internal error", "500 internal error", "500 服务器内部错误",
       "model.server_error"),
    _S("cloudflare_524", "chat 524 Cloudflare HTML page 'A timeout occurred'",
       "524 / an HTML page instead of an answer", "524 或一段 HTML 页面而不是回答",
       "model.gateway_error"),
    _S("slow_headers", "every request waits 30 s before the status line",
       "spins, then request timed out", "一直转圈，然后提示请求超时",
       "network.timeout (with --timeout 1)"),
    _S("stream_cut", "stream: some chunks, then the connection closes (no finish, no [DONE])",
       "the answer stops half-way, sometimes 'network error'", "回答说到一半就断了，有时提示网络错误",
       "stream.interrupted"),
    _S("malformed_sse", "stream: stray lines without data: and invalid JSON after data:",
       "parse error, or an empty / partial answer", "解析错误，或回答为空、残缺", "stream.malformed"),
    _S("garbled", "stream: invalid UTF-8 bytes and U+FFFD in chunk content",
       "garbled characters (乱码, ���) in the answer", "回答中出现乱码（���）", "stream.garbled"),
    _S("buffered_stream", "stream: all chunks held, then sent in one burst at the end",
       "nothing for a while, then the whole answer at once", "很久没反应，然后整段回答一次性出现",
       "stream.buffered"),
    _S("stream_error_event", "stream: some chunks, then data: {\"error\": ...}",
       "answer stops with 'upstream error: overloaded'", "回答中断并提示 upstream error: overloaded",
       "stream.error_event"),
    _S("stream_stall", "stream: some chunks, then silence until the client leaves",
       "the answer freezes half-way and never finishes", "回答卡在一半，一直不结束",
       "stream.stalled (with --timeout 1)"),
    _S("not_streamed", "stream: true answered with a plain JSON completion",
       "the answer appears at once, or the client shows nothing", "回答一次性出现，或客户端什么也不显示",
       "stream.not_streamed"),
    _S("redirect", "every request 301 to the same path without /scenario/redirect",
       "405 / empty reply: the POST became a GET after the redirect", "405 或空回复：重定向后 POST 变成了 GET",
       "network.redirect (warn)"),
    _S("no_models_endpoint", "/models 404 JSON; chat works",
       "cannot fetch the model list, but chatting works", "无法获取模型列表，但可以正常对话",
       "auth passes via a minimal chat; model.not_listed (warn)"),
    _S("html_frontend", "GET → 200 text/html SPA page, POST → 405 nginx page",
       "'unexpected token <' / not valid JSON", "提示 unexpected token < 或返回不是 JSON",
       "auth.not_openai_compatible"),
    _S("ping_comments", "stream: ': PING' comment lines between chunks",
       "replies stream normally", "回复正常流式显示", "all pass"),
    # -- healthy but unusual: working gateways a check must not fail (issue 20) ----
    _S("short_burst", "stream: a 7-token reply sent in one burst after 300 ms",
       "replies normally (a short answer appears at once)", "正常回复（短回答一下子出现）",
       "all pass; stream.ok notes 'too short to judge buffering'"),
    _S("single_event", "stream: the whole reply in one SSE event, then [DONE]",
       "replies normally (the answer appears at once)", "正常回复（回答一次性出现）",
       "all pass; stream.ok notes 'too short to judge buffering'"),
    _S("keepalive_first", "stream: ': keep-alive' comments for 0.8 s, then the whole reply at once",
       "replies normally after a short wait", "稍等片刻后正常回复", "all pass"),
    _S("http10_stream", "stream: HTTP/1.0, no length or chunking, body ends when the connection closes",
       "replies stream normally", "回复正常流式显示", "all pass"),
    _S("no_balance", "no balance endpoints (404 JSON); everything else works",
       "works; the client shows no balance", "可以用，客户端里看不到余额",
       "all pass; balance.unknown (skipped)"),
    _S("very_fast", "stream: every token at once, no pacing (sub-millisecond)",
       "replies instantly", "瞬间回复", "all pass; stream.ok may note 'too fast to judge buffering'"),
    _S("slow_steady", "stream: one token every 200 ms (5 tokens)",
       "replies slowly, word by word", "回复较慢，一个词一个词地出现", "all pass"),
    _S("one_at_a_time",
       "a key may have one request in flight; another at the same time gets LiteLLM's 429 "
       "'Crossed TPM / RPM / Max Parallel Request Limit' (max_parallel_requests: 1)",
       "works one message at a time; two at once (compare mode) fail with 429",
       "一次只能发一条；同时发两条（如对比模式）会报 429",
       "all pass: each 429 from overlapping requests is retried once, alone (never rate_limited)"),
    # -- hardening scenarios (robustness of the doctor itself) ----------------
    _S("huge_body", "/models returns a 50 MB JSON body", "the model list hangs or the app freezes",
       "模型列表加载卡住或程序无响应", "checks stay bounded (body capped, no hang)", True),
    _S("binary_body", "/models and chat answer 200 application/json with binary bytes",
       "'unexpected token' / not valid JSON", "提示返回不是合法 JSON",
       "auth.not_openai_compatible / model.bad_response", True),
    _S("one_byte_per_second", "every response body trickles one byte per second",
       "spins for a very long time", "长时间转圈", "a timeout code (with --timeout 1)", True),
    _S("gzip_sse", "stream sent with Content-Encoding: gzip (flushed per chunk)",
       "works in most clients", "多数客户端正常", "all pass (client must decode gzip)", True),
    _S("no_content_type", "responses carry no Content-Type header",
       "works in lenient clients, fails in strict ones", "宽松的客户端正常，严格的客户端报错",
       "passes; JSON parsed regardless of the header", True),
    _S("reset_mid_body", "/models and chat (streamed too): half the body, then a TCP reset",
       "network error / connection reset", "网络错误 / 连接被重置",
       "network or stream failure, no traceback", True),
    _S("redirect_loop", "every request 302 to itself", "too many redirects", "重定向次数过多",
       "network.redirect", True),
    # -- real software's own words (issue 12): proxies' pages, LiteLLM, new-api (words.py) --
    *(_S(*row) for row in words.ROWS),
]  # fmt: skip

SCENARIOS: dict[str, Scenario] = {s.id: s for s in _LIST}


def masked_suffix(key: str) -> str:
    """``sk-…abcd``: how gateways echo a key back (never the whole key)."""
    return "sk-…" + (key[-4:] if len(key) >= 12 else "")


def _new_api(message: str) -> bytes:
    return error_body(message, "new_api_error", "")


#: Scenarios where every authenticated endpoint fails: id -> f(key) -> (status, body).
AUTH_ERRORS: dict[str, Callable[[str], tuple[int, bytes]]] = {
    "invalid_key": lambda key: (
        401,
        error_body(
            f"Incorrect API key provided: {masked_suffix(key)}. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
            param=None,
        ),
    ),
    "key_disabled": lambda key: (401, _new_api("该令牌状态不可用")),
    "key_expired": lambda key: (401, _new_api("该令牌已过期")),
    "ip_not_allowed": lambda key: (403, _new_api("您的 IP 1.2.3.4 不在令牌允许访问的列表中")),
    "token_quota_exhausted": lambda key: (
        401,
        _new_api("token quota is exhausted (TokenStatusExhausted)"),
    ),
    "token_quota_exhausted_zh": lambda key: (
        401,
        _new_api(f"该令牌额度已用尽 TokenStatusExhausted[{masked_suffix(key)}]"),
    ),
}

MISSING_KEY_BODY = error_body(
    "Missing API key: you didn't provide an API key. Send it in an Authorization header "
    "using Bearer auth (Authorization: Bearer YOUR_KEY).",
    "invalid_request_error",
    "missing_api_key",
    param=None,
)


#: Scenarios where chat fails: id -> f(model) -> (status, extra headers, body).
CHAT_ERRORS: dict[str, Callable[[str], tuple[int, Headers, bytes]]] = {
    "quota_exhausted": lambda model: (
        429,
        JSON_HEADERS,
        error_body(
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
            param=None,
        ),
    ),
    "payment_required": lambda model: (
        402,
        JSON_HEADERS,
        error_body("Insufficient credits. Add more using https://openrouter.ai/credits", code=402),
    ),
    "no_channel": lambda model: (
        503,
        JSON_HEADERS,
        error_body(
            f"No available channel for model {model} under group default (distributor)",
            "new_api_error",
        ),
    ),
    "no_channel_zh": lambda model: (
        503,
        JSON_HEADERS,
        error_body(f"当前分组 default 下对于模型 {model} 无可用渠道", "new_api_error"),
    ),
    "rate_limited": lambda model: (
        429,
        [*JSON_HEADERS, ("Retry-After", "20")],
        error_body(
            "Rate limit reached for requests", "requests", "rate_limit_exceeded", param=None
        ),
    ),
    "server_error": lambda model: (
        500,
        JSON_HEADERS,
        error_body("internal error", "server_error"),
    ),
}


def model_not_found_body(model: str) -> bytes:
    return error_body(
        f"The model `{model}` does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
    )


#: Balance: hard limit in USD and usage in cents, per scenario (default: healthy).
HARD_LIMIT_USD = 100.0
USAGE_CENTS: dict[str, float] = {"quota_exhausted": 10000.0, "low_balance": 9958.0}
DEFAULT_USAGE_CENTS = 1234.0

#: Scenarios whose keys may have only this many requests in flight (LiteLLM max_parallel_requests).
MAX_PARALLEL = {"one_at_a_time": 1}


def parallel_limit_body(key: str, current: int, limit: int) -> bytes:
    """LiteLLM's parallel_request_limiter refusal (its own wording)."""
    return error_body(
        "LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max "
        f"Parallel Request Limit. current max_parallel_requests: {current}, "
        f"max_parallel_requests: {limit} (key {masked_suffix(key)})",
        "None",
        "429",
        param="None",
    )


#: Balance endpoints that answer 404 in these scenarios (a gateway without them).
NO_BALANCE = frozenset({"no_balance"})

#: Streams that differ from a healthy one (see streams.py).
STREAM_MODES = frozenset(
    {
        "stream_cut",
        "malformed_sse",
        "garbled",
        "buffered_stream",
        "stream_error_event",
        "stream_stall",
        "not_streamed",
        "ping_comments",
        "gzip_sse",
        "reset_mid_body",
    }
)
