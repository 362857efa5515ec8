"""Sentences about a certificate problem, in English and Simplified Chinese.

The network check records ``tls_problem`` (kind, message, host, port) and
``certificate`` (from :mod:`tui.core.net.tls_facts`) as evidence; the detail line
in either language, and the handshake evidence the console shows for ``e``,
are built here from those facts, so both languages say the same thing and
the advice fits the kind of problem (a clock, an address, a missing CA).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

_FIX = {
    "en": {
        "expired": "it expired on {not_after}: the gateway's operator must renew it, or this "
        "computer's clock is wrong (it says {now})",
        "not_yet_valid": "it is valid only from {not_before}: this computer's clock is probably "
        "wrong (it says {now}); set the date, time and time zone",
        "hostname_mismatch": "it is for {names}, not {host}: check the address in the base URL, "
        "or something in between answers for that host",
        "unknown_issuer": "it was issued by {issuer}, which this computer does not trust: behind a company proxy or an "
        "HTTPS-scanning antivirus install the company's root CA in the system store, or pass it "
        "with --ca-bundle FILE (or SSL_CERT_FILE); otherwise the server sends an incomplete chain",
        "self_signed": "it is self-signed ({subject}): for your own gateway pass this certificate "
        "with --ca-bundle FILE or install one from a public CA; a public gateway never uses one",
        "other": "{message}",
        "product": "issued by {product} ({issuer}), which re-signs HTTPS: install your company's "
        "root CA in the system store, or pass it with --ca-bundle FILE (or SSL_CERT_FILE)",
        "head": "the certificate of {host}:{port} is not trusted ({message})",
        "at_redirect": "the redirect target {url}: ",
        "also_host": "; and it is for {names}, not {host}: check the address in the base URL, "
        "or something in between answers for that host",
    },
    "zh-CN": {
        "expired": "证书已于 {not_after} 过期：需要网关运营方续期证书；也可能是本机时钟不准（本机时间 {now}）",
        "not_yet_valid": "证书要到 {not_before} 才生效：多半是本机时钟不准（本机时间 {now}），"
        "请校正日期、时间和时区",
        "hostname_mismatch": "证书签发给 {names}，而不是 {host}：请检查 Base URL 中的地址，"
        "或者中间有别的设备在替这个主机应答",
        "unknown_issuer": "签发者 {issuer} 不在本机信任的证书库中：如果在公司代理或会扫描 HTTPS 的杀毒软件后面，"
        "请把公司的根证书装进系统证书库，或用 --ca-bundle 文件（或 SSL_CERT_FILE）指定；"
        "否则就是服务器没有发送完整的证书链",
        "self_signed": "这是自签名证书（{subject}）：如果是你自己的网关，用 --ca-bundle 指定这张证书，"
        "或换成公共 CA 签发的证书；公共网关不会使用自签名证书",
        "other": "{message}",
        "product": "由 {product}（{issuer}）签发，它会拦截并重新签发 HTTPS 证书：请把公司的根证书装进"
        "系统证书库，或用 --ca-bundle 文件（或 SSL_CERT_FILE）指定",
        "head": "{host}:{port} 的证书不受信任（{message}）",
        "at_redirect": "重定向目标 {url}：",
        "also_host": "；而且证书签发给 {names}，而不是 {host}：请检查 Base URL 中的地址，"
        "或者中间有别的设备在替这个主机应答",
    },
}

_UNVERIFIED = {
    "en": {
        "hidden": "TLS verification is off (--insecure) and it hides a problem: {problem}",
        "clean": "TLS verification is off (--insecure); the certificate would be trusted "
        "anyway: drop --insecure",
        "unseen": "TLS verification is off (--insecure): nothing about the certificate is "
        "checked; drop --insecure once the diagnosis is done",
    },
    "zh-CN": {
        "hidden": "TLS 证书校验已关闭（--insecure），它掩盖了一个问题：{problem}",
        "clean": "TLS 证书校验已关闭（--insecure）；即使打开校验，这张证书也会被信任：请去掉 --insecure",
        "unseen": "TLS 证书校验已关闭（--insecure）：证书完全没有被检查；诊断完成后请去掉 --insecure",
    },
}

_LINES = {
    "en": {
        "host": "server",
        "proxy": "through the proxy",
        "problem": "problem",
        "subject": "subject",
        "issuer": "issuer",
        "interception": "interception product",
        "names": "names (SAN)",
        "valid": "valid",
        "tls_version": "TLS version",
        "sha256": "SHA-256",
        "fetch_error": "certificate",
        "title": "TLS handshake (no HTTP request was made; the key was not sent)",
    },
    "zh-CN": {
        "host": "服务器",
        "proxy": "经由代理",
        "problem": "问题",
        "subject": "使用者",
        "issuer": "签发者",
        "interception": "HTTPS 拦截产品",
        "names": "证书名称 (SAN)",
        "valid": "有效期",
        "tls_version": "TLS 版本",
        "sha256": "SHA-256",
        "fetch_error": "证书",
        "title": "TLS 握手（没有发出 HTTP 请求，也没有发送密钥）",
    },
}


def _lang(lang: str) -> str:
    return "zh-CN" if lang == "zh-CN" else "en"


def problem_sentence(problem: dict[str, Any], cert: dict[str, Any], lang: str = "en") -> str:
    """What is wrong with the certificate and what to do, for its kind."""
    words = _FIX[_lang(lang)]
    kind = str(problem.get("kind") or "other")
    names = ", ".join(cert.get("names") or []) or str(cert.get("subject") or "?")
    values = {
        "host": problem.get("host", "?"),
        "port": problem.get("port", "?"),
        "message": problem.get("message", "?"),
        "url": problem.get("url", "?"),
        "issuer": cert.get("issuer") or "?",
        "subject": cert.get("subject") or "?",
        "names": names,
        "not_after": cert.get("not_after") or "?",
        "not_before": cert.get("not_before") or "?",
        "product": cert.get("interception") or "",
        "now": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    head = words["head"].format(**values)
    if problem.get("url"):
        head = words["at_redirect"].format(**values) + head
    if cert.get("interception") and kind in ("unknown_issuer", "self_signed", "hostname_mismatch"):
        fix = words["product"].format(**values)
    elif kind == "other" or not cert.get("subject"):
        return head
    else:
        fix = words.get(kind, words["other"]).format(**values)
    sep = ": " if _lang(lang) == "en" else "："
    if "hostname_mismatch" in (problem.get("also") or []) and kind != "hostname_mismatch":
        fix += words["also_host"].format(**values)
    return f"{head}{sep}{fix}"


def tls_detail(ev: dict[str, Any], lang: str = "en") -> str | None:
    """The detail of ``network.tls_failed`` / ``network.tls_unverified`` from evidence."""
    problem = ev.get("tls_problem") if isinstance(ev.get("tls_problem"), dict) else None
    cert = ev.get("certificate") if isinstance(ev.get("certificate"), dict) else {}
    unverified = ev.get("tls_verification") == "disabled"
    if not unverified:
        return problem_sentence(problem, cert, lang) if problem else None
    words = _UNVERIFIED[_lang(lang)]
    if problem:
        return words["hidden"].format(problem=problem_sentence(problem, cert, lang))
    return words["clean" if ev.get("tls_checked") else "unseen"]


def handshake_lines(ev: dict[str, Any], lang: str = "en") -> list[tuple[str, str]]:
    """Label/value rows of the handshake evidence (what ``e`` shows on a TLS step)."""
    words = _LINES[_lang(lang)]
    problem = ev.get("tls_problem") if isinstance(ev.get("tls_problem"), dict) else {}
    cert = ev.get("certificate") if isinstance(ev.get("certificate"), dict) else {}
    via = ev.get("certificate_via_proxy")
    if not cert and isinstance(via, dict):
        cert = via  # the proxy step: the certificate the proxy presented for the gateway
    rows: list[tuple[str, str]] = []
    host = problem.get("host") or ev.get("host")
    if host:
        rows.append((words["host"], f"{host}:{problem.get('port') or ev.get('port', '')}"))
    elif cert is via and ev.get("gateway"):
        rows.append((words["host"], str(ev["gateway"])))
    if cert is via and ev.get("proxy"):
        rows.append((words["proxy"], str(ev["proxy"])))
    if problem:
        rows.append((words["problem"], f"{problem.get('kind')}: {problem.get('message', '')}"))
    for key in ("subject", "issuer", "interception"):
        if cert.get(key):
            rows.append((words[key], str(cert[key])))
    if cert.get("names"):
        rows.append((words["names"], ", ".join(cert["names"])))
    if cert.get("not_before"):
        rows.append((words["valid"], f"{cert['not_before']} → {cert.get('not_after')}"))
    for key in ("tls_version", "sha256", "fetch_error"):
        if cert.get(key):
            rows.append((words[key], str(cert[key])))
    if cert.get("parse_error"):
        rows.append((words["fetch_error"], str(cert["parse_error"])))
    return rows


def handshake_title(lang: str = "en") -> str:
    return _LINES[_lang(lang)]["title"]
