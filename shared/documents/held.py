"""Upload URLs of deleted documents: held until they expire, then released.

A write SAS cannot be revoked before it expires. Deleting a document therefore puts a leased
empty blob on its raw path (`BlobStore.hold`), so a PUT with the old URL fails, and records the
path here; the reconciler timer deletes the blob once every URL for it has expired (a new
document never reuses the path: it holds the document's id).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.documents.store import hold_path, take_due_holds
from shared.platform.blobs import BlobStore
from shared.platform.db import Conn

#: Past the URL's own expiry, for clock skew between us and the storage service.
SKEW = timedelta(minutes=5)


def hold_upload(conn: Conn, blobs: BlobStore, *, path: str, now: datetime, url_ttl_s: int) -> None:
    blobs.hold(container="raw", path=path)
    hold_path(conn, path=path, release_at=now + timedelta(seconds=url_ttl_s) + SKEW)


def release_expired(conn: Conn, blobs: BlobStore, *, now: datetime, limit: int = 500) -> int:
    """Delete the held blobs whose URLs have all expired; the number released."""
    paths = take_due_holds(conn, now=now, limit=limit)
    for path in paths:
        blobs.delete(container="raw", path=path)  # False when the account's deletion took it already
    return len(paths)
