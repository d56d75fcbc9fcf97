"""A 10-page PDF through the API: create, PUT to the SAS URL, blob trigger, drain, read signed results."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from devtools.devhost import functions_host
from devtools.devhost.functions_host import IndexedFunction
from shared.container import Container
from shared.platform.blobs import CONTAINERS
from shared.platform.streams import stream_key
from shared.workers import run_drain
from tests.conftest import FROM_APP
from tests.support import documents_files as files
from tests.support.function_app import fresh_function_app
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


def _functions() -> dict[str, IndexedFunction]:
    # get_functions() may only be called once per app object: index a freshly imported one.
    return functions_host.index(fresh_function_app().app)


def _as(user: TestUser) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in user.cookies.items()), **FROM_APP}


def test_ten_page_pdf_upload_reaches_ingest_done_with_signed_results(client: TestClient, container: Container) -> None:
    user = make_user(container)
    data = files.text_pdf(10)
    created = client.post(
        "/v1/documents",
        json={"title": "Week 1", "filename": "week1.pdf", "kind": "pdf", "size": len(data)},
        headers=_as(user),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    doc_id = body["document"]["id"]
    put = httpx.put(body["upload_url"], content=data, headers=body["upload_headers"])
    assert put.status_code == 201, put.text
    raw_upload = _functions()["raw_upload"]  # the blob trigger, called as the Functions host calls it
    functions_host.call_blob(raw_upload, path=f"raw/{user.user_id}/{doc_id}/week1.pdf")
    run_drain(container, "ingest.request", budget_s=2)
    detail = client.get(f"/v1/documents/{doc_id}", headers=_as(user)).json()
    assert {s["stage"]: s["status"] for s in detail["stages"]}["ingest"] == "done"
    assert detail["page_count"] == 10
    markdown = httpx.get(detail["markdown_url"]).text
    structure = json.loads(httpx.get(detail["structure_url"]).text)
    assert "# Chapter 1 Heading" in markdown and "# Chapter 10 Heading" in markdown
    assert [s["source"]["page"] for s in structure["sections"] if not s["continued"]] == list(range(1, 11))


def test_other_users_cannot_read_start_or_delete_a_document(client: TestClient, container: Container) -> None:
    owner, other = make_user(container), make_user(container)
    data = files.text_pdf(1)
    created = client.post(
        "/v1/documents",
        json={"title": "Mine", "filename": "m.pdf", "kind": "pdf", "size": len(data)},
        headers=_as(owner),
    ).json()
    doc_id = created["document"]["id"]
    assert client.get(f"/v1/documents/{doc_id}", headers=_as(other)).status_code == 404
    assert client.post("/v1/ingestion/start", json={"doc_id": doc_id}, headers=_as(other)).status_code == 404
    assert client.delete(f"/v1/documents/{doc_id}", headers=_as(other)).status_code == 404
    assert doc_id not in {d["id"] for d in client.get("/v1/documents", headers=_as(other)).json()["items"]}
    assert client.get(f"/v1/documents/{doc_id}", headers=_as(owner)).status_code == 200
    assert client.delete(f"/v1/documents/{doc_id}", headers=_as(owner)).status_code == 204
    assert client.get(f"/v1/documents/{doc_id}", headers=_as(owner)).status_code == 404


def test_multipart_upload_is_ingested_and_media_is_readable_through_signed_urls(
    client: TestClient, container: Container
) -> None:
    user = make_user(container)
    too_big = container.settings.upload_max_bytes + 1
    response = client.post(
        "/v1/documents", json={"title": "Huge", "filename": "h.pdf", "kind": "pdf", "size": too_big}, headers=_as(user)
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    docx = files.corpus("docling-word-sample.docx")
    uploaded = client.post("/v1/documents/upload", files={"file": ("swim.docx", docx)}, headers=_as(user))
    assert uploaded.status_code == 201, uploaded.text
    doc_id = uploaded.json()["id"]
    run_drain(container, "ingest.request", budget_s=2)
    detail = client.get(f"/v1/documents/{doc_id}", headers=_as(user)).json()
    assert {s["stage"]: s["status"] for s in detail["stages"]}["ingest"] == "done"
    images = [m for m in detail["media"] if m["kind"] == "image"]
    assert images, detail
    picture = httpx.get(images[0]["url"])
    assert picture.status_code == 200 and picture.content[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1")
    structure = json.loads(httpx.get(detail["structure_url"]).text)
    # structure.json names each medium by its unsigned blob URL, which the detail lists with a signed one.
    named = [media for section in structure["sections"] for media in section["media"]]
    assert any(images[0]["address"] == media["url"] and media["type"] == "image" for media in named)
    assert images[0]["url"].startswith(images[0]["address"] + "?")
    assert httpx.get(images[0]["address"]).status_code in (401, 403, 404)  # unsigned: not readable
    listed = client.get("/v1/documents", params={"limit": 1}, headers=_as(user)).json()
    assert [d["id"] for d in listed["items"]] == [doc_id]
    assert client.delete(f"/v1/documents/{doc_id}", headers=_as(user)).status_code == 204
    prefix = f"{user.user_id}/{doc_id}/"
    for name in CONTAINERS:
        left = container.blobs.list(container=name, prefix=prefix)
        # raw/ keeps only the empty, leased blob that makes the old upload URL fail
        assert [b.size for b in left] == ([0] if name == "raw" else [])


def test_uploads_are_rate_limited_per_user(client: TestClient, container: Container) -> None:
    user, other = make_user(container), make_user(container)
    body = {"title": "t", "filename": "t.pdf", "kind": "pdf", "size": 100}
    limit = container.settings.uploads_per_minute
    answers = [client.post("/v1/documents", json=body, headers=_as(user)).status_code for _ in range(limit + 1)]
    assert answers[:limit] == [201] * limit
    assert answers[limit] == 429
    assert client.post("/v1/documents", json=body, headers=_as(other)).status_code == 201


def _request_ids(container: Container, stream: str) -> list[str | None]:
    key = stream_key(container.settings.stream_prefix, stream)
    entries: Any = container.redis.xrange(key)
    return [json.loads(fields[b"data"])["request_id"] for _, fields in entries]


def test_the_upload_request_id_rides_the_sas_put_into_the_blob_trigger_and_the_next_stages(
    client: TestClient, container: Container
) -> None:
    user = make_user(container)
    data = files.text_pdf(2)
    created = client.post(
        "/v1/documents",
        json={"title": "Traced", "filename": "traced.pdf", "kind": "pdf", "size": len(data)},
        headers={**_as(user), "X-Request-Id": "upload-trace-1"},
    ).json()
    assert created["upload_headers"]["x-ms-meta-request_id"] == "upload-trace-1"
    put = httpx.put(created["upload_url"], content=data, headers=created["upload_headers"])
    assert put.status_code == 201, put.text
    doc_id = created["document"]["id"]
    raw_upload = _functions()["raw_upload"]
    functions_host.call_blob(raw_upload, path=f"raw/{user.user_id}/{doc_id}/traced.pdf")
    assert _request_ids(container, "ingest.request")[-1:] == ["upload-trace-1"]
    run_drain(container, "ingest.request", budget_s=2)
    assert _request_ids(container, "ai.request")[-1:] == ["upload-trace-1"]
