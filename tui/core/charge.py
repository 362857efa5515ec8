"""Was anything charged? Decided from what happened, with the reason said.

Support's first question after a failure is whether the user paid for it. The
answer comes from the completion requests themselves, the same way for the
checklist and the chat (one function, so the two never disagree):

* ``usage`` with tokens in the answer: charged, that many tokens;
* reply tokens received without ``usage`` (a stream cut mid-way): charged for
  what was generated, as gateways bill streamed tokens;
* refused with an HTTP error before any token (401, 429 quota, 502, 503):
  not charged, gateways bill only generated tokens;
* an intermediary that stopped waiting for the upstream (504, Cloudflare 524)
  or got a broken answer from it (520): unknown, the upstream had the request
  and may have generated and billed a reply nobody received;
* no answer at all (timeout, reset before the status line): unknown, the
  upstream may have generated a reply nobody received;
* a balance read before and after, where the gateway has a balance endpoint:
  the difference is shown as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tui.core import safe_json
from tui.core.checks.intermediaries import wrote_error
from tui.core.exchange import Exchange
from tui.core.i18n import translate

__all__ = ["Charge", "balance_text", "charge_of", "charge_text", "is_completion"]

T: dict[str, dict[str, str]] = {
    "yes": {"en": "yes", "zh-CN": "是"},
    "no": {"en": "no", "zh-CN": "否"},
    "unknown": {"en": "unknown", "zh-CN": "未知"},
    "usage": {
        "en": "usage returned: {tokens} tokens ({steps})",
        "zh-CN": "响应带有 usage：{tokens} 个令牌（{steps}）",
    },
    "tokens": {
        "en": "reply tokens received without usage ({steps}); gateways bill what was generated",
        "zh-CN": "收到了回复令牌但没有 usage（{steps}）；网关通常按已生成的部分计费",
    },
    "refused": {
        "en": "every completion was refused ({statuses}) before any token; "
        "gateways bill only generated tokens",
        "zh-CN": "每个补全请求都在产生令牌之前被拒绝（{statuses}）；网关只对生成的令牌计费",
    },
    "no_answer": {
        "en": "no answer to the completion ({why}): the upstream may have generated a reply",
        "zh-CN": "补全请求没有收到响应（{why}）：上游可能已生成回复",
    },
    "gave_up": {
        "en": "the intermediary ({who}) stopped waiting; the upstream may have generated "
        "and billed a reply",
        "zh-CN": "中间层（{who}）没等到上游应答就放弃了；上游可能已经生成回复并计费",
    },
    "broken": {
        "en": "the intermediary ({who}) got an empty or invalid answer from the upstream, "
        "which had the request and may have generated and billed a reply",
        "zh-CN": "中间层（{who}）从上游收到的应答为空或无效；上游已收到请求，可能已经生成回复并计费",
    },
    "no_request": {
        "en": "no completion request was sent",
        "zh-CN": "没有发送补全请求",
    },
    "no_tokens": {
        "en": "the answer carried no reply tokens ({statuses})",
        "zh-CN": "响应中没有回复令牌（{statuses}）",
    },
    "balance": {
        "en": "balance {before:g} → {after:g} {unit} (change {delta:+g})",
        "zh-CN": "余额 {before:g} → {after:g} {unit}（变化 {delta:+g}）",
    },
    "around": {
        "en": ", read before and after the completions",
        "zh-CN": "，分别在补全请求之前和之后读取",
    },
    "unchanged": {
        "en": "; the balance has not moved (yet): some gateways settle a charge later, "
        "or show it rounded",
        "zh-CN": "；余额（暂时）没有变化：有些网关稍后才结算费用，或显示的是取整后的金额",
    },
    "raced": {
        "en": " between the balance read and the end of the run (that read went out together "
        "with the completions, so it may already include part of their cost)",
        "zh-CN": "，这是从读取余额到检查结束之间的变化（那次读取与补全请求同时发出，"
        "读数可能已经扣掉了一部分费用）",
    },
}


@dataclass(frozen=True, slots=True)
class Charge:
    """The verdict (True/False/None), the reason's key and its values."""

    charged: bool | None
    reason: str
    values: dict[str, Any]
    #: (before, after, unit) when the balance was read on both sides.
    balance: tuple[float, float, str] | None = None
    #: The "before" read overlapped the completions (sent together with them).
    raced: bool = False


def is_completion(ex: Exchange) -> bool:
    """A request that can cost money: a (chat) completion."""
    return ex.method == "POST" and ex.path.split("?")[0].rstrip("/").endswith("completions")


#: Statuses where the intermediary had passed the request on and stopped waiting for the
#: upstream (504, 524), or got a broken answer from it (520): the upstream may have run it.
#: 502, 521-523 stay refusals: the request never reached a working upstream.
GAVE_UP = {504: "gave_up", 524: "gave_up", 520: "broken"}


