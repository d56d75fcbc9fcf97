"""The specification's document routes: `json_url` on the detail, and the bodies of
`POST /v1/ingestion/start {doc_id, file_url, kind}` and `POST /v1/ai/start {doc_id, markdown_url, json_url}`.
A URL naming anything but the caller's own blob is 403 FORBIDDEN, and nothing is published."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from shared.ai.contracts import AiRequest
from shared.container import Container
from shared.documents.contracts import IngestRequest
from shared.platform.errors import PermissionDenied
from tests.support.ai_docs import lecture, published, seed_document
from tests.support.documents_files import text_pdf
from tests.support.users import TestUser, make_user


def _seeded(container: Container, user: TestUser) -> uuid.UUID:
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=2))
    raw = f"{user.user_id}/{doc_id}/lecture.pdf"
    container.blobs.put(container="raw", path=raw, data=text_pdf(pages=1), content_type="application/pdf")
    with container.db.connection() as conn:
        conn.execute(
            "UPDATE documents SET markdown_path = %(md)s WHERE id = %(id)s",
            {"md": f"derived/{user.user_id}/{doc_id}/document.md", "id": doc_id},
        )
    return doc_id


def _raw_url(container: Container, user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    return container.blobs.read_url(container="raw", path=f"{user_id}/{doc_id}/lecture.pdf", ttl_s=60)


def _derived_url(container: Container, user_id: uuid.UUID, doc_id: uuid.UUID, name: str) -> str:
    return container.blobs.read_url(container="derived", path=f"{user_id}/{doc_id}/{name}", ttl_s=60)


def test_the_detail_carries_json_url_beside_structure_url(client: TestClient, container: Container) -> None:
    user = make_user(container)
    client.cookies.update(user.cookies)
    doc_id = _seeded(container, user)
    detail = client.get(f"/v1/documents/{doc_id}").json()
    assert detail["json_url"] == detail["structure_url"]
    assert detail["json_url"].split("?")[0].endswith(f"/derived/{user.user_id}/{doc_id}/structure.json")
    assert detail["markdown_url"] is not None
    assert isinstance(detail["media"], list)


def test_ingestion_start_takes_the_specifications_body(client: TestClient, container: Container) -> None:
    user = make_user(container)
    client.cookies.update(user.cookies)
    doc_id = _seeded(container, user)
    body = {"doc_id": str(doc_id), "file_url": _raw_url(container, user.user_id, doc_id), "kind": "pdf"}
    response = client.post("/v1/ingestion/start", json=body)
    assert response.status_code == 202, response.text
    assert [m.doc_id for m in published(container, IngestRequest, doc_id=doc_id)] == [doc_id]


@pytest.mark.parametrize(
    "file_url",
    [
        "https://attacker.example/raw/{user}/{doc}/lecture.pdf",
        "http://169.254.169.254/latest/meta-data",
        "{other_blob}",
        "{own_url}/../../../{other_user}/{doc}/lecture.pdf",
    ],
)
def test_ingestion_start_refuses_a_file_url_that_is_not_the_callers_blob(
    client: TestClient, container: Container, file_url: str
) -> None:
    user, other = make_user(container), make_user(container)
    client.cookies.update(user.cookies)
    doc_id = _seeded(container, user)
    other_doc = _seeded(container, other)
    url = file_url.format(
        user=user.user_id,
        doc=doc_id,
        other_user=other.user_id,
        other_blob=_raw_url(container, other.user_id, other_doc),
        own_url=_raw_url(container, user.user_id, doc_id).split("?")[0],
    )
    response = client.post("/v1/ingestion/start", json={"doc_id": str(doc_id), "file_url": url})
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == PermissionDenied.code
    assert response.json()["error"]["details"]["field"] == "file_url"
    assert published(container, IngestRequest, doc_id=doc_id) == []


def test_ingestion_start_checks_kind_against_the_content(client: TestClient, container: Container) -> None:
    user = make_user(container)
    client.cookies.update(user.cookies)
    doc_id = _seeded(container, user)
    response = client.post("/v1/ingestion/start", json={"doc_id": str(doc_id), "kind": "docx"})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "INVALID_ARGUMENT"
    assert "PDF" in error["details"]["kind"]
    assert published(container, IngestRequest, doc_id=doc_id) == []


def test_ai_start_takes_the_specifications_body(client: TestClient, container: Container) -> None:
    user = make_user(container)
    client.cookies.update(user.cookies)
    doc_id = _seeded(container, user)
    body = {
        "doc_id": str(doc_id),
        "markdown_url": _derived_url(container, user.user_id, doc_id, "document.md"),
        "json_url": _derived_url(container, user.user_id, doc_id, "structure.json"),
    }
    response = client.post("/v1/ai/start", json=body)
    assert response.status_code == 202, response.text
    assert [m.doc_id for m in published(container, AiRequest, doc_id=doc_id)] == [doc_id]


@pytest.mark.parametrize("field", ["markdown_url", "json_url"])
def test_ai_start_refuses_urls_of_another_users_files(client: TestClient, container: Container, field: str) -> None:
    user, other = make_user(container), make_user(container)
    client.cookies.update(user.cookies)
    doc_id = _seeded(container, user)
    other_doc = _seeded(container, other)
    name = "document.md" if field == "markdown_url" else "structure.json"
    body = {"doc_id": str(doc_id), field: _derived_url(container, other.user_id, other_doc, name)}
    response = client.post("/v1/ai/start", json=body)
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == PermissionDenied.code
    assert published(container, AiRequest, doc_id=doc_id) == []
