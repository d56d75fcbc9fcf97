"""ID-token checks, PKCE and the sign-up contract (no services)."""

from __future__ import annotations

import base64
import hashlib
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from shared.auth.contracts import SignupRequest
from shared.auth.oauth.oidc import pkce_pair, verify_id_token
from shared.platform.errors import Unauthenticated

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ISSUER, AUDIENCE, NONCE = "https://idp.example", "our-client", "n-0123456789"


def _token(key: rsa.RSAPrivateKey = KEY, algorithm: str = "RS256", **changes: object) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-1", "iat": now, "exp": now + 300, "nonce": NONCE}
    return jwt.encode({**claims, **changes}, key, algorithm=algorithm)


def _verify(token: str) -> dict[str, object]:
    return verify_id_token(token, signing_key=KEY.public_key(), issuer=ISSUER, audience=AUDIENCE, nonce=NONCE)


def test_a_good_token_yields_its_claims() -> None:
    assert _verify(_token())["sub"] == "user-1"


@pytest.mark.parametrize(
    "token",
    [
        _token(aud="another-client"),
        _token(iss="https://idp.example/"),
        _token(exp=int(time.time()) - 3600),
        _token(nonce="replayed-nonce"),
        _token(nonce=None),
        _token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        _token(key="a-shared-secret-the-attacker-knows-000000", algorithm="HS256"),  # type: ignore[arg-type]
    ],
    ids=["audience", "issuer-not-exact", "expired", "nonce", "no-nonce", "other-key", "hs256"],
)
def test_bad_tokens_are_unauthenticated(token: str) -> None:
    with pytest.raises(Unauthenticated):
        _verify(token)


def test_pkce_challenge_is_s256_of_the_verifier() -> None:
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == expected
    assert pkce_pair()[0] != verifier


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two@@example.edu", "spa ce@example.edu"])
def test_signup_refuses_malformed_email(email: str) -> None:
    with pytest.raises(ValidationError):
        SignupRequest(email=email, password="long enough password")


def test_signup_rejects_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        SignupRequest.model_validate({"email": "a@example.edu", "password": "long enough password", "role": "operator"})
