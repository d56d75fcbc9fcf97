"""The stub Canvas for tests: started from the shared fixtures, with settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx

from shared.canvas.crypto import new_key_text
from shared.canvas.stub import CanvasStub
from tests.conftest import SHARED_DIR

FIXTURES = SHARED_DIR / "canvas-fixtures"
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
