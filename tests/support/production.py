"""The gateway with production settings (`APP_ENV=production`) behind an https test client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.tokens import session_cookie_name
from shared.canvas.adapters.crypto import new_key_text
from shared.container import Container
from shared.gateway import create_app
from tests.conftest import make_settings
from tests.support.users import TestUser

APP_ORIGIN = "https://app.studyaid.example"
API_ORIGIN = "https://api.studyaid.example"
FOREIGN_ORIGIN = "https://evil.example"
SECURE_COOKIE = session_cookie_name(secure=True)


def production_overrides(**extra: object) -> dict[str, object]:
    values: dict[str, object] = {
        "APP_ENV": "production",
        "CORS_ORIGINS": [APP_ORIGIN],
        "APP_URL": f"{APP_ORIGIN}/",
        "PUBLIC_BASE_URL": API_ORIGIN,
        # Never contacted by these tests: refusals happen before any call to Canvas.
        "CANVAS_BASE_URL": "https://canvas.school.example",
        "CANVAS_CLIENT_ID": "client-1",
        "CANVAS_CLIENT_SECRET": "a-real-looking-canvas-secret",
        "TOKEN_ENCRYPTION_KEYS": new_key_text("k1"),
        "TOKEN_ENCRYPTION_ACTIVE_KEY": "k1",
        "JWT_SECRET": "production-parity-jwt-secret-0123456789abcdef",
    }
    values.update(extra)
    return values


@contextmanager
def production_app(stack: Stack, database_url: str, **extra: object) -> Iterator[TestClient]:
    built = Container(make_settings(stack, database_url, **production_overrides(**extra)))
    try:
        with TestClient(create_app(built), base_url=API_ORIGIN, follow_redirects=False) as client:
            yield client
    finally:
        built.close()


def secure_cookies(user: TestUser) -> dict[str, str]:
    """`user`'s session under the cookie name production uses (`__Host-`, Secure)."""
    return {SECURE_COOKIE: user.token}
