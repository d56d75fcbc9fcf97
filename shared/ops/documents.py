"""Reprocess a document: publish `ingest.request` for its id again (the pipeline is idempotent)."""

from __future__ import annotations

import uuid

from psycopg_pool import ConnectionPool

from shared.documents.service import document_owner, request_ingest
from shared.platform.db import Conn
from shared.platform.errors import NotFound
from shared.platform.publisher import Publisher


def reprocess(*, db: ConnectionPool[Conn], publisher: Publisher, doc_id: uuid.UUID) -> str | None:
    """Mark the ingest stage queued and publish through the documents' own path (which records the
    message id); returns the stream entry id."""
    with db.connection() as conn:
        owner = document_owner(conn, doc_id=doc_id)
        if owner is None:
            raise NotFound(f"no document {doc_id}")
        return request_ingest(conn=conn, publisher=publisher, doc_id=doc_id, user_id=owner, force=True)
