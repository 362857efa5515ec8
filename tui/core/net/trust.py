"""Which certificates are trusted, and how to say so.

By default the operating system's store is trusted (``truststore``), as
browsers, Chatbox (Chromium) and pip do: a company root CA installed by IT in
the Windows, macOS or Linux store then works without flags. ``--ca-bundle``
or ``SSL_CERT_FILE`` replaces it with a PEM file; ``--insecure`` turns
verification off (reported as ``network.tls_unverified``).
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping

from tui.core.diagnosis.model import Target
from tui.core.i18n.catalogue import Msg, msg, render

try:  # a declared dependency; the fallback keeps a broken install usable
    import truststore
except ImportError:  # pragma: no cover - exercised only without truststore
    truststore = None  # type: ignore[assignment]


def system_context() -> ssl.SSLContext:
    """A verifying client context on the OS store (truststore), else Python's defaults."""
    if truststore is not None:
        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return ssl.create_default_context()


def unverified_context() -> ssl.SSLContext:
    """A context that accepts any certificate: only to read what a server presents."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def ca_bundle_origin(target: Target, env: Mapping[str, str]) -> str:
    """``SSL_CERT_FILE`` when the bundle is the variable's file, else the flag/profile."""
    raw = (env.get("SSL_CERT_FILE") or "").strip()
    if raw and target.ca_bundle and os.path.expanduser(raw) == target.ca_bundle:
        return "SSL_CERT_FILE"
    return "--ca-bundle"


def trust_message(target: Target, env: Mapping[str, str] | None = None) -> Msg:
    """What decides whether a certificate is trusted, as a message."""
    env = os.environ if env is None else env
    if target.insecure:
        return msg("tls.trust.none")
    if target.ca_bundle:
        source = ca_bundle_origin(target, env)
        if source == "--ca-bundle" and target.profile:
            return msg("tls.trust.bundle_flag_or_profile", path=target.ca_bundle)
        return msg("tls.trust.bundle", path=target.ca_bundle, source=source)
    if truststore is not None:
        return msg("tls.trust.system")
    return msg("tls.trust.python")


def trust_source(target: Target, env: Mapping[str, str] | None = None) -> str:
    """One English line for the config evidence (data for scripts): :func:`trust_message`."""
    return render(trust_message(target, env), "en")
