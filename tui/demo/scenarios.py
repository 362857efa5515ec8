"""The demo gateway's fault scenarios: what each does and what a user would see.

The data here feeds ``--list-scenarios``, docs/scenarios.md and the tests;
the byte-level behaviour lives in ``server.py`` (requests) and
``streams.py`` (SSE), keyed by these ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.core.i18n.catalogue import Msg, msg, text
from tui.demo import trial_faults, words
from tui.demo.http11 import Headers
from tui.demo.responses import JSON_HEADERS, error_body

#: What each scenario's catalogue entry says (``scenario.<id>.<part>``, tui/core/i18n/*/71-demo.toml).
PARTS = ("title", "what", "symptom", "expect")
#: Where a scenario belongs: a gateway fault users report, a healthy but unusual gateway
#: (issue 20), a hardening scenario (the doctor's own robustness), or real software's
#: own words (issue 12, words.py).
KINDS = ("fault", "unusual", "hardening", "real")


@dataclass(frozen=True)
class Scenario:
    """A scenario's id and kind; its words are in the catalogue.

    ``scenario.<id>.title`` (a short name), ``.what`` (what the server does),
    ``.symptom`` (what a Chatbox user sees) and ``.expect`` (what
    ``gateway-doctor check`` reports), in every language.
    """

    id: str
    kind: str = "fault"

    @property
    def extra(self) -> bool:
        """Hardening-only (parser robustness), not a gateway fault users report."""
        return self.kind == "hardening"

    def msg(self, part: str) -> Msg:
        """``part`` (one of :data:`PARTS`) of this scenario, as a message."""
        return msg(f"scenario.{self.id}.{part}")

    def text(self, part: str, lang: str = "en") -> str:
        """``part`` (one of :data:`PARTS`) of this scenario, written in ``lang``."""
        return text(f"scenario.{self.id}.{part}", lang)


_FAULTS = (
    "healthy",
    "invalid_key",
    "key_disabled",
    "key_expired",
    "ip_not_allowed",
    "quota_exhausted",
    "token_quota_exhausted",
    "token_quota_exhausted_zh",
    "payment_required",
    "low_balance",
    "model_not_found",
    "no_channel",
    "no_channel_zh",
    "rate_limited",
    "server_error",
    "cloudflare_524",
    "slow_headers",
    "stream_cut",
    "malformed_sse",
    "garbled",
    "buffered_stream",
    "stream_error_event",
    "stream_stall",
    "not_streamed",
    "redirect",
    "no_models_endpoint",
    "html_frontend",
    "ping_comments",
)
#: Healthy but unusual: working gateways a check must not fail (issue 20).
_UNUSUAL = (
    "short_burst",
    "single_event",
    "keepalive_first",
    "http10_stream",
    "no_balance",
    "very_fast",
    "slow_steady",
    "one_at_a_time",
    "model_mix",
    "many_models",
    "model_dropped",
    "gateway_upgraded",
)
#: Hardening scenarios (robustness of the doctor itself).
_HARDENING = (
    "huge_body",
    "binary_body",
    "one_byte_per_second",
    "gzip_sse",
    "no_content_type",
    "reset_mid_body",
    "redirect_loop",
)
_LIST: list[Scenario] = [
    *(Scenario(i, "fault") for i in _FAULTS),
    # the roll-out trial's stage failures (issue 16, trial_faults.py): the checklist passes
    *(Scenario(i, "fault") for i in trial_faults.SCENARIOS),
    *(Scenario(i, "unusual") for i in _UNUSUAL),
    *(Scenario(i, "hardening") for i in _HARDENING),
    # real software's own words (issue 12): proxies' pages, LiteLLM, new-api (words.py)
    *(Scenario(i, "real") for i in words.ROWS),
]  # fmt: skip

SCENARIOS: dict[str, Scenario] = {s.id: s for s in _LIST}

#: The ``Server`` header of ``gateway_upgraded`` (the healthy demo says gateway-doctor-demo).
UPGRADED_SERVER = "new-api/v0.9.1"  # not-ui-text: a header value


def masked_suffix(key: str) -> str:
    """``sk-…abcd``: how gateways echo a key back (never the whole key)."""
    return "sk-…" + (key[-4:] if len(key) >= 12 else "")


def _new_api(message: str) -> bytes:
    return error_body(message, "new_api_error", "")


#: Scenarios where every authenticated endpoint fails: id -> f(key) -> (status, body).
#: The bodies are what real gateways send, word for word (quoted, never translated).
AUTH_ERRORS: dict[str, Callable[[str], tuple[int, bytes]]] = {
    "invalid_key": lambda key: (
        401,
        error_body(
            f"Incorrect API key provided: {masked_suffix(key)}. You can find your API key at "  # not-ui-text: the gateway's words
            "https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
            param=None,
        ),
    ),
    "key_disabled": lambda key: (
        401,
        _new_api("该令牌状态不可用"),  # not-ui-text: the gateway's words
    ),
    "key_expired": lambda key: (
        401,
        _new_api("该令牌已过期"),  # not-ui-text: the gateway's words
    ),
    "ip_not_allowed": lambda key: (
        403,
        _new_api("您的 IP 1.2.3.4 不在令牌允许访问的列表中"),  # not-ui-text: the gateway's words
    ),
    "token_quota_exhausted": lambda key: (
        401,
        _new_api(
            "token quota is exhausted (TokenStatusExhausted)",  # not-ui-text: the gateway's words
        ),
    ),
    "token_quota_exhausted_zh": lambda key: (
        401,
        _new_api(
            f"该令牌额度已用尽 TokenStatusExhausted[{masked_suffix(key)}]",  # not-ui-text: the gateway's words
        ),
    ),
}

MISSING_KEY_BODY = error_body(
    "Missing API key: you didn't provide an API key. Send it in an Authorization header "  # not-ui-text: the gateway's words
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
            "You exceeded your current quota, please check your plan and billing details.",  # not-ui-text: the gateway's words
            "insufficient_quota",
            "insufficient_quota",
            param=None,
        ),
    ),
    "payment_required": lambda model: (
        402,
        JSON_HEADERS,
        error_body(
            "Insufficient credits. Add more using https://openrouter.ai/credits",  # not-ui-text: the gateway's words
            code=402,
        ),
    ),
    "no_channel": lambda model: (
        503,
        JSON_HEADERS,
        error_body(
            f"No available channel for model {model} under group default (distributor)",  # not-ui-text: the gateway's words
            "new_api_error",
        ),
    ),
    "no_channel_zh": lambda model: (
        503,
        JSON_HEADERS,
        error_body(
            f"当前分组 default 下对于模型 {model} 无可用渠道",  # not-ui-text: the gateway's words
            "new_api_error",
        ),
    ),
    "rate_limited": lambda model: (
        429,
        [*JSON_HEADERS, ("Retry-After", "20")],
        error_body(
            "Rate limit reached for requests",  # not-ui-text: the gateway's words
            "requests",
            "rate_limit_exceeded",
            param=None,
        ),
    ),
    "server_error": lambda model: (
        500,
        JSON_HEADERS,
        error_body("internal error", "server_error"),  # not-ui-text: the gateway's words
    ),
}


def model_not_found_body(model: str) -> bytes:
    return error_body(
        f"The model `{model}` does not exist or you do not have access to it.",  # not-ui-text: the gateway's words
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
        "LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max "  # not-ui-text: the gateway's words
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
