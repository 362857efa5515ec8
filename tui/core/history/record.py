"""One history record: what a run saw, reduced to the facts a later diff needs.

Why reduced: the history must never hold a secret and must stay small, so a
record keeps named facts (addresses, certificate issuer, ``Server`` header, a hash
and sample of ``/models``, balance, each step's status, code and timings), never
raw evidence or bodies. The key is kept only as its salted fingerprint and its
masked form; every string is masked with the key as an explicit secret.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from tui import __version__
from tui.core.safe.fingerprint import key_fingerprint, key_shown
from tui.core.safe.masking import mask, mask_key

__all__ = [
    "KINDS",
    "SAMPLE",
    "build_record",
    "key_fingerprint",
    "key_shown",
    "profile_in_effect",
    "scope_of",
]

KINDS = ("check", "console", "trial", "models")
#: How many model ids a record keeps (the hash covers the whole list).
SAMPLE = 60
_STATUSES = ("pass", "warn", "fail", "skip")
#: The clock of the records (tests pin it for snapshots).
_now = time.time


def scope_of(profile: str | None, base_url: str) -> str:
    """Which runs compare with each other: the same profile, else the same base URL."""
    return f"profile:{profile}" if profile else f"url:{base_url.rstrip('/')}"


def profile_in_effect(profile: Any, base_url: str) -> str | None:
    """``profile`` when the run went to that profile's base URL; else None.

    Why: ``check --profile lab --base-url https://other`` (or an active profile with
    ``--base-url``) tests another gateway; filed under ``lab`` it would be labelled
    with the profile, compared with lab's runs, and offered by restore-last-good."""
    if not isinstance(profile, str) or not profile:
        return None
    try:
        from tui.core.setup.profiles import load_profile

        saved = load_profile(profile)
    except Exception:  # noqa: BLE001 - a corrupt config: file the run by its URL
        return None
    if saved is None or saved.base_url.rstrip("/") != base_url.rstrip("/"):
        return None
    return profile


def _str(value: Any, limit: int = 300) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return round(float(value), 2)


def _ev(checks: dict[str, dict[str, Any]], check_id: str) -> dict[str, Any]:
    ev = checks.get(check_id, {}).get("evidence")
    return ev if isinstance(ev, dict) else {}


def _models(auth: dict[str, Any]) -> dict[str, Any] | None:
    ids = auth.get("models")
    if not isinstance(ids, list):
        return None
    names = sorted({i[:200] for i in ids if isinstance(i, str)})
    digest = hashlib.sha256("\n".join(names).encode("utf-8", "replace")).hexdigest()[:16]
    count = auth.get("model_count")
    return {
        "hash": digest,
        "count": count if isinstance(count, int) else len(names),
        "sample": names[:SAMPLE],
        "complete": len(names) <= SAMPLE and (not isinstance(count, int) or count <= SAMPLE),
    }


def _tls(network: dict[str, Any], proxy: dict[str, Any]) -> dict[str, Any] | None:
    """The certificate seen: the network step's, else the one seen through the proxy
    (an interception proxy re-signs: its issuer is what changed)."""
    tls = network.get("tls")
    if not isinstance(tls, dict):
        tls = proxy.get("certificate_via_proxy")
    if not isinstance(tls, dict):
        return None
    return {"issuer": _str(tls.get("issuer")), "not_after": _str(tls.get("not_after"))}


def _balance(ev: dict[str, Any]) -> dict[str, Any] | None:
    remaining = _num(ev.get("remaining"))
    if remaining is None:
        return None
    return {"remaining": remaining, "unit": _str(ev.get("unit"), 20)}


def _steps(result: dict[str, Any]) -> list[dict[str, Any]]:
    raw = result.get("steps") if isinstance(result.get("steps"), list) else result.get("checks")
    steps = []
    for s in raw if isinstance(raw, list) else []:
        if not isinstance(s, dict) or not isinstance(s.get("id"), str):
            continue
        status = s.get("status")
        ms = s.get("elapsed_ms", s.get("duration_ms"))
        steps.append(
            {
                "id": s["id"][:40],
                "status": status if status in _STATUSES else "skip",
                "code": _str(s.get("code"), 80) or "",
                "ms": _num(ms),
            }
        )
    return steps


