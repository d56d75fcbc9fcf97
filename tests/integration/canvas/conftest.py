"""Fixtures for the Canvas tests: the stub Canvas server, a container pointed at it, the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from devtools.canvas_stub import CanvasStub
from devtools.devhost.stack import Stack
from shared.container import Container
from shared.gateway import create_app
from tests.conftest import FROM_APP
from tests.support.canvas_stub import canvas_container, running_stub


@pytest.fixture
def stub() -> Iterator[CanvasStub]:
    with running_stub() as started:
        yield started


@pytest.fixture
def canvas(stack: Stack, database_url: str, stub: CanvasStub) -> Iterator[Container]:
    with canvas_container(stack, database_url, stub) as built:
        yield built


@pytest.fixture
def api(canvas: Container) -> Iterator[TestClient]:
    assert canvas.settings.canvas_base_url
    with TestClient(create_app(canvas), headers=FROM_APP) as test_client:
        yield test_client
