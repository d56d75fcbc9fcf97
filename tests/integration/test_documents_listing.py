"""GET /v1/documents: each item carries its own stages (fetched for the whole page at once)."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from shared.container import Container
from shared.platform.stages import set_stage
from tests.support.users import make_user


def _create(client: TestClient, title: str) -> uuid.UUID:
    response = client.post(
        "/v1/documents", json={"title": title, "filename": f"{title}.pdf", "kind": "pdf", "size": 1000}
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["document"]["id"])


def test_each_listed_document_has_its_own_stages(client: TestClient, container: Container) -> None:
    user = make_user(container)
    client.cookies.update(user.cookies)
    queued = _create(client, "week-1")
    failed = _create(client, "week-2")
    with container.db.connection() as conn:
        set_stage(conn, doc_id=failed, stage="ingest", status="failed", error_code="CORRUPT_FILE", error_message="x")
    items = client.get("/v1/documents").json()["items"]
    by_id = {uuid.UUID(item["id"]): item for item in items}
    assert set(by_id) == {queued, failed}
    assert [(s["stage"], s["status"]) for s in by_id[queued]["stages"]] == [("ingest", "queued")]
    assert [(s["stage"], s["status"], s["error_code"]) for s in by_id[failed]["stages"]] == [
        ("ingest", "failed", "CORRUPT_FILE")
    ]
