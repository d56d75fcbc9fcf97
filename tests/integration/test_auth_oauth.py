"""Google and Microsoft sign-in end to end against the loopback OIDC provider over real HTTPS."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.oauth.oidc import tls_context
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.platform.clock import FixedClock
from tests.support.auth_stack import STRONG_PASSWORD, auth_app, provider_settings
from tests.support.oidc_provider import OidcProvider

pytestmark = pytest.mark.integration

App = tuple[TestClient, Container, FixedClock]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    started = OidcProvider(state_dir=Path(tmp_path_factory.mktemp("oidc"))).start()
    started.clients.update({"google-client": "google-secret", "ms-client": "ms-secret"})
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def app(stack: Stack, database_url: str, provider: OidcProvider) -> Iterator[App]:
    provider.id_token_overrides.clear()
    provider.sign_with_rogue_key = False
    with auth_app(stack, database_url, extra=provider_settings(provider)) as built:
        yield built


def google_user(**claims: object) -> dict[str, object]:
    sub = uuid.uuid4().hex
    return {"sub": sub, "email": f"g-{sub[:8]}@gmail.example", "email_verified": True, "name": "G User", **claims}


def ms_user(**claims: object) -> dict[str, object]:
    oid, tid = str(uuid.uuid4()), str(uuid.uuid4())
    return {"sub": uuid.uuid4().hex, "oid": oid, "tid": tid, "preferred_username": f"s-{oid[:8]}@school.example",
            "name": "M User", **claims}  # fmt: skip


def start(client: TestClient, name: str) -> str:
    """Our start route → the provider's authorize URL."""
    response = client.get(f"/v1/auth/oauth/{name}/start", follow_redirects=False)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def authorize(provider: OidcProvider, url: str) -> str:
    """The browser at the provider: it signs `next_user` in and sends back our callback URL."""
    response = httpx.get(url, verify=tls_context(provider.ca_bundle), follow_redirects=False)
    assert response.status_code == 302, response.text
    callback = urlparse(response.headers["location"])
    return f"{callback.path}?{callback.query}"


