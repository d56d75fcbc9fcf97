"""Use cases other contexts call: create a document (optionally with its bytes), request its ingest, ask who owns it,
hold a deleted document's upload path, and clean up after a worker whose document was deleted mid-run."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from shared.canvas.service import course_exists
from shared.documents import held, leftovers, store
from shared.documents.contracts import IngestRequest
from shared.documents.extract.sniff import SUPPORTED_EXTENSIONS, extension_of
from shared.documents.store import DocumentRow, get_document, insert_document, set_ingest_message, set_size
from shared.platform.blobs import BlobStore
from shared.platform.db import Conn
from shared.platform.errors import InvalidArgument, NotFound
from shared.platform.publisher import Publisher
from shared.platform.stages import Status, set_stage, stages_of

logger = logging.getLogger(__name__)

#: Re-queues a document's media stage on the reconciler's connection: (conn, doc_id, user_id).
#: The media context builds one and the documents stage hands it to the reconciler.
RequeueMedia = Callable[[Conn, uuid.UUID, uuid.UUID], None]

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
    if not course_exists(conn, user_id=user_id, course_id=course_id):
        raise NotFound("no such course", details={"course_id": str(course_id)})


def check_filename(filename: str) -> str:
    """The blob-safe name of an upload; InvalidArgument for a file type the pipeline cannot read."""
    name = safe_filename(filename)
    if extension_of(name) not in SUPPORTED_EXTENSIONS:
        raise InvalidArgument(
            f"files ending in .{extension_of(name) or '(none)'} are not supported", details={"filename": filename}
        )
    return name


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
    name = check_filename(filename)
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
) -> str | None:
    """Publish `ingest.request` unless one is already queued or running for this document.

    The one way an ingest is published (API, blob trigger, Canvas sync, reconciler, `studyaid ops
    reprocess`). Idempotent: the row is locked, so concurrent callers publish once. `force`
    re-publishes the pending request's own message id (dedupe still holds). The message id is
    recorded on the document, so the reconciler re-publishes this very message if it gets stuck.
    Returns the stream entry id, None when a pending request made publishing needless.
    """
    document = get_document(conn, doc_id=doc_id, user_id=user_id, lock=True)
    if document is None:
        raise NotFound("no such document")
    ingest = next((s for s in stages_of(conn, doc_id=doc_id) if s.stage == "ingest"), None)
    status = ingest.status if ingest else None
    message_id = ingest_message_id(pending_id=document.ingest_message_id, status=status, force=force)
    if message_id is None:
        logger.info("document %s already has ingest %s pending; not re-published", doc_id, status)
        return None
    set_ingest_message(conn, doc_id=doc_id, message_id=message_id)
    set_stage(conn, doc_id=doc_id, stage="ingest", status="queued")
    return publisher.publish(ingest_request(document, message_id=message_id))


def ingest_message_id(*, pending_id: uuid.UUID | None, status: Status | None, force: bool) -> uuid.UUID | None:
    """The id of the `ingest.request` to publish: None while one is pending (queued or running with a
    recorded id) unless forced; the pending one's own id when forced; a fresh id otherwise."""
    pending = status in ("queued", "running") and pending_id is not None
    if pending and not force:
        return None
    return pending_id if pending and pending_id is not None else uuid.uuid4()


def document_owner(conn: Conn, *, doc_id: uuid.UUID, lock: bool = False) -> uuid.UUID | None:
    """Who owns the document, None when there is no such document (`lock` holds its row)."""
    return store.document_owner(conn, doc_id=doc_id, lock=lock)


def replace_raw_bytes(*, conn: Conn, blobs: BlobStore, user_id: uuid.UUID, doc_id: uuid.UUID, data: bytes) -> bool:
    """New bytes for an existing document, written over its raw blob; False when the document is gone."""
    document = get_document(conn, doc_id=doc_id, user_id=user_id)
    if document is None:
        return False
    blobs.put(container="raw", path=document.raw_blob_path, data=data, content_type="application/octet-stream")
    set_size(conn, doc_id=doc_id, size=len(data))
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


def hold_upload(conn: Conn, blobs: BlobStore, *, path: str, now: datetime, url_ttl_s: int) -> None:
    """Block a deleted document's raw path until every upload URL for it has expired (`documents.held`)."""
    held.hold_upload(conn, blobs, path=path, now=now, url_ttl_s=url_ttl_s)


def still_there(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """For a worker's commit: True, with the row locked until the transaction ends, while the document exists."""
    return leftovers.still_there(conn, doc_id=doc_id, user_id=user_id)


def remove_worker_files(blobs: BlobStore, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> int:
    """For a worker whose document was deleted mid-run: delete the blobs it wrote; the number deleted."""
    return leftovers.remove_files(blobs, doc_id=doc_id, user_id=user_id)
