"""JWT probe (F13): a bearer token cannot mint its own successor; only the session cookie refreshes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.cookies import cookie_name
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


def _login(client: TestClient) -> tuple[str, str]:
    email = f"chain-{uuid.uuid4().hex[:8]}@example.edu"
    assert client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).status_code == 201
    client.cookies.clear()
    response = client.post("/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD, "issue_jwt": True})
    cookie = next(iter(client.cookies.values()))
    client.cookies.clear()
    return response.json()["token"]["access_token"], cookie


def test_a_bearer_alone_cannot_refresh_itself(app: App) -> None:
    client, _, _ = app
    bearer, _ = _login(client)
    response = client.post("/v1/auth/token", headers={"Authorization": f"Bearer {bearer}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


def test_the_session_cookie_refreshes_and_the_bearer_header_does_not_replace_it(app: App) -> None:
    client, built, _ = app
    bearer, cookie = _login(client)
    client.cookies.set(cookie_name(built), cookie)
    fresh = client.post("/v1/auth/token", headers={"Authorization": f"Bearer {bearer}"})
    assert fresh.status_code == 200
    client.cookies.clear()
    assert (
        client.get("/v1/auth/session", headers={"Authorization": f"Bearer {fresh.json()['access_token']}"}).status_code
        == 200
    )
