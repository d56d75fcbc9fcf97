"""Start (or restart) generation for a document: queue the stage and publish `ai.request`."""

from __future__ import annotations

import uuid
from typing import Protocol

from psycopg_pool import ConnectionPool

from shared.ai import paths
from shared.ai.contracts import AiRequest
from shared.ai.contracts.http import Pending
from shared.ai.store import remember_ai_message
from shared.ai.use_cases.read import stage_view
from shared.documents.service import document_owner
from shared.platform.blob_urls import require_own_blob
from shared.platform.blobs import BlobMissing, BlobStore
from shared.platform.db import Conn
from shared.platform.errors import FailedPrecondition, NotFound
from shared.platform.publisher import Publisher
from shared.platform.stages import set_stage


class RateLimit(Protocol):
    """What starting needs of a throttle (`Throttle` in Redis, or a fake)."""

    def hit(self, bucket: str, *, limit: int, window_s: int, what: str) -> None: ...


def start_generation(
    *,
    doc_id: uuid.UUID,
    user_id: uuid.UUID,
    markdown_url: str | None = None,
    json_url: str | None = None,
    db: ConnectionPool[Conn],
    blobs: BlobStore,
    publisher: Publisher,
    throttle: RateLimit,
    per_minute: int,
) -> Pending:
    """Idempotent while a run is queued or running; afterwards a new run replaces the aids.

    Generation is the expensive endpoint (an LLM bill with the OpenAI adapter): starts are
    limited to `per_minute` per user and minute (`AI_START_PER_MINUTE`), answered 429 with Retry-After.
    """
    throttle.hit(f"ai-start:{user_id}", limit=per_minute, window_s=60, what="generation starts")
    _check_ingested(db, blobs, doc_id=doc_id, user_id=user_id)
    own_markdown = paths.markdown_path(user_id, doc_id)
    require_own_blob(markdown_url, field="markdown_url", blobs=blobs, container="derived", path=own_markdown)
    own_json = paths.structure_path(user_id, doc_id)
    require_own_blob(json_url, field="json_url", blobs=blobs, container="derived", path=own_json)
    request = AiRequest(doc_id=doc_id, user_id=user_id)
    with db.connection() as conn:
        # The row lock makes concurrent starts queue one run, not two.
        if document_owner(conn, doc_id=doc_id, lock=True) != user_id:
            raise NotFound(f"document {doc_id} not found")
        current = stage_view(conn, doc_id).status
        if current in ("queued", "running"):
            return Pending(doc_id=doc_id, status=current, detail="study aids are already being generated")
        set_stage(conn, doc_id=doc_id, stage="ai", status="queued")
        remember_ai_message(conn, doc_id=doc_id, message_id=request.message_id)
    publisher.publish(request)
    return Pending(doc_id=doc_id, status="queued", detail="study aids are queued")


def _check_ingested(db: ConnectionPool[Conn], blobs: BlobStore, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> None:
    with db.connection() as conn:
        if document_owner(conn, doc_id=doc_id) != user_id:
            raise NotFound(f"document {doc_id} not found")
    try:
        blobs.info(container="derived", path=paths.structure_path(user_id, doc_id))
    except BlobMissing as exc:
        raise FailedPrecondition("the document has not been ingested yet", details={"stage": "ingest"}) from exc
