"""Chinese one-line details for the proxy codes of issue 12, from the evidence.

Kept beside ``detail_zh`` (which calls :func:`proxy_detail_zh` first for
``proxy.*`` codes) so the proxy step's sentences live in one small place.
The proxy's own words and the certificate issuer stay verbatim.
"""

from __future__ import annotations

from typing import Any

_URL_PROBLEMS = {
    "no_scheme": "代理地址缺少协议（http://），请写成 {fix}（HTTP 代理，最常见）；SOCKS 代理写 socks5://…",
    "plain_http": "代理地址写的是 https://，但这个代理只支持普通 HTTP（TLS 握手没有回应）：请改用 {fix}",
    "bad_scheme": "代理地址的协议不是代理使用的协议：HTTP 代理写 http://，SOCKS 代理写 socks5://",
    "no_host": "代理地址里没有主机名：请写成 http://主机:端口",
    "unparsable": "代理地址无法解析，请写成 http://主机:端口",
}


def proxy_detail_zh(code: str, ev: dict[str, Any]) -> str | None:
    """The Chinese detail for the new proxy codes, or None (``detail_zh`` goes on)."""
    if code == "proxy.bad_url":
        text = _URL_PROBLEMS.get(str(ev.get("url_problem")))
        return text.format(fix=ev.get("suggested_proxy") or "http://主机:端口") if text else None
    if code == "proxy.auth_required":
        return "代理要求用户名和密码（407），而代理 URL 里没有：请写成 http://<用户名>:<密码>@主机:端口"
    if code == "proxy.auth_rejected":
        return "代理拒绝了代理 URL 中的用户名和密码（407）：请核对，并对其中的特殊字符做百分号编码（@ 写成 %40，: 写成 %3A）"
    if code == "proxy.intercepts_tls":
        cert = ev.get("certificate_via_proxy") or {}
        issuer = cert.get("issuer") or "（证书无法读取）"
        product = f"（{cert['interception']}）" if cert.get("interception") else ""
        return (
            f"代理在拦截 HTTPS：它出示的网关证书由 {issuer}{product} 签发，本机不信任；"
            "请把这个公司根 CA 安装到系统证书存储，或用 --ca-bundle 文件（或 SSL_CERT_FILE）指定"
        )
    if code == "proxy.ok":
        return _ok_zh(ev)
    if code == "proxy.upstream_failed":
        ans = ev.get("proxy_answer") or {}
        said = f"：“{ans['text']}”" if ans.get("text") else ""
        if ev.get("upstream_problem") == "certificate":
            return (
                f"代理不信任网关的证书：代理自己返回了 HTTP {ans.get('status')}{said}；"
                "是代理到网关这一段的 TLS 校验失败了，需要在代理上加入网关的 CA，或给网关换一张代理信任的证书"
            )
        return (
            f"代理连不上网关：代理自己返回了 HTTP {ans.get('status')}{said}；"
            "直连同样失败，说明网关本身在这个地址上没有响应"
        )
    return None


def _ok_zh(ev: dict[str, Any]) -> str | None:
    """``proxy.ok`` when the direct route failed in a way that says something (else None)."""
    proxy = ev.get("proxy")
    if ev.get("neither_route") == "timeout":
        return (
            f"通过代理 {proxy} 网关同样没有应答（超时），和直连一样：问题不在代理"
            "（网络检查会报告网关的情况）"
        )
    if ev.get("direct_failure") == "tls":
        why = "（用了 --ca-bundle 时只信任该文件里的 CA）" if ev.get("direct_ca_bundle") else ""
        return (
            f"通过代理 {proxy} 网关应答正常；直连在 TLS 证书校验上失败{why}，这并不说明必须走代理"
        )
    return None
