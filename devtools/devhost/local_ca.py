"""A throw-away certificate authority and a server certificate for loopback (localhost, 127.0.0.1).

For the production-like local mode (`studyaid dev --prod-like`) and loopback test servers: TLS
that a client trusts for real (it is given `ca.pem`), so Secure and `__Host-` cookies behave as
they do in Azure. The CA's key is never written to disk; a new CA is made when the old one expires.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class LocalTls:
    ca: Path
    cert: Path
    key: Path


def ensure_local_tls(directory: Path, *, common_name: str = "studyaid local CA") -> LocalTls:
    """The CA and server certificate in `directory`, made anew when missing or within a day of expiry."""
    tls = LocalTls(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    if not _fresh(tls):
        _write(tls, common_name)
    return tls


def _fresh(tls: LocalTls) -> bool:
    if not (tls.ca.exists() and tls.cert.exists() and tls.key.exists()):
        return False
    cert = x509.load_pem_x509_certificate(tls.cert.read_bytes())
    return cert.not_valid_after_utc - datetime.now(UTC) > timedelta(days=1)


def _write(tls: LocalTls, common_name: str) -> None:
    tls.ca.parent.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    ca_usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)  # cert and CRL signing
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(ca_usage, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1")), x509.IPAddress(IPv6Address("::1"))]
    cert = (
        _builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]), ca_name, key.public_key())
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    tls.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    tls.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.key.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    tls.key.chmod(0o600)


def _builder(subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey) -> x509.CertificateBuilder:
    now = datetime.fromtimestamp(time.time(), UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + LIFETIME)
    )
