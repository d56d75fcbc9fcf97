"""Disclosure probe (F15, in part): answers that carry signed blob URLs are never stored by a cache."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from tests.support.users import make_user

pytestmark = pytest.mark.integration


def test_signed_urls_are_served_no_store(client: TestClient, container: Container) -> None:
    client.cookies.update(make_user(container).cookies)
    body = {"title": "t", "filename": "t.pdf", "kind": "pdf", "size": 10}
    created = client.post("/v1/documents", json=body)
    assert created.status_code == 201 and "upload_url" in created.json()
    assert created.headers["cache-control"] == "no-store"
    read = client.get(f"/v1/documents/{created.json()['document']['id']}")
    assert read.headers["cache-control"] == "no-store"
    client.cookies.clear()