def _who(ex: Exchange) -> str:
    """``Cloudflare 524`` when the product wrote the page, else ``HTTP 504``."""
    seen = wrote_error(ex.status, ex.response_headers, ex.response_body)
    return f"{seen.name} {ex.status}" if seen is not None else f"HTTP {ex.status}"


def _json(text: str | bytes) -> Any:
    return safe_json.loads(text)


def _usage_tokens(obj: Any) -> int:
    usage = obj.get("usage") if isinstance(obj, dict) else None
    if not isinstance(usage, dict):
        return 0
    for key in ("total_tokens", "completion_tokens"):
        value = usage.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return 0


def _has_text(obj: Any) -> bool:
    choices = obj.get("choices") if isinstance(obj, dict) else None
    if not isinstance(choices, list):
        return False
    for choice in choices:
        if not isinstance(choice, dict):
            continue
        part = choice.get("delta") or choice.get("message") or {}
        if isinstance(part, dict) and (part.get("content") or part.get("reasoning_content")):
            return True
    return False


def _read(ex: Exchange) -> tuple[int, bool]:
    """(usage tokens, reply text seen) in one exchange's answer."""
    if ex.sse_events:
        tokens, text = 0, False
        for ev in ex.sse_events:
            obj = _json(ev.data) if not ev.comment else None
            tokens = max(tokens, _usage_tokens(obj))
            text = text or _has_text(obj)
        return tokens, text
    obj = _json(ex.response_body)
    return _usage_tokens(obj), _has_text(obj)


def charge_of(
    exchanges: Iterable[Exchange],
    balance: tuple[float, float, str] | None = None,
    raced: bool = False,
) -> Charge:
    """Decide from the completion exchanges (others cost nothing) and a balance pair.

    ``raced``: the first balance read went out together with the completions.
    """
    charge = _decide(exchanges, balance)
    return Charge(charge.charged, charge.reason, charge.values, balance, raced and bool(balance))


def _decide(exchanges: Iterable[Exchange], balance: tuple[float, float, str] | None) -> Charge:
    paid: dict[str, int] = {}
    texted: list[str] = []
    refused: list[str] = []
    silent: list[str] = []
    empty: list[str] = []
    gave_up: list[tuple[str, str]] = []
    for ex in (e for e in exchanges if is_completion(e)):
        tokens, text = _read(ex)
        if tokens:
            paid[ex.step] = paid.get(ex.step, 0) + tokens
        elif text:
            texted.append(ex.step)
        elif ex.status is None:
            kind = ex.error_kind or "error"
            silent.append("stopped before its answer" if kind == "not_needed" else kind)
        elif ex.status in GAVE_UP:
            gave_up.append((GAVE_UP[ex.status], _who(ex)))
        elif ex.status >= 400:
            refused.append(f"HTTP {ex.status}")
        else:
            empty.append(f"HTTP {ex.status}")
    spent = balance is not None and balance[1] < balance[0]
    if paid:
        steps = ", ".join(dict.fromkeys([*paid, *texted]))
        return Charge(True, "usage", {"tokens": sum(paid.values()), "steps": steps}, balance)
    if texted:
        return Charge(True, "tokens", {"steps": ", ".join(dict.fromkeys(texted))}, balance)
    if silent:
        return Charge(True if spent else None, "no_answer", {"why": ", ".join(silent)}, balance)
    if gave_up:
        reason = gave_up[0][0]
        who = ", ".join(dict.fromkeys(w for r, w in gave_up if r == reason))
        return Charge(True if spent else None, reason, {"who": who}, balance)
    if refused:
        statuses = ", ".join(dict.fromkeys(refused))
        return Charge(True if spent else False, "refused", {"statuses": statuses}, balance)
    if empty:
        statuses = ", ".join(dict.fromkeys(empty))
        return Charge(True if spent else False, "no_tokens", {"statuses": statuses}, balance)
    return Charge(True if spent else False, "no_request", {}, balance)


def charge_text(charge: Charge, lang: str = "en") -> str:
    """``yes — usage returned: 12 tokens (model, stream)`` in ``lang``."""
    verdict = {True: "yes", False: "no", None: "unknown"}[charge.charged]
    text = f"{translate(T, verdict, lang)} — {translate(T, charge.reason, lang, **charge.values)}"
    if charge.balance is not None:
        text += "; " + balance_text(charge.balance, charge.raced, lang)
        before, after, _unit = charge.balance
        if charge.charged is True and round(after - before, 6) == 0:
            text += translate(T, "unchanged", lang)
    return text


def balance_text(balance: tuple[float, float, str], raced: bool, lang: str = "en") -> str:
    """``balance 87.66 → 87.658 USD (change -0.002)`` and when the two reads were made."""
    before, after, unit = balance
    delta = round(after - before, 6)
    text = translate(T, "balance", lang, before=before, after=after, unit=unit, delta=delta)
    return text + translate(T, "raced" if raced else "around", lang)
