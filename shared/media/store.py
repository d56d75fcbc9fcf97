"""SQL of the media context: narrated assets (origin 'narration') of a document, replaced as a set."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from psycopg_pool import ConnectionPool

from shared.documents.service import document_owner
from shared.platform.db import Conn
from shared.platform.dedupe import key_processed
from shared.platform.retention import TableRetention
from shared.platform.stages import Status, set_stage, stages_of

ORIGIN = "narration"


@dataclass(frozen=True)
class MediaAsset:
    id: uuid.UUID
    kind: str
    blob_url: str
    thumbnail_url: str | None
    duration_ms: int | None
    content_type: str | None
    size_bytes: int | None
    created_at: datetime


@dataclass(frozen=True)
class NewAsset:
    id: uuid.UUID
    kind: str
    blob_url: str
    thumbnail_url: str | None
    duration_ms: int
    content_type: str
    size_bytes: int


_COLUMNS = "id, kind, blob_url, thumbnail_url, duration_ms, content_type, size_bytes, created_at"


def lock_document(conn: Conn, *, doc_id: uuid.UUID) -> None:
    """Serialise media runs of one document until the current transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%(key)s, 0))", {"key": f"media:{doc_id}"})


def narration_assets(conn: Conn, *, doc_id: uuid.UUID) -> list[MediaAsset]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM media_assets WHERE document_id = %(doc_id)s AND origin = %(origin)s"
        " ORDER BY kind, created_at",
        {"doc_id": doc_id, "origin": ORIGIN},
    ).fetchall()
    return [MediaAsset(*row) for row in rows]


def replace_narration_assets(
    conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, assets: list[NewAsset]
) -> list[MediaAsset]:
    """Delete the document's narrated assets and insert `assets`; returns the rows it deleted."""
    old = conn.execute(
        f"DELETE FROM media_assets WHERE document_id = %(doc_id)s AND origin = %(origin)s RETURNING {_COLUMNS}",
        {"doc_id": doc_id, "origin": ORIGIN},
    ).fetchall()
    for asset in assets:
        conn.execute(_INSERT, {**vars(asset), "doc_id": doc_id, "user_id": user_id, "origin": ORIGIN})
    return [MediaAsset(*row) for row in old]


_INSERT = """
INSERT INTO media_assets
    (id, document_id, user_id, kind, blob_url, thumbnail_url, duration_ms, origin, content_type, size_bytes)
VALUES (%(id)s, %(doc_id)s, %(user_id)s, %(kind)s, %(blob_url)s, %(thumbnail_url)s, %(duration_ms)s,
        %(origin)s, %(content_type)s, %(size_bytes)s)
"""


_CLAIM = """
INSERT INTO media_claims (document_id, token, message_id, expires_at)
VALUES (%(doc_id)s, %(token)s, %(message_id)s, now() + make_interval(secs => %(lease)s))
ON CONFLICT (document_id) DO UPDATE
   SET token = EXCLUDED.token, message_id = EXCLUDED.message_id, claimed_at = now(), expires_at = EXCLUDED.expires_at
 WHERE media_claims.expires_at < now()
RETURNING token
"""


def claim(conn: Conn, *, doc_id: uuid.UUID, token: uuid.UUID, message_id: uuid.UUID, lease_s: float) -> bool:
    """Claim the document's media run for `lease_s` seconds; False while another live run holds it."""
    params = {"doc_id": doc_id, "token": token, "message_id": message_id, "lease": lease_s}
    return conn.execute(_CLAIM, params).fetchone() is not None


def renew(conn: Conn, *, doc_id: uuid.UUID, token: uuid.UUID, lease_s: float) -> bool:
    """Extend our claim by `lease_s` from now; False when it is no longer ours."""
    cur = conn.execute(
        "UPDATE media_claims SET expires_at = now() + make_interval(secs => %(lease)s)"
        " WHERE document_id = %(doc_id)s AND token = %(token)s",
        {"doc_id": doc_id, "token": token, "lease": lease_s},
    )
    return cur.rowcount > 0


def claimed_for(conn: Conn, *, doc_id: uuid.UUID) -> uuid.UUID | None:
    """The message whose run holds the document's claim now, if any."""
    row = conn.execute(
        "SELECT message_id FROM media_claims WHERE document_id = %(doc_id)s AND expires_at >= now()", {"doc_id": doc_id}
    ).fetchone()
    return row[0] if row else None


_KEEP = """
INSERT INTO media_claims (document_id, token, message_id, expires_at)
VALUES (%(doc_id)s, %(token)s, %(message_id)s, now() + make_interval(secs => %(lease)s))
ON CONFLICT (document_id) DO UPDATE
   SET token = EXCLUDED.token, message_id = EXCLUDED.message_id, expires_at = EXCLUDED.expires_at
 WHERE media_claims.token = EXCLUDED.token OR media_claims.expires_at < now()
RETURNING token
"""


def keep_claim(conn: Conn, *, doc_id: uuid.UUID, token: uuid.UUID, message_id: uuid.UUID, lease_s: float) -> bool:
    """Still ours, or lapsed with nobody else holding it (then ours again): False only when
    another run holds the document now."""
    params = {"doc_id": doc_id, "token": token, "message_id": message_id, "lease": lease_s}
    return conn.execute(_KEEP, params).fetchone() is not None


def release(conn: Conn, *, doc_id: uuid.UUID, token: uuid.UUID) -> None:
    params = {"doc_id": doc_id, "token": token}
    conn.execute("DELETE FROM media_claims WHERE document_id = %(doc_id)s AND token = %(token)s", params)


def claims_retention() -> TableRetention:
    """Claims whose lease ended a day ago belong to runs that died; nothing will release them."""
    return TableRetention(table="media_claims", older_than="expires_at < %(cutoff)s", keep=timedelta(days=1))


class MediaRecords(Protocol):
    """What the media use cases read and write besides the claimed run itself (`narrate`)."""

    def owner(self, *, doc_id: uuid.UUID) -> uuid.UUID | None: ...

    def processed(self, *, dedupe_key: str) -> bool: ...

    def media_status(self, *, doc_id: uuid.UUID) -> Status | None: ...

    def set_media_stage(
        self, *, doc_id: uuid.UUID, status: Status, error_code: str | None = None, error_message: str | None = None
    ) -> None: ...


class PgMediaRecords:
    """`MediaRecords` in Postgres, one short transaction per call."""

    def __init__(self, db: ConnectionPool[Conn]) -> None:
        self._db = db

    def owner(self, *, doc_id: uuid.UUID) -> uuid.UUID | None:
        with self._db.connection() as conn:
            return document_owner(conn, doc_id=doc_id)

    def processed(self, *, dedupe_key: str) -> bool:
        with self._db.connection() as conn:
            return key_processed(conn, dedupe_key)

    def media_status(self, *, doc_id: uuid.UUID) -> Status | None:
        with self._db.connection() as conn:
            return next((s.status for s in stages_of(conn, doc_id=doc_id) if s.stage == "media"), None)

    def set_media_stage(
        self, *, doc_id: uuid.UUID, status: Status, error_code: str | None = None, error_message: str | None = None
    ) -> None:
        with self._db.connection() as conn:
            set_stage(
                conn, doc_id=doc_id, stage="media", status=status, error_code=error_code, error_message=error_message
            )
