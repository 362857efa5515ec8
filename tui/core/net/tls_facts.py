"""What certificate a server presented, and why it was not trusted.

When verification fails, the error alone ("unable to get local issuer
certificate") does not tell a helpdesk whether the gateway's certificate
expired, the address is wrong, or a company proxy re-signs HTTPS. So the
presented certificate is fetched with a bare TLS handshake that verifies
nothing and sends nothing (no HTTP request, never the key), and parsed with
``cryptography``: subject, issuer, names, validity, and whether the issuer
is a known HTTPS-interception product.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import ssl
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from tui.core.i18n.catalogue import Msg, msg, render
from tui.core.net.trust import unverified_context

#: Known HTTPS-interception products (corporate proxies, antivirus, debugging
#: proxies), matched on the issuer's names. Patterns are whole words, lower case.
INTERCEPTION_PRODUCTS: tuple[tuple[str, str], ...] = (
    ("Zscaler", r"zscaler"),
    ("Fortinet FortiGate", r"fortinet|fortigate|fortiproxy"),
    ("Palo Alto Networks", r"palo ?alto"),
    (
        "Blue Coat / Symantec ProxySG",
        r"blue ?coat|proxysg|symantec web",  # not-ui-text: issuer regex
    ),
    ("Netskope", r"netskope"),
    (
        "Cisco Umbrella",
        r"cisco umbrella|opendns",  # not-ui-text: issuer regex
    ),
    (
        "Cisco Secure Web Appliance",
        r"ironport|cisco web security",  # not-ui-text: issuer regex
    ),
    ("Sophos", r"sophos"),
    ("Check Point", r"check ?point"),
    ("Forcepoint / Websense", r"forcepoint|websense"),
    (
        "Skyhigh / McAfee Web Gateway",
        r"skyhigh|mcafee web gateway",  # not-ui-text: issuer regex
    ),
    ("Barracuda", r"barracuda"),
    ("iboss", r"iboss"),
    ("Sangfor", r"sangfor"),
    (
        "Cloudflare Gateway (Zero Trust)",
        r"cloudflare for teams|gateway ca - cloudflare",  # not-ui-text: issuer regex
    ),
    ("mitmproxy", r"mitmproxy"),
    (
        "Charles Proxy",
        r"charles proxy|charlesproxy|xk72",  # not-ui-text: issuer regex
    ),
    ("Fiddler", r"fiddler|do_not_trust_fiddlerroot"),
    (
        "Burp Suite",
        r"portswigger|burp suite",  # not-ui-text: issuer regex
    ),
    ("Proxyman", r"proxyman"),
    ("Kaspersky", r"kaspersky"),
    (
        "ESET",
        r"eset ssl filter|eset,? spol",  # not-ui-text: issuer regex
    ),
    ("Avast / AVG", r"avast|avg (?:web|technologies|antivirus)"),
    ("Bitdefender", r"bitdefender"),
)
_PRODUCT_RES = tuple((name, re.compile(rf"\b(?:{pat})\b")) for name, pat in INTERCEPTION_PRODUCTS)
#: Longest name text kept (a hostile certificate can hold very long names).
MAX_NAME = 300
MAX_SANS = 20

# OpenSSL verify codes (X509_V_ERR_*) and what they mean to a user.
_CODE_KIND = {
    9: "not_yet_valid",
    10: "expired",
    18: "self_signed",
    19: "unknown_issuer",  # a self-signed root in the chain that nobody trusts
    2: "unknown_issuer",
    20: "unknown_issuer",
    21: "unknown_issuer",
    62: "hostname_mismatch",
    64: "hostname_mismatch",
}
#: OpenSSL's words for each kind (matched in its message, lower-cased).
_MESSAGE_KIND = (
    ("hostname_mismatch", re.compile(r"hostname mismatch|ip address mismatch|doesn't match")),
    ("expired", re.compile(r"certificate has expired")),
    ("not_yet_valid", re.compile(r"not yet valid")),
    (
        "unknown_issuer",
        re.compile(r"in certificate chain|local issuer|first certificate|unknown ca"),
    ),
    ("self_signed", re.compile(r"self-signed certificate|self signed certificate")),
)
KINDS = ("expired", "not_yet_valid", "hostname_mismatch", "unknown_issuer", "self_signed", "other")


class TunnelError(OSError):
    """A proxy would not open a tunnel (``CONNECT``); ``message`` says why."""

    def __init__(self, message: Msg) -> None:
        super().__init__(render(message, "en"))
        self.message = message


def _failed(key: str, message: Msg) -> dict[str, Any]:
    """A certificate that could not be fetched or read: the English line under ``key``
    (data for scripts) and the message itself (``error_message``, JSON form)."""
    return {key: render(message, "en"), "error_message": message.to_json()}


def _cut(text: str) -> str:
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"


def interception_product(*names: str) -> str | None:
    """The interception product an issuer's names point to, or None."""
    text = " ".join(n.lower() for n in names if n)
    for product, pattern in _PRODUCT_RES:
        if pattern.search(text):
            return product
    return None


