"""Building blocks for the auth tests: a container with its own clock and settings, its client."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.container import Container
from shared.gateway import create_app
from shared.platform.clock import FixedClock
from tests.conftest import FROM_APP, make_settings
from tests.support.oidc_provider import OidcProvider

STRONG_PASSWORD = "correct horse battery staple"


def provider_settings(provider: OidcProvider) -> dict[str, object]:
    return {
        "GOOGLE_CLIENT_ID": "google-client",
        "GOOGLE_CLIENT_SECRET": "google-secret",
        "GOOGLE_ISSUER": provider.issuer("google"),
        "MICROSOFT_CLIENT_ID": "ms-client",
        "MICROSOFT_CLIENT_SECRET": "ms-secret",
        "MICROSOFT_AUTHORITY": provider.authority("ms"),
        "MICROSOFT_AUTHORITY_TYPE": "oidc",
        "OIDC_CA_BUNDLE": provider.ca_bundle,
        "OAUTH_SUCCESS_REDIRECT": "http://localhost:5173/signed-in",
    }


@contextmanager
def auth_app(
    stack: Stack,
    database_url: str,
    *,
    ip: str = "10.0.0.1",
    extra: Mapping[str, object] | None = None,
    **overrides: object,
) -> Iterator[tuple[TestClient, Container, FixedClock]]:
    """A gateway on a fresh container (own Redis prefix, own clock) reached from client address `ip`."""
    clock = FixedClock(datetime.now(UTC))
    built = Container(make_settings(stack, database_url, **{**(extra or {}), **overrides}), clock=clock)
    try:
        with TestClient(create_app(built), client=(ip, 40000), headers=FROM_APP) as client:
            yield client, built, clock
    finally:
        _drop_keys(built)
        built.close()


def _drop_keys(container: Container) -> None:
    keys = list(container.redis.scan_iter(match=f"{container.settings.stream_prefix}*", count=500))
    if keys:
        container.redis.delete(*keys)
