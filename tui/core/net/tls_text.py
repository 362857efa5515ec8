"""Messages about a certificate problem (the catalogue's ``tls.*`` ids).

The network check records ``tls_problem`` (kind, message, host, port) and
``certificate`` (from :mod:`tui.core.net.tls_facts`) as evidence; the detail
message, and the handshake evidence the console shows for ``e``, are named
here from those facts, so every language says the same thing and the advice
fits the kind of problem (a clock, an address, a missing CA).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.transport_error import thaw

#: The kinds that have their own advice (``tls.fix.<kind>``).
_FIXES = ("expired", "not_yet_valid", "hostname_mismatch", "unknown_issuer", "self_signed")
#: Handshake evidence rows, in order: ``tls.line.<name>``.
_CERT_ROWS = ("subject", "issuer", "interception")


def problem_msg(problem: dict[str, Any], cert: dict[str, Any]) -> Msg:
    """What is wrong with the certificate and what to do, for its kind."""
    kind = str(problem.get("kind") or "other")
    names = ", ".join(cert.get("names") or []) or str(cert.get("subject") or "?")
    host = problem.get("host", "?")
    head = msg(
        "tls.problem.head",
        host=host,
        port=problem.get("port", "?"),
        message=problem.get("message", "?"),
    )
    if problem.get("url"):
        head = msg("tls.problem.at_redirect", url=problem["url"], head=head)
    if cert.get("interception") and kind in ("unknown_issuer", "self_signed", "hostname_mismatch"):
        fix = msg("tls.fix.product", product=cert["interception"], issuer=cert.get("issuer") or "?")
    elif kind not in _FIXES or not cert.get("subject"):
        return head
    else:
        fix = msg(
            f"tls.fix.{kind}",
            host=host,
            issuer=cert.get("issuer") or "?",
            subject=cert.get("subject") or "?",
            names=names,
            not_after=cert.get("not_after") or "?",
            not_before=cert.get("not_before") or "?",
            now=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    also: Msg | str = ""
    if "hostname_mismatch" in (problem.get("also") or []) and kind != "hostname_mismatch":
        also = msg("tls.problem.also_host", names=names, host=host)
    return msg("tls.problem.with_fix", head=head, fix=fix, also=also)


def problem_sentence(problem: dict[str, Any], cert: dict[str, Any], lang: str = "en") -> str:
    """:func:`problem_msg` written in ``lang``."""
    return render(problem_msg(problem, cert), lang)


def _table(ev: dict[str, Any], key: str) -> dict[str, Any]:
    """``ev[key]`` when it is a table, else an empty one."""
    value = ev.get(key)
    return value if isinstance(value, dict) else {}


def tls_message(ev: dict[str, Any]) -> Msg | None:
    """The detail of ``network.tls_failed`` / ``network.tls_unverified`` from evidence."""
    problem, cert = _table(ev, "tls_problem"), _table(ev, "certificate")
    unverified = ev.get("tls_verification") == "disabled"
    if not unverified:
        return problem_msg(problem, cert) if problem else None
    if problem:
        return msg("tls.unverified.hidden", problem=problem_msg(problem, cert))
    return msg("tls.unverified.clean" if ev.get("tls_checked") else "tls.unverified.unseen")


def tls_detail(ev: dict[str, Any], lang: str = "en") -> str | None:
    """:func:`tls_message` written in ``lang`` (None when the evidence has no TLS facts)."""
    found = tls_message(ev)
    return None if found is None else render(found, lang)


def handshake_lines(ev: dict[str, Any], lang: str = "en") -> list[tuple[str, str]]:
    """Label/value rows of the handshake evidence (what ``e`` shows on a TLS step)."""

    def label(name: str) -> str:
        return render(msg(f"tls.line.{name}"), lang)

    problem, cert = _table(ev, "tls_problem"), _table(ev, "certificate")
    via = ev.get("certificate_via_proxy")
    if not cert and isinstance(via, dict):
        cert = via  # the proxy step: the certificate the proxy presented for the gateway
    rows: list[tuple[str, str]] = []
    host = problem.get("host") or ev.get("host")
    if host:
        rows.append((label("host"), f"{host}:{problem.get('port') or ev.get('port', '')}"))
    elif cert is via and ev.get("gateway"):
        rows.append((label("host"), str(ev["gateway"])))
    if cert is via and ev.get("proxy"):
        rows.append((label("proxy"), str(ev["proxy"])))
    if problem:
        rows.append((label("problem"), f"{problem.get('kind')}: {problem.get('message', '')}"))
    for key in _CERT_ROWS:
        if cert.get(key):
            rows.append((label(key), str(cert[key])))
    if cert.get("names"):
        rows.append((label("names"), ", ".join(cert["names"])))
    if cert.get("not_before"):
        rows.append((label("valid"), f"{cert['not_before']} → {cert.get('not_after')}"))
    for key in ("tls_version", "sha256"):
        if cert.get(key):
            rows.append((label(key), str(cert[key])))
    if cert.get("fetch_error") or cert.get("parse_error"):
        rows.append((label("fetch_error"), cert_error_text(cert, lang)))
    return rows


def cert_error_text(cert: dict[str, Any], lang: str) -> str:
    """Why a certificate could not be fetched or read, in ``lang`` (its stored message;
    the English line for evidence recorded without one)."""
    stored = cert.get("error_message")
    if isinstance(stored, dict) and isinstance(stored.get("id"), str):
        return render(thaw(stored), lang)
    return str(cert.get("fetch_error") or cert.get("parse_error") or "")


def handshake_title(lang: str = "en") -> str:
    return render(msg("tls.line.title"), lang)
