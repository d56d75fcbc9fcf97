"""SAS-upload probe (F3): a SAS cannot bound size or blob type, so the trigger checks both with one HEAD
and refuses (stage failed with a clear code, blob deleted) before anything reads the blob."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from devtools.devhost import functions_host
from shared.container import Container
from shared.platform.blobs import BlobMissing
from tests.support.function_app import fresh_function_app
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


def _as(user: TestUser) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in user.cookies.items())}


def _create(client: TestClient, user: TestUser, *, size: int) -> tuple[str, str]:
    body = {"title": "t", "filename": "t.pdf", "kind": "pdf", "size": size}
    created = client.post("/v1/documents", json=body, headers=_as(user))
    assert created.status_code == 201, created.text
    return created.json()["document"]["id"], created.json()["upload_url"]


def _trigger_and_read(client: TestClient, container: Container, user: TestUser, doc_id: str) -> dict[str, object]:
    raw_upload = functions_host.index(fresh_function_app().app)["raw_upload"]
    functions_host.call_blob(raw_upload, path=f"raw/{user.user_id}/{doc_id}/t.pdf")
    detail = client.get(f"/v1/documents/{doc_id}", headers=_as(user)).json()
    ingest: dict[str, object] = next(s for s in detail["stages"] if s["stage"] == "ingest")
    with pytest.raises(BlobMissing):
        container.blobs.info(container="raw", path=f"{user.user_id}/{doc_id}/t.pdf")
    return ingest


def test_a_page_blob_is_refused_and_deleted(client: TestClient, container: Container) -> None:
    user = make_user(container)
    doc_id, url = _create(client, user, size=1)
    sparse = {"x-ms-blob-type": "PageBlob", "x-ms-blob-content-length": str(1024 * 1024), "Content-Length": "0"}
    assert httpx.put(url, headers=sparse).status_code == 201  # what no SAS can forbid
    ingest = _trigger_and_read(client, container, user, doc_id)
    assert ingest["status"] == "failed"
    assert ingest["error_code"] == "UPLOAD_NOT_BLOCK_BLOB"


def test_a_blob_larger_than_declared_is_refused_and_deleted(client: TestClient, container: Container) -> None:
    user = make_user(container)
    doc_id, url = _create(client, user, size=100)
    put = httpx.put(url, content=b"%PDF-" + b"0" * 5000, headers={"x-ms-blob-type": "BlockBlob"})
    assert put.status_code == 201
    ingest = _trigger_and_read(client, container, user, doc_id)
    assert ingest["status"] == "failed"
    assert ingest["error_code"] == "FILE_TOO_LARGE"
