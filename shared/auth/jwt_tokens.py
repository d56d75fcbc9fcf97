"""The optional short-lived bearer JWT for mobile clients.

HS256 only (the algorithm list is fixed, so `none` and key-confusion tricks fail), `exp` at most
15 minutes after `iat`, and our own `iss`/`aud`/`typ`. The token names its session (`sid`):
a bearer request is accepted only while that session is live, so logout and expiry end the
JWT too, not just the cookie.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from shared.platform.errors import FailedPrecondition, Unauthenticated

ISSUER = "studyaid"
AUDIENCE = "studyaid-api"
TOKEN_TYPE = "access"
ALGORITHM = "HS256"
LEEWAY_S = 30

# Local dev and tests without JWT_SECRET sign with a per-process random key.
_LOCAL_KEY = secrets.token_urlsafe(48)


@dataclass(frozen=True)
class BearerClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID


def signing_key(secret: str | None, *, is_local: bool) -> str:
    if secret is not None:
        return secret
    if is_local:
        return _LOCAL_KEY
    raise FailedPrecondition("mobile tokens are not configured: set JWT_SECRET")


def issue(*, key: str, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime, ttl_s: int) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "typ": TOKEN_TYPE,
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def verify(token: str, *, key: str, now: datetime) -> BearerClaims:
    """Check signature first, then exp/nbf/iss/aud/typ; any failure is UNAUTHENTICATED."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=LEEWAY_S,
            # exp and nbf are checked against our clock below, not PyJWT's wall clock.
            options={
                "require": ["exp", "iat", "nbf", "sub", "sid", "iss", "aud"],
                "verify_iat": False,
                "verify_exp": False,
                "verify_nbf": False,
            },
        )
        _check_time(claims, now=now)
        if claims.get("typ") != TOKEN_TYPE:
            raise Unauthenticated("the bearer token is not an access token")
        return BearerClaims(user_id=uuid.UUID(claims["sub"]), session_id=uuid.UUID(claims["sid"]))
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise Unauthenticated("the bearer token is invalid or expired") from exc


def _check_time(claims: dict[str, object], *, now: datetime) -> None:
    """exp and nbf against the container's clock (PyJWT would use the wall clock; tests move ours)."""
    exp, nbf, at = claims["exp"], claims["nbf"], int(now.timestamp())
    if not isinstance(exp, int) or exp + LEEWAY_S < at:
        raise Unauthenticated("the bearer token has expired")
    if not isinstance(nbf, int) or nbf - LEEWAY_S > at:
        raise Unauthenticated("the bearer token is not valid yet")
