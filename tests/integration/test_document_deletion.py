"""Probe (F9): a document deleted while a worker runs keeps no files the worker wrote.

Before: the workers wrote their blobs, then failed their commit on the missing row, and the
blobs stayed under the deleted document for good.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from shared.ai.contracts import AiRequest
from shared.ai.store import PostgresRuns
from shared.ai.use_cases.generate import generate_study_aids
from shared.container import Container
from shared.documents.contracts import IngestRequest
from shared.documents.held import hold_upload, release_expired
from shared.documents.ingest.handle import IngestDeps, handle_ingest
from shared.documents.service import create_document
from shared.documents.store import delete_document
from shared.platform.blobs import CONTAINERS, BlobInfo, BlobStore
from shared.platform.blobs import Container as BlobContainer
from tests.support import documents_files as files
from tests.support.ai_docs import lecture, seed_document
from tests.support.users import make_user

pytestmark = pytest.mark.integration


class DeletedWhileWriting:
    """The real store; the document's owner deletes it the moment the worker writes `trigger`."""

    def __init__(self, container: Container, *, doc_id: uuid.UUID, user_id: uuid.UUID, trigger: str) -> None:
        self.inner: BlobStore = container.blobs
        self.container, self.doc_id, self.user_id, self.trigger = container, doc_id, user_id, trigger

    def put(self, *, container: BlobContainer, path: str, data: bytes, content_type: str) -> BlobInfo:
        written = self.inner.put(container=container, path=path, data=data, content_type=content_type)
        if path.endswith(self.trigger):  # what DELETE /v1/documents/{id} does
            with self.container.db.connection() as conn:
                raw_path = delete_document(conn, doc_id=self.doc_id, user_id=self.user_id)
            assert raw_path is not None
            for name in CONTAINERS:
                self.inner.delete_prefix(container=name, prefix=f"{self.user_id}/{self.doc_id}/")
            with self.container.db.connection() as conn:
                hold_upload(conn, self.inner, path=raw_path, now=datetime.now(UTC), url_ttl_s=900)
        return written

    def ensure_containers(self) -> None:
        self.inner.ensure_containers()

    def get(self, *, container: BlobContainer, path: str) -> bytes:
        return self.inner.get(container=container, path=path)

    def info(self, *, container: BlobContainer, path: str) -> BlobInfo:
        return self.inner.info(container=container, path=path)

    def list(self, *, container: BlobContainer, prefix: str = "") -> list[BlobInfo]:
        return self.inner.list(container=container, prefix=prefix)

    def delete(self, *, container: BlobContainer, path: str) -> bool:
        return self.inner.delete(container=container, path=path)

    def delete_prefix(self, *, container: BlobContainer, prefix: str) -> int:
        return self.inner.delete_prefix(container=container, prefix=prefix)

    def hold(self, *, container: BlobContainer, path: str) -> None:
        self.inner.hold(container=container, path=path)

    def address(self, *, container: BlobContainer, path: str) -> str:
        return self.inner.address(container=container, path=path)

    def read_url(self, *, container: BlobContainer, path: str, ttl_s: int) -> str:
        return self.inner.read_url(container=container, path=path, ttl_s=ttl_s)

    def write_url(self, *, container: BlobContainer, path: str, ttl_s: int) -> str:
        return self.inner.write_url(container=container, path=path, ttl_s=ttl_s)


def _files_of(container: Container, user_id: uuid.UUID, doc_id: uuid.UUID) -> list[str]:
    """The document's blobs, but the empty raw blob that holds its upload path (still in place)."""
    prefix = f"{user_id}/{doc_id}/"
    blobs = [(name, b) for name in CONTAINERS for b in container.blobs.list(container=name, prefix=prefix)]
    held = [b for name, b in blobs if name == "raw" and b.size == 0]
    assert len(held) == 1, "the upload path is no longer held"
    return [f"{name}/{b.path}" for name, b in blobs if b not in held]


def test_ingest_of_a_document_deleted_mid_run_leaves_no_files(container: Container) -> None:
    user = make_user(container)
    data = files.corpus("docling-word-sample.docx")
    with container.db.connection() as conn:
        row = create_document(
            conn=conn, blobs=container.blobs, user_id=user.user_id, title="t", filename="sample.docx", kind="docx",
            size=len(data), course_id=None, source="upload", data=data,
        )  # fmt: skip
    racing = DeletedWhileWriting(container, doc_id=row.id, user_id=user.user_id, trigger="document.md")
    deps = IngestDeps(
        db=container.db, blobs=racing, publisher=container.publisher, settings=container.settings,
        quota=container.quota,
    )  # fmt: skip
    handle_ingest(deps, IngestRequest(doc_id=row.id, user_id=user.user_id))
    assert _files_of(container, user.user_id, row.id) == []


def test_study_aids_of_a_document_deleted_mid_run_leave_no_files(container: Container) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture())
    racing = DeletedWhileWriting(container, doc_id=doc_id, user_id=user.user_id, trigger="slides.md")
    generate_study_aids(
        request=AiRequest(doc_id=doc_id, user_id=user.user_id), runs=PostgresRuns(container.db), blobs=racing,
        publisher=container.publisher, generator=container.generator, quota=container.quota,
    )  # fmt: skip
    assert _files_of(container, user.user_id, doc_id) == []


def test_the_upload_url_of_a_deleted_document_no_longer_works(client: TestClient, container: Container) -> None:
    """Probe (F9): before, a PUT to the upload URL after the delete answered 201 (an orphan raw blob)."""
    user = make_user(container)
    client.cookies.update(user.cookies)
    body = {"title": "t", "filename": "t.pdf", "kind": "pdf", "size": 8}
    created = client.post("/v1/documents", json=body)
    assert created.status_code == 201, created.text
    upload_url, headers = created.json()["upload_url"], created.json()["upload_headers"]
    assert client.delete(f"/v1/documents/{created.json()['document']['id']}").status_code == 204
    put = httpx.put(upload_url, content=b"%PDF-1.7", headers=headers, timeout=10)
    assert put.status_code == 412, put.text  # LeaseIdMissing: the path is held
    assert [b.size for b in container.blobs.list(container="raw", prefix=f"{user.user_id}/")] == [0]
    removed = container.blobs.delete_prefix(container="raw", prefix=f"{user.user_id}/")
    assert removed == 1  # a held path is released and removed (account deletion relies on it)


def test_a_held_path_is_released_once_its_upload_urls_have_expired(client: TestClient, container: Container) -> None:
    user = make_user(container)
    client.cookies.update(user.cookies)
    created = client.post("/v1/documents", json={"title": "t", "filename": "t.pdf", "kind": "pdf", "size": 8})
    assert client.delete(f"/v1/documents/{created.json()['document']['id']}").status_code == 204
    held = [b.path for b in container.blobs.list(container="raw", prefix=f"{user.user_id}/")]
    assert len(held) == 1
    url_ttl = timedelta(seconds=container.settings.sas_ttl_seconds)
    with container.db.connection() as conn:
        release_expired(conn, container.blobs, now=datetime.now(UTC) + url_ttl)  # URLs still valid (skew)
    assert [b.path for b in container.blobs.list(container="raw", prefix=f"{user.user_id}/")] == held
    with container.db.connection() as conn:
        assert release_expired(conn, container.blobs, now=datetime.now(UTC) + url_ttl + timedelta(minutes=6)) >= 1
        left = conn.execute("SELECT count(*) FROM held_uploads WHERE path = %(p)s", {"p": held[0]}).fetchone()
    assert container.blobs.list(container="raw", prefix=f"{user.user_id}/") == [] and left == (0,)
