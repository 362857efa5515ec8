"""The trial's stages and their codes (``trial.<stage>.<what>`` in the vocabulary).

Kept free of imports so ``tui.core.diagnosis.codes`` can take them in without a cycle.
"""

from __future__ import annotations

#: The stages in the integration note's order.
STAGES: tuple[str, ...] = (
    "short",
    "stream",
    "long_reply",
    "long_context",
    "chinese",
    "code",
    "multi_turn",
    "batch",
    "recovery",
)

#: A 2xx reply whose body did not complete: a timeout, or a connection closed mid-way
#: (the transport's cause, never a verdict on the model's words). long_reply says
#: ``cut`` with the same causes. ``oversized`` (every stage that reads a reply): far
#: more than max_tokens allows came back.
INCOMPLETE: tuple[str, ...] = ("timeout", "interrupted")

#: What each stage can report. ``failed`` is a request that did not get an answer
#: (an HTTP error, a timeout); the others are what the answer showed.
STAGE_CODES: dict[str, tuple[str, ...]] = {
    "short": ("ok", "failed", "empty", "timeout", "interrupted", "oversized"),
    "stream": ("ok", "failed", "not_streamed", "interrupted", "no_done", "timeout", "oversized"),
    "long_reply": ("ok", "failed", "limited", "stopped_early", "cut", "oversized"),
    "long_context": (
        "ok",
        "failed",
        "body_limit",
        "context_limit",
        "truncated",
        *INCOMPLETE,
        "oversized",
    ),
    "chinese": ("ok", "failed", "mojibake", "replacement", "changed", *INCOMPLETE, "oversized"),
    "code": ("ok", "failed", "escaped", "fence_damaged", "changed", *INCOMPLETE, "oversized"),
    "multi_turn": ("ok", "failed", "forgotten", *INCOMPLETE, "oversized"),
    "batch": ("ok", "failed", "rate_limited", "concurrency_limited"),
    "recovery": (
        "ok",
        "failed",
        "retry_failed",
        "slot_busy",
        "billed_abort",
        *INCOMPLETE,
        "oversized",
    ),
}

#: The sub-codes of the ``trial`` family (``skipped`` and ``internal_error`` are added
#: by the vocabulary like every step's).
TRIAL_SUBS: tuple[str, ...] = tuple(f"{s}.{c}" for s in STAGES for c in STAGE_CODES[s])