def parse_certificate(der: bytes, now: datetime | None = None) -> dict[str, Any]:
    """Facts about a DER certificate; ``{"parse_error": ...}`` when it cannot be read."""
    try:
        from cryptography import x509
    except ImportError:
        return _failed("parse_error", msg("tls.cert.no_cryptography"))
    try:
        cert = x509.load_der_x509_certificate(der)
        subject, issuer = cert.subject.rfc4514_string(), cert.issuer.rfc4514_string()
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    except Exception as exc:  # noqa: BLE001 - a hostile certificate: report, never raise
        return _failed("parse_error", msg("tls.cert.unreadable", error=type(exc).__name__))
    names: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(v) for v in san.get_values_for_type(x509.DNSName)]
        names += [str(v) for v in san.get_values_for_type(x509.IPAddress)]
    except Exception:  # noqa: BLE001 - no SAN extension, or a malformed one
        pass
    now = now or datetime.now(UTC)
    issuer_attrs = [str(a.value) for a in cert.issuer]
    facts: dict[str, Any] = {
        "subject": _cut(subject),
        "issuer": _cut(issuer),
        "names": [_cut(n) for n in names[:MAX_SANS]],
        "not_before": not_before.strftime("%Y-%m-%d %H:%M UTC"),
        "not_after": not_after.strftime("%Y-%m-%d %H:%M UTC"),
        "days_left": int((not_after - now).total_seconds() // 86400),
        "expired": now > not_after,
        "not_yet_valid": now < not_before,
        "self_signed": cert.issuer == cert.subject,
        "sha256": hashlib.sha256(der).hexdigest(),
    }
    if len(names) > MAX_SANS:
        facts["names_total"] = len(names)
    facts["interception"] = interception_product(*issuer_attrs)
    return facts


def name_matches(host: str, names: list[str]) -> bool:
    """Whether ``host`` is one of a certificate's names (``*.`` covers one label)."""
    host = host.lower().strip("[]").rstrip(".")
    for name in (n.lower().rstrip(".") for n in names):
        if name == host or (
            name.startswith("*.") and host.count(".") >= 2 and host.split(".", 1)[1] == name[2:]
        ):
            return True
    return False


def kind_of(
    verify_code: int | None, message: str, cert: dict[str, Any] | None, host: str | None = None
) -> str:
    """What kind of trust problem: expired, not yet valid, name mismatch, issuer, self-signed.

    The verify code and OpenSSL's words come first; the certificate's own facts
    decide when the platform verifier (macOS, Windows) words it differently.
    """
    cert = cert or {}
    if cert.get("expired"):
        return "expired"
    if cert.get("not_yet_valid"):
        return "not_yet_valid"
    if verify_code in _CODE_KIND:
        return _CODE_KIND[verify_code]
    low = message.lower()
    for kind, needles in _MESSAGE_KIND:
        if needles.search(low):
            return kind
    if host and cert.get("names") and not name_matches(host, cert["names"]):
        return "hostname_mismatch"
    if cert.get("self_signed"):
        return "self_signed"
    return "other"


def also_kinds(kind: str, cert: dict[str, Any] | None, host: str | None) -> list[str]:
    """Problems besides ``kind`` the certificate shows by itself: OpenSSL stops at the
    first (an untrusted issuer hides that the certificate is for another host)."""
    cert = cert or {}
    names = cert.get("names")
    if kind != "hostname_mismatch" and host and names and not name_matches(host, names):
        return ["hostname_mismatch"]
    return []


def verify_error_text(text: str) -> tuple[int | None, str] | None:
    """``(None, reason)`` when an error text is a certificate verification failure."""
    if not re.search(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed", text):
        return None
    m = re.search(r"certificate verify failed: ([^(\]]+)", text)
    return None, (m.group(1).strip() if m else text[:300])


async def fetch_certificate(
    host: str, port: int, timeout: float, *, proxy: str | None = None
) -> dict[str, Any]:
    """The certificate ``host:port`` presents, parsed; ``{"fetch_error": ...}`` on failure.

    A TLS handshake that verifies nothing and then closes: no HTTP request is
    sent, so no key. ``proxy`` (``http://[user:pass@]host:port``) is asked to
    CONNECT first, to see what a proxy that re-signs HTTPS presents.
    """
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            if proxy:
                reader, writer = await _connect_via(proxy, host, port)
                await writer.start_tls(unverified_context(), server_hostname=host)
            else:
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=unverified_context(), server_hostname=host
                )
            sslobj = writer.get_extra_info("ssl_object")
            der = sslobj.getpeercert(binary_form=True) if sslobj is not None else None
            version = sslobj.version() if sslobj is not None else None
    except TimeoutError:
        where = {"host": host, "port": port, "limit": timeout}
        return _failed("fetch_error", msg("tls.cert.no_handshake", **where))
    except (OSError, ssl.SSLError, ValueError, ConnectionError) as exc:
        said = exc.message if isinstance(exc, TunnelError) else str(exc)
        where = {"host": host, "port": port, "error": said}
        return _failed("fetch_error", msg("tls.cert.unreadable_at", **where))
    finally:
        if writer is not None:
            writer.close()
    if not der:
        return _failed("fetch_error", msg("tls.cert.none_presented", host=host, port=port))
    facts = parse_certificate(der)
    facts["tls_version"] = version
    return facts


async def verify_handshake(
    host: str, port: int, sslctx: ssl.SSLContext, timeout: float, *, proxy: str | None = None
) -> tuple[str, int | None, str]:
    """``(verdict, verify code, message)``: would ``sslctx`` trust what ``host`` presents?

    ``verdict`` is ``trusted``, ``untrusted`` or ``unchecked`` (no handshake could be
    made). Like :func:`fetch_certificate` it sends no HTTP request, so never the key;
    ``--insecure`` through a proxy uses it to name the problem verification would hide.
    """
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            if proxy:
                _reader, writer = await _connect_via(proxy, host, port)
            else:
                _reader, writer = await asyncio.open_connection(host, port)
            await writer.start_tls(sslctx, server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        return "untrusted", exc.verify_code, str(exc.verify_message or exc)
    except (TimeoutError, OSError, ssl.SSLError, ValueError, ConnectionError) as exc:
        return "unchecked", None, str(exc) or type(exc).__name__
    finally:
        if writer is not None:
            writer.close()
    return "trusted", None, ""


async def _connect_via(
    proxy: str, host: str, port: int
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A tunnel to ``host:port`` through an HTTP proxy (CONNECT); raises OSError on refusal."""
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if parts.scheme not in ("http", ""):
        raise TunnelError(msg("tls.tunnel.scheme", scheme=parts.scheme))
    reader, writer = await asyncio.open_connection(parts.hostname or "", parts.port or 80)
    lines = [f"CONNECT {host}:{port} HTTP/1.1", f"Host: {host}:{port}"]
    if parts.username is not None:
        user = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        lines.append("Proxy-Authorization: Basic " + base64.b64encode(user.encode()).decode())
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        writer.close()
        raise TunnelError(msg("tls.tunnel.closed")) from exc
    status = head.split(b"\r\n", 1)[0].decode("latin-1")
    if not re.match(r"HTTP/1\.[01] 2\d\d", status):
        writer.close()
        raise TunnelError(msg("tls.tunnel.refused", status=status[:120]))
    return reader, writer
