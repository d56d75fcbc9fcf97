"""Upload URLs of deleted documents: held until they expire, then released.

A write SAS cannot be revoked before it expires. Deleting a document therefore puts a leased
empty blob on its raw path (`BlobStore.hold`), so a PUT with the old URL fails, and records the
path here; the reconciler timer deletes the blob once every URL for it has expired (a new
document never reuses the path: it holds the document's id).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.platform.blobs import BlobStore
from shared.platform.db import Conn

#: Past the URL's own expiry, for clock skew between us and the storage service.
SKEW = timedelta(minutes=5)

_RECORD = """
INSERT INTO held_uploads (path, release_at) VALUES (%(path)s, %(release_at)s)
ON CONFLICT (path) DO UPDATE SET release_at = EXCLUDED.release_at
"""
_DUE = """
DELETE FROM held_uploads WHERE path IN (
    SELECT path FROM held_uploads WHERE release_at <= %(now)s ORDER BY release_at LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
) RETURNING path
"""


def hold_upload(conn: Conn, blobs: BlobStore, *, path: str, now: datetime, url_ttl_s: int) -> None:
    blobs.hold(container="raw", path=path)
    conn.execute(_RECORD, {"path": path, "release_at": now + timedelta(seconds=url_ttl_s) + SKEW})


def release_expired(conn: Conn, blobs: BlobStore, *, now: datetime, limit: int = 500) -> int:
    """Delete the held blobs whose URLs have all expired; the number released."""
    paths = [str(row[0]) for row in conn.execute(_DUE, {"now": now, "limit": limit}).fetchall()]
    for path in paths:
        blobs.delete(container="raw", path=path)  # False when the account's deletion took it already
    return len(paths)
