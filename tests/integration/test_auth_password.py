"""Sign-up, sign-in, sign-out and the session over HTTP, against real Postgres and Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.platform.clock import FixedClock
from tests.support.auth_stack import STRONG_PASSWORD, auth_app

pytestmark = pytest.mark.integration

App = tuple[TestClient, Container, FixedClock]


@pytest.fixture
def app(stack: Stack, database_url: str) -> Iterator[App]:
    with auth_app(stack, database_url) as built:
        yield built


def _email() -> str:
    return f"student-{uuid.uuid4().hex[:8]}@Example.edu"


def _as(client: TestClient, token: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, token)
    return client


def _signup(client: TestClient, email: str, password: str = STRONG_PASSWORD) -> dict[str, object]:
    response = client.post("/v1/auth/signup", json={"email": email, "password": password, "display_name": "Ada"})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_signup_session_logout_round_trip(app: App) -> None:
    client, _, _ = app
    email = _email()
    body = _signup(client, email)
    user = body["user"]
    assert isinstance(user, dict)
    assert user == {
        "id": user["id"], "email": email, "school_email": email, "display_name": "Ada", "role": "student",
        "email_verified": False,
    }  # fmt: skip
    session = client.get("/v1/auth/session")
    assert session.status_code == 200
    assert session.json()["user"]["email"] == email
    assert session.json()["session"]["auth_method"] == "password"
    assert session.headers["cache-control"] == "no-store"
    assert client.post("/v1/auth/logout").status_code == 204
    after = client.get("/v1/auth/session")
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "UNAUTHENTICATED"


def test_login_sets_a_lax_httponly_host_only_cookie(app: App) -> None:
    client, _, _ = app
    email = _email()
    _signup(client, email)
    client.cookies.clear()
    response = client.post("/v1/auth/login", json={"email": email.upper(), "password": STRONG_PASSWORD})
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert {"httponly", "path", "samesite", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower() and "path=/" in cookie.lower()
    assert "domain" not in attributes
    assert "secure" not in attributes  # local dev and tests speak plain http
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64url


def test_cookie_is_secure_outside_local_dev(stack: Stack, database_url: str) -> None:
    with auth_app(stack, database_url, SESSION_COOKIE_SECURE=True) as (client, _, _):
        response = client.post("/v1/auth/signup", json={"email": _email(), "password": STRONG_PASSWORD})
        assert response.status_code == 201
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"__Host-{SESSION_COOKIE}=")
        attributes = {part.strip().lower() for part in cookie.split(";")}
        assert {"secure", "httponly", "path=/", "samesite=lax"} <= attributes
        assert not any(a.startswith("domain") for a in attributes)


def test_duplicate_email_is_conflict_case_insensitively(app: App) -> None:
    client, _, _ = app
    email = _email()
    _signup(client, email)
    again = client.post("/v1/auth/signup", json={"email": email.swapcase(), "password": STRONG_PASSWORD})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "CONFLICT"
    assert again.json()["error"]["details"]["field"] == "email"


@pytest.mark.parametrize("password", ["short pass!", "x" * 257])
def test_weak_or_oversized_password_is_invalid_argument_naming_the_field(app: App, password: str) -> None:
    client, _, _ = app
    response = client.post("/v1/auth/signup", json={"email": _email(), "password": password})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_ARGUMENT"
    assert [field["field"] for field in error["details"]["fields"]] == ["password"]


@pytest.mark.parametrize("password", ["ab" * 6, " spaces  and  tabs\t", "😀" * 12, "漢" * 64, "p" * 256])
def test_any_password_of_twelve_to_256_characters_is_accepted_verbatim(app: App, password: str) -> None:
    client, _, _ = app
    email = _email()
    _signup(client, email, password)
    client.cookies.clear()
    assert client.post("/v1/auth/login", json={"email": email, "password": password}).status_code == 200
    for altered in (password.swapcase(), password[:-1]):
        if altered != password:
            assert client.post("/v1/auth/login", json={"email": email, "password": altered}).status_code == 401


def test_unknown_email_and_wrong_password_answer_the_same(app: App) -> None:
    client, _, _ = app
    email = _email()
    _signup(client, email)
    client.cookies.clear()
    wrong = client.post("/v1/auth/login", json={"email": email, "password": "not the password at all"})
    unknown = client.post("/v1/auth/login", json={"email": _email(), "password": "not the password at all"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] | {"request_id": None} == unknown.json()["error"] | {"request_id": None}


def test_each_login_opens_a_new_session_and_ends_the_presented_one(app: App) -> None:
    client, _, _ = app
    email = _email()
    _signup(client, email)
    first = client.cookies[SESSION_COOKIE]
    second_login = client.post("/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    second = second_login.cookies[SESSION_COOKIE]
    assert second != first
    assert _as(client, first).get("/v1/auth/session").status_code == 401
    assert _as(client, second).get("/v1/auth/session").status_code == 200


def test_planted_cookie_is_not_promoted_by_login(app: App) -> None:
    client, _, _ = app
    email = _email()
    _signup(client, email)
    client.cookies.clear()
    planted = "attacker-chosen-session-value-0123456789abcdef"
    client.cookies.set(SESSION_COOKIE, planted)
    response = client.post("/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert response.cookies[SESSION_COOKIE] != planted
    assert _as(client, planted).get("/v1/auth/session").status_code == 401


def test_idle_timeout_ends_the_session(app: App) -> None:
    client, built, clock = app
    _signup(client, _email())
    idle = built.settings.session_idle_minutes
    clock.advance(minutes=idle - 1)
    assert client.get("/v1/auth/session").status_code == 200  # use moves the idle deadline
    clock.advance(minutes=idle - 1)
    assert client.get("/v1/auth/session").status_code == 200
    clock.advance(minutes=idle, seconds=1)
    assert client.get("/v1/auth/session").status_code == 401


def test_absolute_timeout_ends_an_active_session(app: App) -> None:
    client, built, clock = app
    _signup(client, _email())
    step = built.settings.session_idle_minutes - 1
    elapsed = 0
    while elapsed + step < built.settings.session_absolute_hours * 60:
        clock.advance(minutes=step)
        elapsed += step
        assert client.get("/v1/auth/session").status_code == 200
    clock.advance(minutes=step)
    response = client.get("/v1/auth/session")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


def test_revoked_session_is_unauthenticated(app: App) -> None:
    client, _, _ = app
    _signup(client, _email())
    token = client.cookies[SESSION_COOKIE]
    assert client.post("/v1/auth/logout").status_code == 204
    for path in ("/v1/auth/session", "/v1/search?q=x"):
        assert _as(client, token).get(path).status_code == 401
    assert _as(client, token).post("/v1/auth/logout").status_code == 401
