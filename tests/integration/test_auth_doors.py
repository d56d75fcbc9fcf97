"""Sign-in through both doors of the gateway: uvicorn on a real socket, and the Functions path.

Over uvicorn a browser-like client walks the whole Google sign-in: our start route, the loopback
provider's authorize endpoint over HTTPS, our callback, and the session that results.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import azure.functions as func
import httpx
import pytest
import uvicorn

from devtools.devhost import functions_host
from devtools.devhost.functions_host import IndexedFunction
from devtools.devhost.stack import Stack
from shared.auth.oauth.oidc import tls_context
from shared.container import Container, set_container
from shared.gateway import create_app
from tests.conftest import FROM_APP, make_settings
from tests.support.auth_stack import STRONG_PASSWORD, provider_settings
from tests.support.function_app import fresh_function_app
from tests.support.oidc_provider import OidcProvider
from tests.support.services import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    started = OidcProvider(state_dir=Path(tmp_path_factory.mktemp("oidc-doors"))).start()
    started.clients["google-client"] = "google-secret"
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def base_url(stack: Stack, database_url: str, provider: OidcProvider) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    built = Container(make_settings(stack, database_url, OAUTH_REDIRECT_BASE=base, **provider_settings(provider)))
    server = uvicorn.Server(uvicorn.Config(create_app(built), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        built.close()


def test_password_round_trip_over_a_real_socket(base_url: str) -> None:
    email = f"socket-{uuid.uuid4().hex[:8]}@example.edu"
    with httpx.Client(base_url=base_url, headers=FROM_APP) as browser:
        assert browser.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).status_code == 201
        browser.cookies.clear()
        assert browser.get("/v1/auth/session").status_code == 401
        assert browser.post("/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD}).status_code == 200
        assert browser.get("/v1/auth/session").json()["user"]["email"] == email
        assert browser.post("/v1/auth/logout").status_code == 204
        assert browser.get("/v1/auth/session").status_code == 401


def test_google_sign_in_walked_like_a_browser(base_url: str, provider: OidcProvider) -> None:
    sub = uuid.uuid4().hex
    provider.next_user = {"sub": sub, "email": f"{sub[:8]}@gmail.example", "email_verified": True, "name": "B"}
    with httpx.Client(verify=tls_context(provider.ca_bundle)) as browser:
        url, hops = f"{base_url}/v1/auth/oauth/google/start", []
        while not url.startswith("http://localhost:5173"):
            response = browser.get(url, follow_redirects=False)
            assert response.status_code in (302, 303), response.text
            hops.append(urlparse(url).path)
            url = response.headers["location"]
        assert hops == ["/v1/auth/oauth/google/start", "/google/authorize", "/v1/auth/oauth/google/callback"]
        session = browser.get(f"{base_url}/v1/auth/session")
        assert session.status_code == 200
        assert session.json()["user"]["email"] == f"{sub[:8]}@gmail.example"
        assert session.json()["session"]["auth_method"] == "google"


@pytest.fixture(scope="module")
def http_app_func(container: Container) -> Iterator[IndexedFunction]:
    set_container(container)  # the process container, which the Functions entry's gateway is built over
    yield functions_host.index(fresh_function_app().app)["http_app_func"]


def _call(
    function: IndexedFunction, method: str, path: str, *, body: object = None, headers: dict[str, str] | None = None
) -> func.HttpResponse:
    sent = {"content-type": "application/json", **(headers or {})}
    data = json.dumps(body).encode() if body is not None else b""
    request = func.HttpRequest(method, f"http://localhost:7071{path}", headers=sent, body=data)
    return functions_host.call_http(function, request)


def test_password_round_trip_through_the_functions_path(http_app_func: IndexedFunction) -> None:
    email = f"functions-{uuid.uuid4().hex[:8]}@example.edu"
    signed_up = _call(http_app_func, "POST", "/v1/auth/signup", body={"email": email, "password": STRONG_PASSWORD})
    assert signed_up.status_code == 201, signed_up.get_body()
    cookie = signed_up.headers["set-cookie"].split(";")[0]
    assert "httponly" in signed_up.headers["set-cookie"].lower()
    session = _call(http_app_func, "GET", "/v1/auth/session", headers={"cookie": cookie})
    assert session.status_code == 200
    assert json.loads(session.get_body())["user"]["email"] == email
    assert _call(http_app_func, "POST", "/v1/auth/logout", headers={"cookie": cookie, **FROM_APP}).status_code == 204
    assert _call(http_app_func, "GET", "/v1/auth/session", headers={"cookie": cookie}).status_code == 401


def test_functions_path_counts_the_address_the_platform_forwarded(
    container: Container, http_app_func: IndexedFunction
) -> None:
    email = f"forwarded-{uuid.uuid4().hex[:8]}@example.edu"
    forwarded = {"x-forwarded-for": "6.6.6.6, 198.51.100.23:50123"}  # the first entry is the client's own claim
    login = _call(http_app_func, "POST", "/v1/auth/login", body={"email": email, "password": "x"}, headers=forwarded)
    assert login.status_code == 401
    with container.db.connection() as conn:
        row = conn.execute("SELECT host(ip) FROM login_attempts WHERE email = %(e)s", {"e": email}).fetchone()
    assert row == ("198.51.100.23",)
