"""Server certificates for the TLS tests, broken in one way each (trustme + cryptography).

``tls_context`` in servers.py covers valid / unknown CA / expired / wrong host;
these add a certificate not yet valid, a truly self-signed leaf, and a leaf
issued by a CA named like an HTTPS-interception product (a corporate proxy).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

from tests.support.servers import TlsFiles


def not_yet_valid(directory: Path) -> TlsFiles:
    """Trusted CA (give ``ca_pem``), leaf valid only from tomorrow."""
    import trustme

    ca = trustme.CA()
    now = dt.datetime.now(dt.UTC)
    leaf = ca.issue_cert(
        "127.0.0.1",
        "localhost",
        not_before=now + dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=30),
    )
    return _files(ca, leaf, directory, "future")


def intercepting(
    directory: Path, org: str = "Zscaler Inc.", unit: str = "Zscaler Root CA"
) -> TlsFiles:
    """A leaf for 127.0.0.1 issued by a CA with an interception product's names."""
    import trustme

    ca = trustme.CA(organization_name=org, organization_unit_name=unit)
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    return _files(ca, leaf, directory, "mitm")


def self_signed(directory: Path, common_name: str = "my-gateway.lan") -> TlsFiles:
    """A leaf signed by its own key (no CA at all); ``ca_pem`` is that certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_pem = directory / "self-signed.pem"
    key_pem = directory / "self-signed.key"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(str(cert_pem), str(key_pem))
    return TlsFiles(server, cert_pem)


def _files(ca, leaf, directory: Path, tag: str) -> TlsFiles:  # type: ignore[no-untyped-def]
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(server)
    ca_pem = directory / f"ca-{tag}.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    return TlsFiles(server, ca_pem)
