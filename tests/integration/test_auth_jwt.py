"""The mobile bearer JWT over HTTP: issued on request, short-lived, forged variants refused."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.container import Container
from shared.platform.clock import FixedClock
from tests.support.auth_stack import STRONG_PASSWORD, auth_app

pytestmark = pytest.mark.integration

SECRET = "s" * 16 + "a-real-looking-256-bit-test-secret"
App = tuple[TestClient, Container, FixedClock]


@pytest.fixture
def app(stack: Stack, database_url: str) -> Iterator[App]:
    with auth_app(stack, database_url, JWT_SECRET=SECRET) as built:
        yield built


def _mobile_login(client: TestClient) -> dict[str, object]:
    email = f"mobile-{uuid.uuid4().hex[:8]}@example.edu"
    assert client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).status_code == 201
    client.cookies.clear()
    response = client.post("/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD, "issue_jwt": True})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    client.cookies.clear()  # from here on the client proves itself with the bearer token only
    return body


def _bearer(client: TestClient, token: str) -> int:
    return client.get("/v1/auth/session", headers={"Authorization": f"Bearer {token}"}).status_code


def test_login_without_asking_gives_no_token(app: App) -> None:
    client, _, _ = app
    email = f"web-{uuid.uuid4().hex[:8]}@example.edu"
    body = client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).json()
    assert body["token"] is None


def test_bearer_token_is_short_lived_and_accepted(app: App) -> None:
    client, _, _ = app
    token = _mobile_login(client)["token"]
    assert isinstance(token, dict) and token["token_type"] == "Bearer"
    claims = jwt.decode(token["access_token"], SECRET, algorithms=["HS256"], audience="studyaid-api")
    assert claims["exp"] - claims["iat"] <= 900
    assert token["expires_in"] <= 900
    assert _bearer(client, token["access_token"]) == 200
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/v1/documents", headers=bearer).json() == {"items": [], "next_cursor": None}  # a read route


def test_token_route_refreshes_with_the_session(app: App) -> None:
    client, _, _ = app
    email = f"mobile-{uuid.uuid4().hex[:8]}@example.edu"
    assert client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).status_code == 201
    fresh = client.post("/v1/auth/token")  # the session cookie is the refresh credential
    assert fresh.status_code == 200
    client.cookies.clear()
    assert _bearer(client, fresh.json()["access_token"]) == 200


def _forge(valid: str, built: Container) -> dict[str, str]:
    header, payload, signature = valid.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    now = built.clock.now()

    def signed(**changes: object) -> str:
        return jwt.encode({**claims, **changes}, SECRET, algorithm="HS256")

    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    return {
        "alg none": f"{none_header}.{payload}.",
        "flipped payload bit": f"{header}.{flipped}.{signature}",
        "other key": jwt.encode(claims, "another-secret-of-sufficient-length-123456", algorithm="HS256"),
        "expired": signed(exp=int((now - timedelta(minutes=5)).timestamp())),
        "not yet valid": signed(nbf=int((now + timedelta(minutes=5)).timestamp())),
        "wrong audience": signed(aud="someone-else"),
        "wrong issuer": signed(iss="https://evil.example"),
        "not an access token": signed(typ="refresh"),
        "unknown session": signed(sid=str(uuid.uuid4())),
        "other user": signed(sub=str(uuid.uuid4())),
    }


def test_forged_tampered_and_expired_tokens_are_refused(app: App) -> None:
    client, built, _ = app
    token = _mobile_login(client)["token"]
    assert isinstance(token, dict)
    for name, forged in _forge(token["access_token"], built).items():
        response = client.get("/v1/auth/session", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401, name
        assert response.json()["error"]["code"] == "UNAUTHENTICATED", name


def test_malformed_authorization_header_is_refused(app: App) -> None:
    client, _, _ = app
    for value in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer not.a.jwt"):
        assert client.get("/v1/auth/session", headers={"Authorization": value}).status_code == 401, value


def test_logout_ends_the_token_and_expiry_of_the_session_too(app: App) -> None:
    client, built, clock = app
    token = _mobile_login(client)["token"]
    assert isinstance(token, dict)
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.post("/v1/auth/logout", headers=bearer).status_code == 204
    assert _bearer(client, token["access_token"]) == 401
    assert client.get("/v1/documents", headers=bearer).status_code == 401  # a read route: the same lookup
    second = _mobile_login(client)["token"]
    assert isinstance(second, dict)
    clock.advance(minutes=built.settings.session_idle_minutes + 1)
    assert _bearer(client, second["access_token"]) == 401
