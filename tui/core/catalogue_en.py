"""English catalogue: check titles, status and report labels, and the remediation table.

Each ``CATALOGUE`` entry is ``code: (title, why, steps)``. Steps are short,
imperative and actionable; the first step is the most likely fix.
"""

from __future__ import annotations

from tui.core import catalogue_en_api as _api
from tui.core import catalogue_en_reach as _reach

CHECK_TITLES: dict[str, str] = {
    "config": "Configuration",
    "network": "Network",
    "proxy": "Proxy",
    "auth": "Authentication",
    "balance": "Balance",
    "model": "Model",
    "stream": "Streaming",
}

STATUS_LABELS: dict[str, str] = {
    "pending": "pending",
    "running": "running",
    "pass": "passed",
    "warn": "warning",
    "fail": "failed",
    "skip": "skipped",
}

LABELS: dict[str, str] = {
    "summary_title": "gateway-doctor support summary",
    "tool": "Tool",
    "os": "OS",
    "time_utc": "Time (UTC)",
    "time_local": "Time (local)",
    "client": "Client",
    "profile": "Profile",
    "base_url": "Base URL",
    "model": "Model",
    "api_key": "API key",
    "proxy": "Proxy",
    "verdict": "Verdict",
    "failing_step": "Failing step",
    "error": "Error text",
    "http_status": "HTTP status",
    "request_ids": "Request ids",
    "charged": "Charged",
    "timings": "Timings",
    "checks": "Checks",
    "none": "(none)",
    "direct": "(none, direct connection)",
    "yes": "yes",
    "no": "no",
    "unknown": "unknown",
    "all_passed": "none, every check passed",
    "started_at": "Started",
    "duration": "Duration",
    "why": "Why",
    "what_to_do": "What to do",
    "report_title": "gateway-doctor report",
    "support_summary": "Support summary",
    "results": "Results",
    "step": "Step",
    "status": "Status",
    "code": "Code",
    "detail": "Detail",
    "time": "Time",
    "verdict_pass": "PASS: every check passed",
    "verdict_warn": "PASS with warnings",
    "verdict_fail": "FAIL",
    "counts": "{failed} failed, {warned} warnings, {passed} passed, {skipped} skipped",
    "tls": "TLS",
    "tls_insecure": "verification OFF (--insecure): any certificate is accepted",
    "tls_ca_bundle": "CA bundle {path}",
    "never_share_key": "Never send your full API key to anyone, support included.",
}

#: Used for a code that is not (yet) in the catalogue; ``{code}`` is filled in.
UNKNOWN: tuple[str, str, tuple[str, ...]] = (
    "Unrecognised result {code}",
    "gateway-doctor reported {code}, which this version's catalogue does not describe.",
    (
        "Read the detail and the recorded exchange for the exact error text.",
        "Update gateway-doctor, then run the check again.",
        "If it persists, send the support summary (it never contains your full key) to support.",
    ),
)

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {**_reach.CATALOGUE, **_api.CATALOGUE}

for _check in ("network", "proxy", "auth", "balance", "model", "stream"):
    CATALOGUE[f"{_check}.skipped"] = (
        f"{CHECK_TITLES[_check]} not checked",
        "This step needs an earlier step that failed; its detail names which. Fixing that "
        "earlier problem first is the shortest way: one root cause, not a cascade of errors.",
        (
            "Fix the failed step shown above (its advice comes first), then run the checks again "
            "(`r` in the console, or `gateway-doctor check`).",
        ),
    )
