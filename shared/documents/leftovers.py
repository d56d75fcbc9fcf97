"""Workers write blobs before their commit; a document deleted meanwhile must not keep them.

A worker locks the document row in its commit transaction (`still_there`): a delete that came
first has removed the row, so the worker removes what it wrote (`remove_files`); a delete that
comes later waits for the commit, then removes the row and every blob under the document,
the worker's included.
"""

from __future__ import annotations

import logging
import uuid

from shared.documents.store import get_document
from shared.platform.blobs import BlobStore
from shared.platform.blobs import Container as BlobContainer
from shared.platform.db import Conn

logger = logging.getLogger(__name__)


def still_there(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """True, with the row locked until this transaction ends, while the document exists."""
    return get_document(conn, doc_id=doc_id, user_id=user_id, lock=True) is not None


#: What the workers write. Never `raw`: after a delete it holds the upload path (`documents.held`).
WORKER_OUTPUT: tuple[BlobContainer, ...] = ("derived", "media")


def remove_files(blobs: BlobStore, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> int:
    """Delete the workers' blobs of the document; the number deleted."""
    prefix = f"{user_id}/{doc_id}/"
    removed = sum(blobs.delete_prefix(container=name, prefix=prefix) for name in WORKER_OUTPUT)
    logger.info("document %s was deleted mid-run; removed the %d files written for it", doc_id, removed)
    return removed
