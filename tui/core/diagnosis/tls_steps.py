"""``network.tls_failed`` advice for the kind of certificate problem found, not all of them.

The catalogue lists one step per kind (clock, address, company CA,
self-signed) so the code reference is complete; a result that knows its kind
(``tls_problem.kind``, plus ``also`` when the certificate has a second
problem) shows the reading step, the steps for its kinds, and the
``--insecure`` caution — a user whose clock is right should not read about
company root CAs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Index of each kind's step in the catalogue's ``network.tls_failed`` steps (en and zh).
_STEP_OF_KIND = {
    "expired": 1,
    "not_yet_valid": 1,
    "hostname_mismatch": 2,
    "unknown_issuer": 3,
    "self_signed": 4,
}
_STEPS = 6


def kinds_of(evidence: Mapping[str, Any] | None) -> list[str]:
    """The problem kinds a result's evidence names (the main one first)."""
    problem = (evidence or {}).get("tls_problem")
    if not isinstance(problem, Mapping):
        return []
    also = problem.get("also")
    if not isinstance(also, list):
        also = []
    return [str(k) for k in [problem.get("kind"), *also] if k]


def steps_for(code: str, steps: list[str], evidence: Mapping[str, Any] | None) -> list[str]:
    """``steps`` cut to the kinds found (every step when the kind is unknown or other)."""
    if code != "network.tls_failed" or len(steps) != _STEPS:
        return steps
    picked = sorted({_STEP_OF_KIND[k] for k in kinds_of(evidence) if k in _STEP_OF_KIND})
    if not picked:
        return steps
    return [steps[0], *(steps[i] for i in picked), steps[-1]]
