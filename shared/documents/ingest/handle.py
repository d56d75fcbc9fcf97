"""The `ingest.request` stage handler: raw blob → Markdown, structure JSON and images; then `ai.request`.

Idempotent by doc_id: blob paths are deterministic and rows are replaced, so a re-run or a
re-sent request overwrites instead of duplicating. Bad input fails the stage with its reason and
raises a permanent error (dead-lettered at once); storage or database trouble raises to be retried.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from shared.ai.contracts import AiRequest
from shared.documents.contracts import IngestRequest, IngestResult
from shared.documents.errors import FileTooLarge, IngestRejected, NotABlockBlob, RawMissing
from shared.documents.ingest.commit import commit_ingest
from shared.documents.ingest.pipeline import Extracted, extract_document
from shared.documents.ingest.render import Rendered, render
from shared.documents.leftovers import remove_files, still_there
from shared.documents.settings import DocumentsSettings
from shared.documents.store import DocumentRow, assets_of, get_document
from shared.platform.blobs import BlobInfo, BlobMissing, BlobStore
from shared.platform.db import Conn
from shared.platform.dedupe import already_processed
from shared.platform.errors import AppError, QuotaExceeded
from shared.platform.publisher import Publisher
from shared.platform.stages import set_stage, stages_of
from shared.quota.contracts import Quota

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestDeps:
    db: ConnectionPool[Conn]
    blobs: BlobStore
    publisher: Publisher
    settings: DocumentsSettings
    quota: Quota


def handle_ingest(deps: IngestDeps, message: IngestRequest) -> None:
    with deps.db.connection() as conn:
        document = get_document(conn, doc_id=message.doc_id, user_id=message.user_id)
        if document is None:
            logger.warning("ingest.request for %s: the document no longer exists; nothing to do", message.doc_id)
            return
        if already_processed(conn, message):
            _republish_done(deps, conn, document)
            return
        set_stage(conn, doc_id=document.id, stage="ingest", status="running")
    try:
        etag, extracted = _extract(deps, document)
        deps.quota.charge(user_id=document.user_id, metric="pages", amount=pages_of(extracted))
    except (IngestRejected, QuotaExceeded) as exc:
        fail_ingest(deps, document, exc)
        raise
    rendered = render(
        user_id=document.user_id,
        doc_id=document.id,
        title=document.title,
        kind=extracted.kind,
        summary=extracted.result.summary,
        images=extracted.result.images,
        media_address=lambda path: deps.blobs.address(container="media", path=path),
    )
    _finish(deps, message, document, rendered, etag=etag, detected=extracted.detected)


def _extract(deps: IngestDeps, document: DocumentRow) -> tuple[str, Extracted]:
    try:
        info = deps.blobs.info(container="raw", path=document.raw_blob_path)
    except BlobMissing as exc:
        raise RawMissing("the file was never uploaded (or was deleted); upload it, then start ingestion") from exc
    try:
        check_upload(info, document=document, max_bytes=deps.settings.upload_max_bytes)
    except IngestRejected:
        deps.blobs.delete(container="raw", path=document.raw_blob_path)
        raise
    data = deps.blobs.get(container="raw", path=document.raw_blob_path)
    return info.etag, extract_document(data, filename=document.filename, settings=deps.settings)


def check_upload(info: BlobInfo, *, document: DocumentRow, max_bytes: int) -> None:
    """From the HEAD alone: a block blob no larger than the document declared (and the upload cap).

    A write SAS bounds neither size nor blob type, so this is where both are enforced."""
    if info.blob_type != "BlockBlob":
        raise NotABlockBlob(f"the upload is a {info.blob_type}; upload the file as a BlockBlob")
    limit = min(document.size_bytes, max_bytes)
    if info.size > limit:
        raise FileTooLarge(f"the file has {info.size} bytes; the document declared at most {limit}")


def refuse_upload(deps: IngestDeps, document: DocumentRow, error: IngestRejected) -> None:
    """Delete a raw blob that failed `check_upload` and record why, without reading it."""
    deps.blobs.delete(container="raw", path=document.raw_blob_path)
    fail_ingest(deps, document, error)


def pages_of(extracted: Extracted) -> int:
    """PDF pages or slides; a file without pages (DOCX, text) counts as one."""
    count = extracted.result.summary.get("page_count")
    return max(1, count) if isinstance(count, int) else 1


def _finish(
    deps: IngestDeps, message: IngestRequest, document: DocumentRow, rendered: Rendered, *, etag: str, detected: str
) -> None:
    prefix = f"{document.user_id}/{document.id}"
    for asset in rendered.assets:
        deps.blobs.put(container="media", path=asset.path, data=asset.data, content_type=asset.content_type)
    deps.blobs.put(
        container="derived",
        path=f"{prefix}/document.md",
        data=rendered.markdown.encode(),
        content_type="text/markdown; charset=utf-8",
    )
    structure_json = rendered.structure.model_dump_json(indent=1).encode()
    deps.blobs.put(
        container="derived", path=f"{prefix}/structure.json", data=structure_json, content_type="application/json"
    )
    ai_message = AiRequest(doc_id=document.id, user_id=document.user_id)
    with deps.db.connection() as conn:
        if not still_there(conn, doc_id=document.id, user_id=document.user_id):
            remove_files(deps.blobs, doc_id=document.id, user_id=document.user_id)
            return
        stale = {a.blob_url for a in assets_of(conn, doc_id=document.id) if a.kind == "image"}
        commit_ingest(
            conn,
            message=message,
            document=document,
            rendered=rendered,
            raw_etag=etag,
            detected_kind=detected,
            ai_message_id=ai_message.message_id,
        )
    for url in stale - {a.url for a in rendered.assets}:
        deps.blobs.delete(container="media", path=url.removeprefix("media/"))
    deps.publisher.publish(IngestResult(doc_id=document.id, user_id=document.user_id, status="done"))
    deps.publisher.publish(ai_message)


def fail_ingest(deps: IngestDeps, document: DocumentRow, error: AppError) -> None:
    """Record why the ingest failed and tell listeners; the caller re-raises the permanent error."""
    logger.warning("ingest of %s failed: %s %s", document.id, error.code, error.message)
    with deps.db.connection() as conn:
        set_stage(
            conn,
            doc_id=document.id,
            stage="ingest",
            status="failed",
            error_code=error.code,
            error_message=error.message,
        )
    deps.publisher.publish(
        IngestResult(
            doc_id=document.id,
            user_id=document.user_id,
            status="failed",
            error_code=error.code,
            error_message=error.message,
        )
    )


def _republish_done(deps: IngestDeps, conn: Conn, document: DocumentRow) -> None:
    """A duplicate of a committed request: make sure its results went out (publishing is at-least-once)."""
    ingest = next((s for s in stages_of(conn, doc_id=document.id) if s.stage == "ingest"), None)
    if ingest is None or ingest.status != "done":
        return
    deps.publisher.publish(IngestResult(doc_id=document.id, user_id=document.user_id, status="done"))
    ai_id = document.ai_message_id or uuid.uuid4()
    deps.publisher.publish(AiRequest(message_id=ai_id, doc_id=document.id, user_id=document.user_id))
