"""The mobile JWT: lifetime, claims, and ten forged variants refused (no services)."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import jwt_tokens
from shared.platform.errors import FailedPrecondition, Unauthenticated

KEY = "k" * 48
NOW = datetime.now(UTC)
USER, SESSION = uuid.uuid4(), uuid.uuid4()


def _valid() -> str:
    return jwt_tokens.issue(key=KEY, user_id=USER, session_id=SESSION, now=NOW, ttl_s=900)


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    loaded: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return loaded


def test_issued_token_round_trips_and_lives_at_most_15_minutes() -> None:
    token = _valid()
    claims = _claims(token)
    assert isinstance(claims["exp"], int) and isinstance(claims["iat"], int)
    assert claims["exp"] - claims["iat"] <= 900
    assert jwt_tokens.verify(token, key=KEY, now=NOW) == jwt_tokens.BearerClaims(user_id=USER, session_id=SESSION)


def _signed(**changes: object) -> str:
    return jwt.encode({**_claims(_valid()), **changes}, KEY, algorithm="HS256")


def _forgeries() -> dict[str, str]:
    header, payload, signature = _valid().split(".")
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    flipped = payload[:5] + ("A" if payload[5] != "A" else "B") + payload[6:]
    return {
        "alg none": f"{none_header}.{payload}.",
        "RS256 with someone's key": jwt.encode(_claims(_valid()), rsa_key, algorithm="RS256"),
        "flipped payload": f"{header}.{flipped}.{signature}",
        "expired": _signed(exp=int((NOW - timedelta(minutes=2)).timestamp())),
        "not yet valid": _signed(nbf=int((NOW + timedelta(minutes=5)).timestamp())),
        "wrong audience": _signed(aud="another-api"),
        "wrong issuer": _signed(iss="someone-else"),
        "refresh token as access": _signed(typ="refresh"),
        "no session id": jwt.encode({k: v for k, v in _claims(_valid()).items() if k != "sid"}, KEY, algorithm="HS256"),
        "other key": jwt.encode(_claims(_valid()), "x" * 48, algorithm="HS256"),
    }


@pytest.mark.parametrize("name", list(_forgeries()))
def test_forged_variants_are_refused(name: str) -> None:
    with pytest.raises(Unauthenticated):
        jwt_tokens.verify(_forgeries()[name], key=KEY, now=NOW)


def test_expiry_follows_the_injected_clock() -> None:
    with pytest.raises(Unauthenticated):
        jwt_tokens.verify(_valid(), key=KEY, now=NOW + timedelta(minutes=16))


def test_signing_key_is_required_outside_local_dev() -> None:
    with pytest.raises(FailedPrecondition, match="JWT_SECRET"):
        jwt_tokens.signing_key(None, is_local=False)
    assert jwt_tokens.signing_key(KEY, is_local=False) == KEY
    assert len(jwt_tokens.signing_key(None, is_local=True)) >= 32
