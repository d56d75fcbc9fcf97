"""Use cases other contexts call: create a document (optionally with its bytes) and request its ingest."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Literal

from shared.documents.contracts import IngestRequest
from shared.documents.extract.sniff import SUPPORTED_EXTENSIONS, extension_of
from shared.documents.store import DocumentRow, get_document, insert_document, set_ingest_message
from shared.platform.blobs import BlobStore
from shared.platform.db import Conn
from shared.platform.errors import InvalidArgument, NotFound
from shared.platform.publisher import Publisher
from shared.platform.stages import set_stage, stages_of

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def safe_filename(filename: str) -> str:
    """A blob-safe name that keeps the extension: no path, no control or odd characters, ≤ 120 chars."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else base).strip("._") or "document"
    ext = _UNSAFE.sub("", ext if dot else "").lower()[:10]
    return f"{stem[:100]}.{ext}" if ext else stem[:100]


def _require_own_course(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID) -> None:
    """Someone else's course answers like a missing one: its existence does not leak."""
    row = conn.execute(
        "SELECT 1 FROM courses WHERE id = %(course_id)s AND user_id = %(user_id)s",
        {"course_id": course_id, "user_id": user_id},
    ).fetchone()
    if row is None:
        raise NotFound("no such course", details={"course_id": str(course_id)})


def create_document(
    *,
    conn: Conn,
    blobs: BlobStore,
    user_id: uuid.UUID,
    title: str,
    filename: str,
    kind: str,
    size: int,
    course_id: uuid.UUID | None,
    source: Literal["upload", "canvas"],
    data: bytes | None,
) -> DocumentRow:
    """Insert the documents row (ingest stage `queued`); store raw/{user}/{doc}/{filename} when `data` is given."""
    name = safe_filename(filename)
    if extension_of(name) not in SUPPORTED_EXTENSIONS:
        raise InvalidArgument(
            f"files ending in .{extension_of(name) or '(none)'} are not supported", details={"filename": filename}
        )
    if course_id is not None:
        _require_own_course(conn, user_id=user_id, course_id=course_id)
    doc_id = uuid.uuid4()
    path = f"{user_id}/{doc_id}/{name}"
    if data is not None:
        blobs.put(
            container="raw",
            path=path,
            data=data,
            content_type=CONTENT_TYPES.get(extension_of(name), "application/octet-stream"),
        )
    row = insert_document(
        conn,
        {
            "id": doc_id,
            "user_id": user_id,
            "course_id": course_id,
            "title": title.strip() or name,
            "filename": name,
            "kind": kind,
            "size": size if data is None else len(data),
            "source": source,
            "raw_blob_path": path,
        },
    )
    set_stage(conn, doc_id=doc_id, stage="ingest", status="queued")
    return row


def request_ingest(
    *, conn: Conn, publisher: Publisher, doc_id: uuid.UUID, user_id: uuid.UUID, force: bool = False
) -> bool:
    """Publish `ingest.request` unless one is already queued or running for this document.

    Idempotent: the row is locked, so concurrent callers (blob trigger, API, Canvas sync) publish
    once. `force` re-publishes the pending request's own message id (dedupe still holds).
    Returns True when a message was published.
    """
    document = get_document(conn, doc_id=doc_id, user_id=user_id, lock=True)
    if document is None:
        raise NotFound("no such document")
    ingest = next((s for s in stages_of(conn, doc_id=doc_id) if s.stage == "ingest"), None)
    pending = ingest is not None and ingest.status in ("queued", "running") and document.ingest_message_id is not None
    if pending and not force:
        logger.info(
            "document %s already has ingest %s pending; not re-published", doc_id, ingest.status if ingest else ""
        )
        return False
    message_id = document.ingest_message_id if pending and document.ingest_message_id else uuid.uuid4()
    set_ingest_message(conn, doc_id=doc_id, message_id=message_id)
    set_stage(conn, doc_id=doc_id, stage="ingest", status="queued")
    publisher.publish(ingest_request(document, message_id=message_id))
    return True


def ingest_request(document: DocumentRow, *, message_id: uuid.UUID | None = None) -> IngestRequest:
    """The document's `ingest.request`, with the specification's `source`, `file_url` and `kind`."""
    return IngestRequest(
        message_id=message_id or uuid.uuid4(),
        doc_id=document.id,
        user_id=document.user_id,
        source=document.source,
        file_url=f"raw/{document.raw_blob_path}",
        kind=document.kind,
    )