def refusal(response: httpx2.Response) -> str:
    """The error code of a refused sign-in: the browser is sent back to the app with it, never left on JSON."""
    assert response.status_code == 303, response.text
    location = urlparse(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "http://localhost:5173/signed-in"
    query = parse_qs(location.query)
    assert query["signin"] == ["error"], query
    return query["code"][0]


def sign_in(client: TestClient, provider: OidcProvider, name: str, user: dict[str, object]) -> httpx2.Response:
    provider.next_user = user
    return client.get(authorize(provider, start(client, name)), follow_redirects=False)


@pytest.mark.parametrize(("name", "make_user"), [("google", google_user), ("microsoft", ms_user)])
def test_sign_in_creates_then_finds_the_same_account(
    app: App, provider: OidcProvider, name: str, make_user: object
) -> None:
    client, _, _ = app
    user = make_user()  # type: ignore[operator]
    done = sign_in(client, provider, name, user)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "http://localhost:5173/signed-in"
    assert SESSION_COOKIE in done.cookies
    first = client.get("/v1/auth/session").json()
    assert first["session"]["auth_method"] == name
    client.cookies.clear()
    again = sign_in(client, provider, name, user)
    assert again.status_code == 303
    assert client.get("/v1/auth/session").json()["user"]["id"] == first["user"]["id"]


@pytest.mark.parametrize("name", ["google", "microsoft"])
def test_authorization_request_uses_pkce_s256_state_and_nonce(app: App, name: str) -> None:
    client, _, _ = app
    query = parse_qs(urlparse(start(client, name)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 16 and len(query["nonce"][0]) >= 16
    assert "offline_access" not in query["scope"][0]


@pytest.mark.parametrize("name", ["google", "microsoft"])
def test_state_mismatch_creates_no_session(app: App, provider: OidcProvider, name: str) -> None:
    client, _, _ = app
    provider.next_user = google_user() if name == "google" else ms_user()
    callback = authorize(provider, start(client, name))
    forged = callback.replace("state=", "state=x", 1)
    response = client.get(forged, follow_redirects=False)
    assert refusal(response) == "UNAUTHENTICATED"
    assert SESSION_COOKIE not in client.cookies


def test_callback_from_another_browser_is_refused(app: App, provider: OidcProvider) -> None:
    client, _, _ = app
    provider.next_user = google_user()
    callback = authorize(provider, start(client, "google"))
    client.cookies.clear()  # the victim's browser never started this sign-in
    assert refusal(client.get(callback, follow_redirects=False)) == "UNAUTHENTICATED"


@pytest.mark.parametrize("name", ["google", "microsoft"])
def test_replayed_code_is_refused(app: App, provider: OidcProvider, name: str) -> None:
    client, _, _ = app
    provider.next_user = google_user() if name == "google" else ms_user()
    callback = authorize(provider, start(client, name))
    assert client.get(callback, follow_redirects=False).status_code == 303
    client.cookies.clear()
    assert refusal(client.get(callback, follow_redirects=False)) == "UNAUTHENTICATED"  # the flow was used up
    fresh = urlparse(start(client, name))
    code = parse_qs(urlparse(callback).query)["code"][0]
    state = parse_qs(fresh.query)["state"][0]
    replay = client.get(f"/v1/auth/oauth/{name}/callback?code={code}&state={state}", follow_redirects=False)
    assert refusal(replay) == "UNAUTHENTICATED"  # the provider refuses a used code even with a live state
    assert SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize("name", ["google", "microsoft"])
@pytest.mark.parametrize(
    "tamper",
    [{"aud": "someone-elses-client"}, {"iss": "https://evil.example"}, {"nonce": "not-this-flows-nonce"}, {"exp": 1}],
    ids=["wrong-audience", "wrong-issuer", "wrong-nonce", "expired"],
)
def test_id_token_with_wrong_claims_is_refused(
    app: App, provider: OidcProvider, name: str, tamper: dict[str, object]
) -> None:
    client, _, _ = app
    provider.id_token_overrides.update(tamper)
    response = sign_in(client, provider, name, google_user() if name == "google" else ms_user())
    assert refusal(response) == "UNAUTHENTICATED"
    assert SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize("name", ["google", "microsoft"])
def test_id_token_with_a_bad_signature_is_refused(app: App, provider: OidcProvider, name: str) -> None:
    client, _, _ = app
    provider.sign_with_rogue_key = True
    response = sign_in(client, provider, name, google_user() if name == "google" else ms_user())
    assert refusal(response) == "UNAUTHENTICATED"
    assert SESSION_COOKIE not in client.cookies


def test_microsoft_email_claim_never_reaches_another_account(app: App, provider: OidcProvider) -> None:
    """nOAuth: a token from another tenant claiming the victim's email is not the victim."""
    client, _, _ = app
    victim = ms_user()
    assert sign_in(client, provider, "microsoft", victim).status_code == 303
    victim_id = client.get("/v1/auth/session").json()["user"]["id"]
    client.cookies.clear()
    attacker = ms_user(email=victim["preferred_username"], preferred_username=victim["preferred_username"])
    response = sign_in(client, provider, "microsoft", attacker)
    assert refusal(response) == "CONFLICT"
    assert SESSION_COOKIE not in client.cookies
    same_oid_other_tenant = ms_user(oid=victim["oid"])
    assert sign_in(client, provider, "microsoft", same_oid_other_tenant).status_code == 303
    assert client.get("/v1/auth/session").json()["user"]["id"] != victim_id


def test_google_email_of_a_password_account_is_not_linked(app: App, provider: OidcProvider) -> None:
    client, _, _ = app
    email = f"owner-{uuid.uuid4().hex[:8]}@gmail.example"
    assert client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).status_code == 201
    client.cookies.clear()
    response = sign_in(client, provider, "google", google_user(email=email))
    assert refusal(response) == "CONFLICT"


def test_unconfigured_provider_says_so(stack: Stack, database_url: str) -> None:
    with auth_app(stack, database_url) as (client, _, _):
        response = client.get("/v1/auth/oauth/google/start", follow_redirects=False)
        assert response.status_code == 409
        assert "GOOGLE_CLIENT_ID" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("name", "claims", "verified"),
    [
        ("google", google_user(), True),
        ("google", google_user(email_verified=False), False),
        ("microsoft", ms_user(email="m@school.example"), False),  # any tenant can write any address
        ("microsoft", ms_user(email="m2@school.example", xms_edov=True), True),  # the tenant owns the domain
    ],
)
def test_a_provider_verifies_the_address_only_when_it_vouches_for_it(
    app: App, provider: OidcProvider, name: str, claims: dict[str, object], verified: bool
) -> None:
    client, _, _ = app
    claims = {**claims, "sub": uuid.uuid4().hex, "oid": str(uuid.uuid4())}
    if "email" in claims:
        claims["email"] = f"{uuid.uuid4().hex[:8]}-{claims['email']}"
    assert sign_in(client, provider, name, claims).status_code == 303
    assert client.get("/v1/auth/session").json()["user"]["email_verified"] is verified