def _verdict(result: dict[str, Any], steps: list[dict[str, Any]]) -> str:
    verdict = result.get("verdict")
    if verdict in ("pass", "warn", "fail"):
        return str(verdict)
    statuses = {s["status"] for s in steps}
    return "fail" if "fail" in statuses else ("warn" if "warn" in statuses else "pass")


def _target_facts(target: Any, result: dict[str, Any]) -> dict[str, Any]:
    """base URL, model, proxy, profile, key: from a Target, else the result's ``target``."""
    shown = result.get("target") if isinstance(result.get("target"), dict) else {}
    assert isinstance(shown, dict)

    def get(name: str) -> Any:
        value = getattr(target, name, None) if target is not None else None
        if value is None and isinstance(target, dict):
            value = target.get(name)
        return value if value is not None else shown.get(name)

    return {
        "base_url": get("base_url") or "",
        "model": get("model") or "",
        "proxy": result.get("proxy_in_use") or get("proxy"),
        "ca_bundle": get("ca_bundle"),
        "insecure": bool(get("insecure")),
        "profile": get("profile"),
        "stream": get("stream"),
        "api_key": getattr(target, "api_key", "") if target is not None else "",
    }


def build_record(
    kind: str, target: Any, result: dict[str, Any], now: float | None = None
) -> dict[str, Any]:
    """The record for one run of ``kind`` (see :data:`KINDS`); nothing secret in it."""
    facts = _target_facts(target, result)
    facts["profile"] = profile_in_effect(facts["profile"], facts["base_url"])
    key = facts.pop("api_key") or ""
    checks = {
        c["id"]: c
        for c in (result.get("checks") or [])
        if isinstance(c, dict) and isinstance(c.get("id"), str)
    }
    network, config = _ev(checks, "network"), _ev(checks, "config")
    stream = _ev(checks, "stream")
    http: dict[str, Any] = network["http"] if isinstance(network.get("http"), dict) else {}
    timings: dict[str, Any] = network["timings"] if isinstance(network.get("timings"), dict) else {}
    dns = network.get("dns")
    addresses = dns.get("addresses") if isinstance(dns, dict) else None
    steps = _steps(result)
    verdict = _verdict(result, steps)
    sources: dict[str, Any] = config["sources"] if isinstance(config.get("sources"), dict) else {}
    stamp = time.gmtime(_now() if now is None else now)
    record: dict[str, Any] = {
        "v": 1,
        "kind": kind if kind in KINDS else "check",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp),
        "version": __version__,
        "scope": scope_of(facts["profile"], facts["base_url"]),
        "profile": facts["profile"],
        "base_url": facts["base_url"],
        "model": facts["model"],
        "proxy": facts["proxy"],
        "stream": facts["stream"] if isinstance(facts["stream"], bool) else None,
        "proxy_source": _str(sources.get("proxy"), 80),
        "trust": _str(config.get("tls_trust")) or ("insecure" if facts["insecure"] else None),
        "ca_bundle": facts["ca_bundle"],
        "addresses": sorted(a for a in addresses if isinstance(a, str))[:16]
        if isinstance(addresses, list)
        else None,
        "tls": _tls(network, _ev(checks, "proxy")),
        "server": _str(http.get("server"), 200),
        "models": _models(_ev(checks, "auth")),
        "balance": _balance(_ev(checks, "balance")),
        "ttfb_ms": _num(http.get("ttfb_ms", timings.get("ttfb"))),
        "ttft_ms": _num(stream.get("first_token_ms")),
        "verdict": verdict,
        "ok": verdict != "fail",
        "steps": steps,
    }
    record = mask(record, (key,) if key else ())
    record["key_id"] = key_fingerprint(key)
    record["key"] = mask_key(key) if key else None
    return record
