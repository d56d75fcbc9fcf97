"""OpenID Connect pieces shared by both providers: discovery, TLS trust, PKCE, ID-token checks."""

from __future__ import annotations

import base64
import hashlib
import secrets
import ssl
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from shared.platform.errors import Unauthenticated, Unavailable

# Asymmetric algorithms only: an ID token signed with a shared secret or `none` is refused.
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
CLOCK_SKEW_S = 60


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in; `subject` is the stable account key for linking."""

    provider: str
    subject: str
    issuer: str
    email: str | None
    email_verified: bool
    name: str


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


def discover(url: str, *, tls: ssl.SSLContext, timeout_s: float) -> ProviderMetadata:
    try:
        response = httpx.get(url, verify=tls, timeout=timeout_s)
        response.raise_for_status()
        document = response.json()
        return ProviderMetadata(**{name: str(document[name]) for name in ProviderMetadata.__dataclass_fields__})
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise Unavailable(f"the sign-in provider's discovery document could not be read ({url})") from exc


def new_state() -> str:
    return secrets.token_urlsafe(32)


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_id_token(id_token: str, *, signing_key: Any, issuer: str, audience: str, nonce: str) -> dict[str, Any]:
    """Signature first, then iss (exact), aud, exp, iat and nonce; any failure is UNAUTHENTICATED."""
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            signing_key,
            algorithms=ID_TOKEN_ALGORITHMS,
            audience=audience,
            issuer=issuer,
            leeway=CLOCK_SKEW_S,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated(f"the provider's ID token was refused: {exc}") from exc
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Unauthenticated("the provider's ID token does not carry this sign-in's nonce")
    return claims


def key_for(jwks: jwt.PyJWKClient, id_token: str) -> Any:
    try:
        return jwks.get_signing_key_from_jwt(id_token).key
    except jwt.PyJWKClientConnectionError as exc:
        raise Unavailable("the sign-in provider's keys could not be fetched") from exc
    except jwt.PyJWKClientError as exc:
        raise Unauthenticated("the ID token is signed with a key the provider does not publish") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated("the provider's ID token is malformed") from exc
