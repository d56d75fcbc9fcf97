"""`/v1/documents` and `/v1/ingestion/start`: create (SAS or multipart upload), list, read, delete, ingest."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from shared.auth.deps import CurrentUser, ReadingUser
from shared.container import Container
from shared.deps import ContainerDep
from shared.documents.contracts import (
    CreatedDocument,
    CreateDocument,
    DocumentDetail,
    DocumentPage,
    IngestionStarted,
    StartIngestion,
)
from shared.documents.extract.sniff import extension_of
from shared.documents.held import hold_upload
from shared.documents.service import create_document, request_ingest
from shared.documents.settings import DocumentsSettings
from shared.documents.start_checks import check_start
from shared.documents.store import delete_document, get_document, get_document_full_async, list_documents_async
from shared.documents.views import (
    decode_cursor,
    detail_of,
    document_detail,
    document_out,
    page_of,
)
from shared.platform.blobs import CONTAINERS, upload_headers
from shared.platform.context import current_request_id
from shared.platform.errors import NotFound, PayloadTooLarge
from shared.platform.json_body import private_json
from shared.platform.lean_route import LeanRoute

router = APIRouter(tags=["documents"], route_class=LeanRoute)  # the hot reads: see shared/platform/lean_route.py


def _settings(container: Container) -> DocumentsSettings:
    settings: DocumentsSettings = container.settings
    return settings


def _throttle(container: Container, user_id: uuid.UUID) -> None:
    """Uploads and ingestion starts are expensive: a per-user limit per minute, shared by instances."""
    limit = _settings(container).uploads_per_minute
    container.throttle.hit(f"documents:{user_id}", limit=limit, window_s=60, what="uploads or ingestion starts")


def _check_size(size: int, container: Container) -> None:
    cap = _settings(container).upload_max_bytes
    if size > cap:
        raise PayloadTooLarge(f"the file has {size} bytes; the limit is {cap}", details={"limit": cap})


@router.post("/documents", status_code=201)
def create(body: CreateDocument, principal: CurrentUser, container: ContainerDep) -> CreatedDocument:
    """Create the document; PUT the file to `upload_url` (a short-lived SAS), then ingestion starts."""
    _check_size(body.size, container)
    _throttle(container, principal.user_id)
    ttl = container.settings.sas_ttl_seconds
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=principal.user_id,
            title=body.title,
            filename=body.filename,
            kind=body.kind,
            size=body.size,
            course_id=body.course_id,
            source="upload",
            data=None,
        )
        out = document_out(conn, row)
    url = container.blobs.write_url(container="raw", path=row.raw_blob_path, ttl_s=ttl)
    return CreatedDocument(
        document=out, upload_url=url, upload_headers=upload_headers(current_request_id()), expires_in_s=ttl
    )


@router.post("/documents/upload", status_code=201)
async def upload(
    principal: CurrentUser,
    container: ContainerDep,
    file: Annotated[UploadFile, File()],
    title: Annotated[str | None, Form(max_length=300)] = None,
    course_id: Annotated[uuid.UUID | None, Form()] = None,
) -> DocumentDetail:
    """Direct multipart upload for small files; ingestion is requested at once."""
    _throttle(container, principal.user_id)
    cap = _settings(container).upload_max_bytes
    data = await file.read(cap + 1)
    _check_size(len(data), container)
    filename = file.filename or "upload"
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=principal.user_id,
            title=title or filename,
            filename=filename,
            kind=extension_of(filename),
            size=len(data),
            course_id=course_id,
            source="upload",
            data=data,
        )
    with container.db.connection() as conn:
        request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=principal.user_id)
        return document_detail(conn, row, blobs=container.blobs, ttl_s=container.settings.sas_ttl_seconds)


@router.post("/ingestion/start", status_code=202)
def start(body: StartIngestion, principal: CurrentUser, container: ContainerDep) -> IngestionStarted:
    """(Re)start ingestion of an uploaded document. `file_url`, if given, must be this document's raw
    blob (403 `FORBIDDEN` otherwise; it is never fetched); `kind`, if given, must match the content."""
    _throttle(container, principal.user_id)
    with container.db.connection() as conn:
        row = get_document(conn, doc_id=body.doc_id, user_id=principal.user_id)
        if row is None:
            raise NotFound("no such document")
        check_start(row=row, file_url=body.file_url, kind=body.kind, blobs=container.blobs)
        entry_id = request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=principal.user_id)
    return IngestionStarted(doc_id=row.id, status="queued", published=entry_id is not None)


@router.get("/documents", response_model=DocumentPage)
async def list_(
    reading: ReadingUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    # One statement per page (the documents with their stages), on the session lookup's connection.
    before = decode_cursor(cursor) if cursor else None
    user_id = reading.principal.user_id
    async with reading.connection() as conn:
        rows = await list_documents_async(conn, user_id=user_id, limit=limit + 1, before=before)
    return private_json(page_of(rows, limit=limit))


@router.get("/documents/{doc_id:uuid}", response_model=DocumentDetail)
async def read(doc_id: uuid.UUID, reading: ReadingUser, container: ContainerDep) -> Response:
    async with reading.connection() as conn:
        full = await get_document_full_async(conn, doc_id=doc_id, user_id=reading.principal.user_id)
    if full is None:
        raise NotFound("no such document")
    return private_json(detail_of(full, blobs=container.blobs, ttl_s=container.settings.sas_ttl_seconds))


@router.delete("/documents/{doc_id:uuid}", status_code=204)
def delete(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> Response:
    """Remove the document's rows and every blob under raw/, derived/ and media/; its upload URL stops working."""
    with container.db.connection() as conn:
        raw_path = delete_document(conn, doc_id=doc_id, user_id=principal.user_id)
    if raw_path is None:
        raise NotFound("no such document")
    prefix = f"{principal.user_id}/{doc_id}/"
    for name in CONTAINERS:
        container.blobs.delete_prefix(container=name, prefix=prefix)
    with container.db.connection() as conn:  # the upload URL stays valid until it expires: hold its path
        hold_upload(conn, container.blobs, path=raw_path, now=container.clock.now(),
                    url_ttl_s=container.settings.sas_ttl_seconds)  # fmt: skip
    return Response(status_code=204)
