"""The stub Canvas for tests: started from the fixtures in tests/fixtures/canvas, with settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import httpx2
from fastapi.testclient import TestClient

from devtools.canvas_stub import CanvasStub
from devtools.devhost.stack import Stack
from devtools.paths import canvas_fixtures_dir
from shared.canvas.adapters.crypto import new_key_text
from shared.container import Container, set_container
from shared.workers import run_drain
from tests.conftest import make_settings
from tests.support.users import TestUser, make_user

FIXTURES = canvas_fixtures_dir()
REDIRECT_URI = "http://testserver/v1/canvas/callback"


@contextmanager
def running_stub(*, token_ttl_s: float = 3600.0) -> Iterator[CanvasStub]:
    with CanvasStub(FIXTURES, token_ttl_s=token_ttl_s) as stub:
        yield stub


def canvas_overrides(stub: CanvasStub, **extra: object) -> dict[str, object]:
    """Settings values for a Container that talks to `stub` (fast back-off, small pages)."""
    values: dict[str, object] = {
        "CANVAS_BASE_URL": stub.base_url,
        "CANVAS_CLIENT_ID": stub.state.client_id,
        "CANVAS_CLIENT_SECRET": stub.state.client_secret,
        "CANVAS_REDIRECT_URI": REDIRECT_URI,
        "CANVAS_FILE_HOSTS": [stub.files_url],
        "CANVAS_ALLOW_PRIVATE_HOSTS": True,
        "CANVAS_PER_PAGE": 3,
        "CANVAS_BACKOFF_BASE_S": 0.01,
        "TOKEN_ENCRYPTION_KEYS": new_key_text("k1"),
        "TOKEN_ENCRYPTION_ACTIVE_KEY": "k1",
    }
    values.update(extra)
    return values


def approve(authorize_url: str) -> dict[str, str]:
    """Play the student's browser at Canvas: follow the authorize URL, return the callback query."""
    response = httpx.get(authorize_url, follow_redirects=False, trust_env=False)
    if response.status_code != 302:
        raise AssertionError(f"the stub did not redirect: {response.status_code} {response.text}")
    location = response.headers["location"]
    if not location.startswith(REDIRECT_URI):
        raise AssertionError(f"redirected to {location}, not the callback")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def drop_stream_keys(container: Container) -> None:
    prefix = container.settings.stream_prefix
    keys = list(container.redis.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        container.redis.delete(*keys)


@contextmanager
def canvas_container(stack: Stack, database_url: str, stub: CanvasStub, **extra: object) -> Iterator[Container]:
    """A Container whose settings point at `stub`; installed as the process container meanwhile."""
    built = Container(make_settings(stack, database_url, **canvas_overrides(stub, **extra)))
    built.blobs.ensure_containers()
    previous = get_container_or_none()
    set_container(built)
    try:
        yield built
    finally:
        set_container(previous)
        drop_stream_keys(built)
        built.close()


@contextmanager
def api_over(container: Container) -> Iterator[TestClient]:
    """A test client of the gateway built over `container` (routes use the app's own container)."""
    from shared.gateway import create_app
    from tests.conftest import FROM_APP

    with TestClient(create_app(container), headers=FROM_APP) as client:
        yield client


def get_container_or_none() -> Container | None:
    from shared import container as module

    return module._default


def as_user(client: TestClient, user: TestUser | None) -> TestClient:
    """The client, now carrying `user`'s session cookie (or none)."""
    client.cookies.clear()
    if user is not None:
        client.cookies.update(user.cookies)
    return client


def connect_user(client: TestClient, user: TestUser) -> None:
    """The whole OAuth round trip: connect, approve at the stub, land on the callback."""
    started = as_user(client, user).post("/v1/canvas/connect")
    if started.status_code != 200:
        raise AssertionError(started.text)
    callback = client.get(
        "/v1/canvas/callback", params=approve(started.json()["authorize_url"]), follow_redirects=False
    )
    if canvas_outcome(callback) != {"canvas": "connected"}:
        raise AssertionError(callback.headers.get("location", callback.text))


def canvas_outcome(callback: httpx2.Response) -> dict[str, str]:
    """Where the callback sent the browser: the query of its redirect back to the app."""
    if callback.status_code != 303:
        raise AssertionError(f"the callback did not redirect: {callback.status_code} {callback.text}")
    return {k: v[0] for k, v in parse_qs(urlsplit(callback.headers["location"]).query).items()}


def connected_user(client: TestClient, container: Container) -> TestUser:
    """A new user who has been through the Canvas connect round trip."""
    user = make_user(container)
    connect_user(client, user)
    return user


def sync_now(client: TestClient, container: Container, user: TestUser) -> dict[str, Any]:
    """Start a sync over the API, run the canvas.sync drain as Azure would, return the finished run."""
    started = as_user(client, user).post("/v1/canvas/sync")
    if started.status_code != 202:
        raise AssertionError(started.text)
    run_drain(container, "canvas.sync", budget_s=0.3)
    run: dict[str, Any] = client.get(f"/v1/canvas/sync/{started.json()['sync_id']}").json()
    return run
