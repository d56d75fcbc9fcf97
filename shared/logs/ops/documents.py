"""Reprocess a document: publish `ingest.request` for its id again (the pipeline is idempotent)."""

from __future__ import annotations

import uuid

from shared.container import Container
from shared.documents.service import ingest_request
from shared.documents.store import get_document
from shared.platform.errors import NotFound
from shared.platform.stages import set_stage


def reprocess(container: Container, *, doc_id: uuid.UUID) -> str:
    """Mark the ingest stage queued and publish; returns the stream entry id."""
    with container.db.connection() as conn:
        row = conn.execute("SELECT user_id FROM documents WHERE id = %(id)s", {"id": doc_id}).fetchone()
        document = get_document(conn, doc_id=doc_id, user_id=row[0]) if row else None
        if document is None:
            raise NotFound(f"no document {doc_id}")
        set_stage(conn, doc_id=doc_id, stage="ingest", status="queued")
    return container.publisher.publish(ingest_request(document))
