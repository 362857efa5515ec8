"""The diagnosis-code vocabulary: a stable contract that scripts parse.

Every check reports exactly one of these codes. The remediation catalogue
(``tui.core.diagnosis.remediation``) documents each one in English and Chinese, and a
test asserts the two stay in step.
"""

from __future__ import annotations

from tui.core.trial.codes import TRIAL_SUBS

VOCABULARY: dict[str, tuple[str, ...]] = {
    "config": (
        "ok",
        "missing_base_url",
        "invalid_base_url",
        "base_url_has_endpoint",
        "insecure_http",
        "missing_key",
        "key_whitespace",
        "key_format",
        "missing_model",
    ),
    "network": (
        "ok",
        "dns_failed",
        "connect_refused",
        "connect_timeout",
        "tls_failed",
        "tls_unverified",
        "timeout",
        "redirect",
        "gateway_error",
    ),
    "proxy": (
        "none",
        "ok",
        "bypassed",
        "bad_url",
        "unreachable",
        "auth_required",
        "auth_rejected",
        "intercepts_tls",
        "upstream_failed",
        "refused",
        "required",
    ),
    "auth": (
        "ok",
        "invalid_key",
        "key_expired",
        "key_disabled",
        "ip_not_allowed",
        "forbidden",
        "wrong_endpoint",
        "not_openai_compatible",
        "rate_limited",
        "server_error",
        "gateway_error",
        "timeout",
    ),
    "balance": ("ok", "low", "insufficient", "unknown", "timeout"),
    "model": (
        "ok",
        "not_found",
        "not_permitted",
        "unavailable",
        "not_listed",
        "bad_response",
        "rate_limited",
        "server_error",
        "gateway_error",
        "timeout",
    ),
    "stream": (
        "ok",
        "not_streamed",
        "interrupted",
        "malformed",
        "garbled",
        "buffered",
        "stalled",
        "error_event",
        "insufficient",
        "rate_limited",
        "server_error",
        "gateway_error",
        "timeout",
    ),
    # The roll-out trial's stages (tui/core/trial/codes.py): trial.<stage>.<what>.
    "trial": TRIAL_SUBS,
}

#: Every step but config can be ``<id>.skipped``: it did not run because a step it
#: depends on failed (its detail names which). One root cause, not a cascade.
for _check, _subs in list(VOCABULARY.items()):
    if _check != "config":
        VOCABULARY[_check] = (*_subs, "skipped")

#: Every step can be ``<id>.internal_error``: the check itself raised (a bug in
#: gateway-doctor, not a finding about the gateway); its detail quotes the masked error.
for _check, _subs in list(VOCABULARY.items()):
    VOCABULARY[_check] = (*_subs, "internal_error")

ALL_CODES: tuple[str, ...] = tuple(f"{c}.{s}" for c, subs in VOCABULARY.items() for s in subs)


def is_code(code: str) -> bool:
    return code in ALL_CODES
