"""SQL for Canvas files: what was last ingested (Canvas `updated_at`, `modified_at`, ETag)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from shared.canvas.store.content import Upserted, _upsert
from shared.platform.db import Conn


@dataclass(frozen=True)
class FileRow:
    id: uuid.UUID
    canvas_id: int
    canvas_updated_at: datetime | None
    canvas_modified_at: datetime | None
    etag: str | None
    document_id: uuid.UUID | None
    status: str


@dataclass(frozen=True)
class FileMeta:
    course_id: uuid.UUID
    display_name: str
    filename: str
    content_type: str | None
    size_bytes: int | None


def upsert_file(conn: Conn, *, user_id: uuid.UUID, canvas_id: int, meta: FileMeta) -> Upserted:
    return _upsert(conn, "canvas_files", dict(vars(meta)), user_id=user_id, canvas_id=canvas_id)


def get_file(conn: Conn, *, user_id: uuid.UUID, canvas_id: int) -> FileRow | None:
    with conn.cursor(row_factory=class_row(FileRow)) as cur:
        cur.execute(
            "SELECT id, canvas_id, canvas_updated_at, canvas_modified_at, etag, document_id, status"
            " FROM canvas_files WHERE user_id = %(user_id)s AND canvas_id = %(canvas_id)s",
            {"user_id": user_id, "canvas_id": canvas_id},
        )
        return cur.fetchone()


@dataclass(frozen=True)
class FileOutcome:
    status: str  # skipped | ingested | failed | dismissed
    document_id: uuid.UUID | None = None
    canvas_updated_at: datetime | None = None
    canvas_modified_at: datetime | None = None
    etag: str | None = None
    error: str | None = None


def record_outcome(conn: Conn, *, file_id: uuid.UUID, outcome: FileOutcome) -> None:
    """Keep the Canvas version only once it is ingested, so a failed fetch is tried again next sync."""
    conn.execute(
        "UPDATE canvas_files SET status = %(status)s::text, error = %(error)s::text, updated_at = now(),"
        " document_id = COALESCE(%(document_id)s::uuid, document_id),"
        " canvas_updated_at = CASE WHEN %(status)s::text = 'failed' THEN canvas_updated_at"
        " ELSE %(updated)s::timestamptz END,"
        " canvas_modified_at = CASE WHEN %(status)s::text = 'failed' THEN canvas_modified_at"
        " ELSE %(modified)s::timestamptz END,"
        " etag = COALESCE(%(etag)s::text, etag)"
        " WHERE id = %(id)s AND (status, error, canvas_updated_at, canvas_modified_at, document_id)"
        " IS DISTINCT FROM (%(status)s::text, %(error)s::text, %(updated)s::timestamptz,"
        " %(modified)s::timestamptz, COALESCE(%(document_id)s::uuid, document_id))",
        {
            "id": file_id,
            "status": outcome.status,
            "error": outcome.error,
            "document_id": outcome.document_id,
            "updated": outcome.canvas_updated_at,
            "modified": outcome.canvas_modified_at,
            "etag": outcome.etag,
        },
    )
