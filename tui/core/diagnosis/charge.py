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

from tui.core.diagnosis.checks.intermediaries import wrote_error
from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.exchange import Exchange
from tui.core.net.transport_error import error_msg
from tui.core.safe import json_parse as safe_json

__all__ = [
    "Charge",
    "balance_message",
    "balance_text",
    "charge_message",
    "charge_of",
    "charge_text",
    "is_completion",
]


@dataclass(frozen=True, slots=True)
class Charge:
    """The verdict (True/False/None), the reason's key and its values (message params)."""

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
    silent: list[Msg] = []
    empty: list[str] = []
    gave_up: list[tuple[str, str]] = []
    for ex in (e for e in exchanges if is_completion(e)):
        tokens, text = _read(ex)
        if tokens:
            paid[ex.step] = paid.get(ex.step, 0) + tokens
        elif text:
            texted.append(ex.step)
        elif ex.status is None:
            silent.append(_silent(ex))
        elif ex.status in GAVE_UP:
            gave_up.append((GAVE_UP[ex.status], _who(ex)))
        elif ex.status >= 400:
            refused.append(f"HTTP {ex.status}")
        else:
            empty.append(f"HTTP {ex.status}")
    spent = balance is not None and balance[1] < balance[0]
    if paid:
        steps = _steps([*paid, *texted])
        return Charge(True, "usage", {"tokens": sum(paid.values()), "steps": steps}, balance)
    if texted:
        return Charge(True, "tokens", {"steps": _steps(texted)}, balance)
    if silent:
        why = list({render(m, "en"): m for m in silent}.values())  # each reason once
        return Charge(True if spent else None, "no_answer", {"why": why}, balance)
    if gave_up:
        reason = gave_up[0][0]
        who = list(dict.fromkeys(w for r, w in gave_up if r == reason))
        return Charge(True if spent else None, reason, {"who": who}, balance)
    if refused:
        statuses = list(dict.fromkeys(refused))
        return Charge(True if spent else False, "refused", {"statuses": statuses}, balance)
    if empty:
        statuses = list(dict.fromkeys(empty))
        return Charge(True if spent else False, "no_tokens", {"statuses": statuses}, balance)
    return Charge(True if spent else False, "no_request", {}, balance)


def _steps(steps: Iterable[str]) -> list[Msg]:
    """The steps named as the catalogue names them (``Model``, ``模型``), each once."""
    return [msg(f"step.{s}") for s in dict.fromkeys(steps)]


def _silent(ex: Exchange) -> Msg:
    """Why a completion got no answer: stopped by us as not needed, or its transport error."""
    if ex.error_kind == "not_needed":
        return msg("charge.stopped_early")
    return error_msg(ex)


def charge_message(charge: Charge) -> Msg:
    """``yes — usage returned: 12 tokens (Model; Streaming)`` and the balance, as a message."""
    verdict = {True: "yes", False: "no", None: "unknown"}[charge.charged]
    why = msg(f"charge.{charge.reason}", **charge.values)
    if charge.balance is None:
        return msg("charge.line", verdict=msg(f"charge.{verdict}"), why=why)
    before, after, _unit = charge.balance
    unchanged = charge.charged is True and round(after - before, 6) == 0
    return msg(
        "charge.line_balance",
        verdict=msg(f"charge.{verdict}"),
        why=why,
        balance=balance_message(charge.balance, charge.raced),
        unchanged=msg("charge.unchanged") if unchanged else "",
    )


def charge_text(charge: Charge, lang: str = "en") -> str:
    """:func:`charge_message` in ``lang``."""
    return render(charge_message(charge), lang)


def balance_message(balance: tuple[float, float, str], raced: bool) -> Msg:
    """``balance 87.66 → 87.658 USD (change -0.002)`` and when the two reads were made."""
    before, after, unit = balance
    delta = round(after - before, 6)
    return msg(
        "charge.balance_when",
        balance=msg("charge.balance", before=before, after=after, unit=unit, delta=delta),
        when=msg("charge.raced" if raced else "charge.around"),
    )


def balance_text(balance: tuple[float, float, str], raced: bool, lang: str = "en") -> str:
    """:func:`balance_message` in ``lang``."""
    return render(balance_message(balance, raced), lang)
