"""Shared fixtures. Integration fixtures start nothing until a test asks for them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.container import Container, set_container
from shared.gateway import create_app
from shared.platform.blobs_azure import AzureBlobStore
from shared.platform.migrate import apply_migrations
from shared.settings import Settings
from tests.support.clients import close_started
from tests.support.services import resolve_stack, scratch_database

APP_ORIGIN = "http://localhost:5173"
# What a browser adds to every call from the React app; cookie-authenticated writes need it (CSRF).
FROM_APP = {"Origin": APP_ORIGIN}


#: The marker each test directory's tests carry, so `-m unit` (or `-m "not e2e"`) picks by kind.
KINDS = ("unit", "contract", "integration", "e2e", "security")
TESTS_ROOT = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        kind = item.path.relative_to(TESTS_ROOT).parts[0]
        if kind in KINDS:
            item.add_marker(kind)


@pytest.fixture(autouse=True)
def clients_started_here_are_closed() -> Iterator[None]:
    """What a test opened with `tests.support.clients.started` is left when it ends."""
    yield
    close_started()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    resolved = resolve_stack(tmp_path_factory.mktemp("services"))
    try:
        _ensure_blob_containers(resolved.storage_connection_string)
        yield resolved
    finally:
        resolved.stop()


@pytest.fixture(scope="session")
def database_url(stack: Stack) -> Iterator[str]:
    with scratch_database(stack.postgres_url) as url:
        apply_migrations(url)
        yield url


def make_settings(stack: Stack, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "APP_ENV": "test",
        "POSTGRES_URL": database_url,
        "REDIS_URL": stack.redis_url,
        "AZURE_STORAGE_CONNECTION_STRING": stack.storage_connection_string,
        "STREAM_PREFIX": f"test{uuid.uuid4().hex[:8]}:",
        "CORS_ORIGINS": [APP_ORIGIN],
        "LOG_LEVEL": "WARNING",
        "DRAIN_BUDGET_SECONDS": 1.0,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture(scope="session")
def container(stack: Stack, database_url: str) -> Iterator[Container]:
    built = Container(make_settings(stack, database_url))
    built.blobs.ensure_containers()
    set_container(built)  # the process container: what the Functions entry, timers and the CLI use
    try:
        yield built
    finally:
        set_container(None)
        _drop_stream_keys(built)
        built.close()


def _ensure_blob_containers(connection_string: str) -> None:
    """Every test's container shares the one Azurite: its blob containers exist from the start."""
    blobs = AzureBlobStore.from_connection_string(connection_string)
    try:
        blobs.ensure_containers()
    finally:
        blobs.close()


def _drop_stream_keys(container: Container) -> None:
    prefix = container.settings.stream_prefix
    keys = list(container.redis.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        container.redis.delete(*keys)


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container), headers=FROM_APP) as test_client:
        yield test_client
