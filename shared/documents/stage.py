"""Factories the registry calls: the ingest stage handler, the raw-blob handler, the reconciler job."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from shared.container import Container
from shared.documents.contracts import IngestRequest
from shared.documents.errors import IngestRejected
from shared.documents.held import release_expired
from shared.documents.ingest.handle import IngestDeps, check_upload, handle_ingest, refuse_upload
from shared.documents.reconciler import reconcile
from shared.documents.service import RequeueMedia, request_ingest
from shared.documents.settings import DocumentsSettings
from shared.documents.store import get_document
from shared.platform.blobs import REQUEST_ID_METADATA, BlobMissing
from shared.platform.context import accept_request_id, set_request_id
from shared.platform.drain import StageHandler
from shared.platform.messages import Message
from shared.platform.stages import failed_when_dead
from shared.platform.triggers import RawBlob

logger = logging.getLogger(__name__)


def _deps(container: Container) -> IngestDeps:
    settings: DocumentsSettings = container.settings
    return IngestDeps(
        db=container.db,
        blobs=container.blobs,
        publisher=container.publisher,
        settings=settings,
        quota=container.quota,
    )


def ingest_handler(container: Container) -> StageHandler:
    def handle(message: Message) -> None:
        if not isinstance(message, IngestRequest):
            raise TypeError(f"expected IngestRequest, got {type(message).__name__}")
        handle_ingest(_deps(container), message)

    return StageHandler(
        stream=IngestRequest.stream,
        message_type=IngestRequest,
        handle=handle,
        on_dead=failed_when_dead(container.db, "ingest"),
    )


def raw_blob_handler(container: Container) -> Callable[[RawBlob], None]:
    """A new raw blob: one HEAD checks its type and size (refused: deleted, stage failed), then its
    ingest is published once (duplicates of the same blob version are ignored). Nothing reads it here."""

    def handle(blob: RawBlob) -> None:
        try:
            user_id, doc_id = uuid.UUID(blob.user_id), uuid.UUID(blob.doc_id)
        except ValueError:
            logger.error("ignoring raw blob %s: the path does not hold a user id and a document id", blob.path)
            return
        deps = _deps(container)
        with container.db.connection() as conn:
            document = get_document(conn, doc_id=doc_id, user_id=user_id)
            if document is None or f"raw/{document.raw_blob_path}" != blob.path:
                logger.warning("ignoring raw blob %s: no document owns it", blob.path)
                return
            try:
                info = container.blobs.info(container="raw", path=document.raw_blob_path)
            except BlobMissing:
                logger.warning("raw blob %s vanished before it could be ingested", blob.path)
                return
            # The upload's request id rode on the blob (SAS PUT metadata): the trigger carries it on.
            set_request_id(accept_request_id(info.metadata.get(REQUEST_ID_METADATA)))
            if info.etag == document.raw_etag:
                logger.info("raw blob %s was already ingested at this version", blob.path)
                return
            try:
                check_upload(info, document=document, max_bytes=deps.settings.upload_max_bytes)
            except IngestRejected as exc:
                refused: IngestRejected | None = exc
            else:
                refused = None
                request_ingest(conn=conn, publisher=container.publisher, doc_id=doc_id, user_id=user_id)
        if refused is not None:
            refuse_upload(deps, document, refused)

    return handle


def reconciler_job(
    container: Container, *, requeue_media: RequeueMedia | None = None
) -> Callable[[], dict[str, object]]:
    def job() -> dict[str, object]:
        settings: DocumentsSettings = container.settings
        with container.db.connection() as conn:
            report: dict[str, object] = dict(
                reconcile(
                    conn=conn,
                    publisher=container.publisher,
                    after_s=settings.reconcile_after_seconds,
                    max_attempts=settings.reconcile_max_attempts,
                    requeue_media=requeue_media,
                )
            )
            report["uploads_released"] = release_expired(conn, container.blobs, now=container.clock.now())
        return report

    return job
