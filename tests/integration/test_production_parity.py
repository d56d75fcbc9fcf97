"""The gateway as it runs in Azure (`APP_ENV=production`): Secure `__Host-` cookies, CSRF, headers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.oauth.oidc import tls_context
from shared.canvas.store.connections import get_connection
from shared.container import Container
from shared.platform.errors import PermissionDenied
from tests.support.auth_stack import provider_settings
from tests.support.oidc_provider import OidcProvider
from tests.support.production import APP_ORIGIN, FOREIGN_ORIGIN, SECURE_COOKIE, production_app, secure_cookies
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration

STRONG_PASSWORD = "correct horse battery staple"


@pytest.fixture
def prod(stack: Stack, database_url: str) -> Iterator[TestClient]:
    with production_app(stack, database_url) as client:
        yield client


def _as(client: TestClient, user: TestUser | None) -> TestClient:
    client.cookies.clear()
    if user is not None:
        client.cookies.update(secure_cookies(user))
    return client


def _outcome(response: object) -> tuple[str, dict[str, list[str]]]:
    location = urlsplit(response.headers["location"])  # type: ignore[attr-defined]
    return f"{location.scheme}://{location.netloc}", parse_qs(location.query)


def test_a_canvas_link_sent_to_someone_else_connects_nobody(prod: TestClient, container: Container) -> None:
    attacker, victim = make_user(container), make_user(container)
    started = _as(prod, attacker).post("/v1/canvas/connect", headers={"Origin": APP_ORIGIN})
    assert started.status_code == 200, started.text
    state = parse_qs(urlsplit(started.json()["authorize_url"]).query)["state"][0]
    landed = _as(prod, victim).get("/v1/canvas/callback", params={"code": "victims-code", "state": state})
    assert landed.status_code == 303
    origin, query = _outcome(landed)
    assert origin == APP_ORIGIN
    assert query["canvas"] == ["error"] and query["code"] == [PermissionDenied.code]
    with container.db.connection() as conn:
        assert get_connection(conn, user_id=attacker.user_id) is None
        assert get_connection(conn, user_id=victim.user_id) is None


def test_a_canvas_callback_without_a_session_connects_nobody(prod: TestClient, container: Container) -> None:
    user = make_user(container)
    started = _as(prod, user).post("/v1/canvas/connect", headers={"Origin": APP_ORIGIN}).json()
    state = parse_qs(urlsplit(started["authorize_url"]).query)["state"][0]
    landed = _as(prod, None).get("/v1/canvas/callback", params={"code": "c", "state": state})
    _, query = _outcome(landed)
    assert query == {"canvas": ["error"], "code": ["UNAUTHENTICATED"]}
    unknown = _as(prod, user).get("/v1/canvas/callback", params={"code": "c", "state": "forged"})
    assert _outcome(unknown)[1] == {"canvas": ["error"], "code": ["INVALID_ARGUMENT"]}


def test_sign_up_sets_a_secure_host_cookie_and_the_browser_session_works(prod: TestClient) -> None:
    prod.cookies.clear()
    body = {"email": f"prod-{uuid.uuid4().hex[:8]}@example.edu", "password": STRONG_PASSWORD, "display_name": "P"}
    signed_up = prod.post("/v1/auth/signup", json=body, headers={"Origin": APP_ORIGIN})
    assert signed_up.status_code in (200, 201), signed_up.text
    cookie = signed_up.headers["set-cookie"]
    assert cookie.startswith(f"{SECURE_COOKIE}=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "Domain" not in cookie
    session = prod.get("/v1/auth/session")
    assert session.status_code == 200 and session.headers["cache-control"] == "no-store"


def test_cookie_writes_need_an_allowed_origin(prod: TestClient, container: Container) -> None:
    user = make_user(container)
    client = _as(prod, user)
    forged = client.post("/v1/canvas/sync", headers={"Origin": FOREIGN_ORIGIN})
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == PermissionDenied.code
    assert client.delete("/v1/canvas/connection").status_code == 403  # no Origin, no Referer: refused
    assert client.delete("/v1/canvas/connection", headers={"Referer": f"{FOREIGN_ORIGIN}/x"}).status_code == 403
    assert client.delete("/v1/canvas/connection", headers={"Origin": "null"}).status_code == 403
    by_referer = client.delete("/v1/canvas/connection", headers={"Referer": f"{APP_ORIGIN}/settings"})
    assert by_referer.status_code == 200
    same_origin = client.delete("/v1/canvas/connection", headers={"Sec-Fetch-Site": "same-origin"})
    assert same_origin.status_code == 200
    assert client.delete("/v1/canvas/connection", headers={"Origin": APP_ORIGIN}).status_code == 200


def test_bearer_requests_and_cookieless_requests_are_not_checked(prod: TestClient) -> None:
    prod.cookies.clear()
    body = {"email": f"bearer-{uuid.uuid4().hex[:8]}@example.edu", "password": STRONG_PASSWORD, "display_name": "B"}
    assert prod.post("/v1/auth/signup", json=body).status_code in (200, 201)  # no cookie yet: nothing to forge
    prod.cookies.clear()
    login = prod.post("/v1/auth/login", json={"email": body["email"], "password": STRONG_PASSWORD, "issue_jwt": True})
    token = login.json()["token"]["access_token"]
    prod.cookies.clear()
    bearer = prod.delete("/v1/canvas/connection", headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 200, bearer.text


def test_security_headers_and_no_docs_in_production(prod: TestClient, container: Container) -> None:
    health = prod.get("/health")
    assert health.headers["strict-transport-security"].startswith("max-age=")
    assert health.headers["x-content-type-options"] == "nosniff"
    assert health.headers["referrer-policy"] == "no-referrer"
    assert "cache-control" not in health.headers  # anonymous: nothing private to keep out of caches
    private = _as(prod, make_user(container)).get("/v1/canvas/connection")
    assert private.headers["cache-control"] == "no-store"
    assert prod.get("/docs").status_code == 404


def test_docs_can_be_enabled_in_production(stack: Stack, database_url: str) -> None:
    with production_app(stack, database_url, API_DOCS_ENABLED=True) as client:
        assert client.get("/docs").status_code == 200


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[OidcProvider]:
    started = OidcProvider(state_dir=tmp_path / "oidc").start()
    started.clients.update({"google-client": "google-secret", "ms-client": "ms-secret"})
    try:
        yield started
    finally:
        started.stop()


def test_google_sign_in_lands_on_the_app_signed_in_or_with_the_error(
    stack: Stack, database_url: str, provider: OidcProvider
) -> None:
    settings = {**provider_settings(provider), "OAUTH_SUCCESS_REDIRECT": "/signed-in"}
    with production_app(stack, database_url, **settings) as client:
        sub = uuid.uuid4().hex
        provider.next_user = {"sub": sub, "email": f"{sub[:8]}@gmail.example", "email_verified": True, "name": "G"}
        start = client.get("/v1/auth/oauth/google/start")
        assert "Secure" in start.headers["set-cookie"]
        at_provider = httpx.get(start.headers["location"], verify=tls_context(provider.ca_bundle))
        back = urlsplit(at_provider.headers["location"])
        landed = client.get(f"{back.path}?{back.query}")
        assert landed.status_code == 303 and landed.headers["location"] == f"{APP_ORIGIN}/signed-in"
        assert landed.headers["set-cookie"].startswith(f"{SECURE_COOKIE}=")
        replayed = client.get(f"{back.path}?{back.query}")
        assert replayed.headers["location"] == f"{APP_ORIGIN}/signed-in?signin=error&code=UNAUTHENTICATED"
