"""Raw SQL of the documents context (documents rows and their image assets).

The gateway's reads have async twins (`*_async`) on the async pool: the detail read is one
statement (the row, its stages and its assets), a page of the listing one statement too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row

from shared.platform.db import AsyncConn, Conn
from shared.platform.stages import Stage, StageState


@dataclass(frozen=True)
class DocumentRow:
    id: uuid.UUID
    user_id: uuid.UUID
    course_id: uuid.UUID | None
    title: str
    filename: str
    kind: str
    size_bytes: int
    source: str
    raw_blob_path: str
    markdown_path: str | None
    structure_path: str | None
    page_count: int | None
    ingest_message_id: uuid.UUID | None
    ai_message_id: uuid.UUID | None
    raw_etag: str | None
    detected_kind: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class AssetRow:
    id: uuid.UUID
    kind: str
    blob_url: str


_COLUMNS = (
    "id, user_id, course_id, title, filename, kind, size_bytes, source, raw_blob_path, markdown_path,"
    " structure_path, page_count, ingest_message_id, ai_message_id, raw_etag, detected_kind, created_at, updated_at"
)


def insert_document(conn: Conn, row: dict[str, object]) -> DocumentRow:
    sql = (
        "INSERT INTO documents (id, user_id, course_id, title, filename, kind, size_bytes, source, raw_blob_path)"
        " VALUES (%(id)s, %(user_id)s, %(course_id)s, %(title)s, %(filename)s, %(kind)s, %(size)s, %(source)s,"
        f" %(raw_blob_path)s) RETURNING {_COLUMNS}"
    )
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        found = cur.execute(sql, row).fetchone()
    if found is None:
        raise LookupError("INSERT ... RETURNING gave no row")
    return found


def get_document(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, lock: bool = False) -> DocumentRow | None:
    sql = f"SELECT {_COLUMNS} FROM documents WHERE id = %(id)s AND user_id = %(user_id)s"
    with conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        return cur.execute(sql + (" FOR UPDATE" if lock else ""), {"id": doc_id, "user_id": user_id}).fetchone()


def set_size(conn: Conn, *, doc_id: uuid.UUID, size: int) -> None:
    """The document's raw bytes were replaced (a new version of a Canvas file)."""
    conn.execute(
        "UPDATE documents SET size_bytes = %(size)s, updated_at = now() WHERE id = %(id)s", {"id": doc_id, "size": size}
    )


def document_owner(conn: Conn, *, doc_id: uuid.UUID, lock: bool = False) -> uuid.UUID | None:
    """Who owns the document (None: no such document); `lock` holds its row until the transaction ends."""
    sql = "SELECT user_id FROM documents WHERE id = %(id)s" + (" FOR UPDATE" if lock else "")
    row = conn.execute(sql, {"id": doc_id}).fetchone()
    return None if row is None else uuid.UUID(str(row[0]))


# The stages and assets of one document as parallel arrays (array_agg over none is NULL): one
# statement carries a document with everything its detail shows, in the order the sync reads use.
_STAGE_ARRAYS = """
LEFT JOIN LATERAL (
    SELECT array_agg(s.stage ORDER BY s.stage) AS names, array_agg(s.status ORDER BY s.stage) AS statuses,
           array_agg(s.attempts ORDER BY s.stage) AS attempts, array_agg(s.error_code ORDER BY s.stage) AS codes,
           array_agg(s.error_message ORDER BY s.stage) AS messages, array_agg(s.updated_at ORDER BY s.stage) AS at
      FROM document_stages s WHERE s.document_id = d.id
) st ON true"""
_ASSET_ARRAYS = """
LEFT JOIN LATERAL (
    SELECT array_agg(m.id ORDER BY m.kind, m.created_at, m.id) AS ids,
           array_agg(m.kind ORDER BY m.kind, m.created_at, m.id) AS kinds,
           array_agg(m.blob_url ORDER BY m.kind, m.created_at, m.id) AS urls
      FROM media_assets m WHERE m.document_id = d.id
) ma ON true"""
_D_COLUMNS = ", ".join(f"d.{name.strip()}" for name in _COLUMNS.split(","))
_STAGE_COLUMNS = "st.names, st.statuses, st.attempts, st.codes, st.messages, st.at"
DETAIL_SQL = (
    f"SELECT {_D_COLUMNS}, {_STAGE_COLUMNS}, ma.ids, ma.kinds, ma.urls FROM documents d{_STAGE_ARRAYS}{_ASSET_ARRAYS}"
    " WHERE d.id = %(id)s AND d.user_id = %(user_id)s"
)
_LIST_SQL = (
    f"SELECT {_D_COLUMNS}, {_STAGE_COLUMNS} FROM documents d{_STAGE_ARRAYS}"
    " WHERE d.user_id = %(user_id)s{after} ORDER BY d.created_at DESC, d.id DESC LIMIT %(limit)s"
)
_N_COLUMNS = len(_COLUMNS.split(","))
COLUMN_AT = {name.strip(): at for at, name in enumerate(_COLUMNS.split(","))}
STAGE_ARRAYS_AT = _N_COLUMNS  # names, statuses, attempts, codes, messages, at: six arrays from here


@dataclass(frozen=True)
class DocumentFull:
    row: DocumentRow
    stages: list[StageState]
    assets: list[AssetRow]


async def get_document_full_async(conn: AsyncConn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> DocumentFull | None:
    """The caller's document with its stages and assets, in one statement (None: not theirs or none)."""
    cursor = await conn.execute(DETAIL_SQL, {"id": doc_id, "user_id": user_id})
    found = await cursor.fetchone()
    return None if found is None else full_from_tuple(found)


async def list_documents_async(
    conn: AsyncConn, *, user_id: uuid.UUID, limit: int, before: tuple[datetime, uuid.UUID] | None
) -> list[tuple[Any, ...]]:
    """A page of the caller's documents with their stages, newest first, in one statement: plain
    rows (`COLUMN_AT` names the document's columns; then the six stage arrays, `STAGE_ARRAYS_AT`),
    since building a dataclass per row and per stage cost more than the query on a 20-item page."""
    after = " AND (d.created_at, d.id) < (%(at)s, %(id)s)" if before else ""
    params = {
        "user_id": user_id,
        "limit": limit,
        "at": before[0] if before else None,
        "id": before[1] if before else None,
    }
    cursor = await conn.execute(_LIST_SQL.format(after=after), params)  # constant fragments only
    return await cursor.fetchall()


def full_from_tuple(found: tuple[Any, ...]) -> DocumentFull:
    """A `DETAIL_SQL` row as a document, its stages and its assets."""
    stage_arrays = (value or [] for value in found[_N_COLUMNS : _N_COLUMNS + 6])
    stages = [StageState(*state) for state in zip(*stage_arrays, strict=True)]
    ids, kinds, urls = (value or [] for value in found[_N_COLUMNS + 6 :])
    assets = [AssetRow(*asset) for asset in zip(ids, kinds, urls, strict=True)]
    return DocumentFull(DocumentRow(*found[:_N_COLUMNS]), stages, assets)


def set_ingest_message(conn: Conn, *, doc_id: uuid.UUID, message_id: uuid.UUID) -> None:
    conn.execute(
        "UPDATE documents SET ingest_message_id = %(m)s, updated_at = now() WHERE id = %(id)s",
        {"m": message_id, "id": doc_id},
    )


def set_ai_message(conn: Conn, *, doc_id: uuid.UUID, message_id: uuid.UUID) -> None:
    conn.execute("UPDATE documents SET ai_message_id = %(m)s WHERE id = %(id)s", {"m": message_id, "id": doc_id})


def record_ingest(
    conn: Conn,
    *,
    doc_id: uuid.UUID,
    markdown_path: str,
    structure_path: str,
    page_count: int | None,
    raw_etag: str,
    detected_kind: str,
    ai_message_id: uuid.UUID,
) -> None:
    conn.execute(
        "UPDATE documents SET markdown_path = %(md)s, structure_path = %(st)s, page_count = %(pages)s,"
        " raw_etag = %(etag)s, detected_kind = %(detected)s, ai_message_id = %(ai)s, updated_at = now()"
        " WHERE id = %(id)s",
        {
            "md": markdown_path,
            "st": structure_path,
            "pages": page_count,
            "etag": raw_etag,
            "detected": detected_kind,
            "ai": ai_message_id,
            "id": doc_id,
        },
    )


def replace_images(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, assets: list[tuple[uuid.UUID, str]]) -> None:
    """The document's image rows become exactly `assets` (id, blob url): a re-run never duplicates."""
    conn.execute("DELETE FROM media_assets WHERE document_id = %(d)s AND kind = 'image'", {"d": doc_id})
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO media_assets (id, document_id, user_id, kind, blob_url)"
            " VALUES (%(id)s, %(d)s, %(u)s, 'image', %(url)s)",
            [{"id": a, "d": doc_id, "u": user_id, "url": url} for a, url in assets],
        )


def assets_of(conn: Conn, *, doc_id: uuid.UUID) -> list[AssetRow]:
    with conn.cursor(row_factory=class_row(AssetRow)) as cur:
        return cur.execute(
            "SELECT id, kind, blob_url FROM media_assets WHERE document_id = %(d)s ORDER BY kind, created_at, id",
            {"d": doc_id},
        ).fetchall()


# A Canvas file whose document is deleted keeps its row (document_id becomes NULL): the Canvas
# sync reads that as dismissed and does not bring it back (shared/canvas/sync/files.py).
_DELETE = "DELETE FROM documents WHERE id = %(id)s AND user_id = %(u)s RETURNING raw_blob_path"


def delete_document(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    """Delete the document's row (its dependants cascade); the path of its raw blob, None if no such document."""
    row = conn.execute(_DELETE, {"id": doc_id, "u": user_id}).fetchone()
    return None if row is None else str(row[0])


@dataclass(frozen=True)
class Stuck:
    """A document stage left `queued` or `running` past the reconciler's threshold."""

    doc_id: uuid.UUID
    user_id: uuid.UUID
    stage: Stage
    attempts: int
    ingest_message_id: uuid.UUID | None
    ai_message_id: uuid.UUID | None


_STUCK = """
SELECT s.document_id AS doc_id, d.user_id, s.stage, s.attempts, d.ingest_message_id, d.ai_message_id
  FROM document_stages s JOIN documents d ON d.id = s.document_id
 WHERE s.status IN ('queued', 'running') AND s.updated_at < now() - make_interval(secs => %(after)s)
   AND NOT (s.stage = 'ingest' AND d.ingest_message_id IS NULL)  -- created, still waiting for its upload
 ORDER BY s.updated_at
 LIMIT %(limit)s
 FOR UPDATE OF s SKIP LOCKED
"""


def stuck_stages(conn: Conn, *, after_s: int, limit: int) -> list[Stuck]:
    """The oldest stuck stages, their rows locked (rows another reconciler holds are skipped)."""
    with conn.cursor(row_factory=class_row(Stuck)) as cur:
        return cur.execute(_STUCK, {"after": after_s, "limit": limit}).fetchall()


_HOLD = """
INSERT INTO held_uploads (path, release_at) VALUES (%(path)s, %(release_at)s)
ON CONFLICT (path) DO UPDATE SET release_at = EXCLUDED.release_at
"""
_DUE = """
DELETE FROM held_uploads WHERE path IN (
    SELECT path FROM held_uploads WHERE release_at <= %(now)s ORDER BY release_at LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
) RETURNING path
"""


def hold_path(conn: Conn, *, path: str, release_at: datetime) -> None:
    """Remember a deleted document's raw path until its last upload URL has expired."""
    conn.execute(_HOLD, {"path": path, "release_at": release_at})


def take_due_holds(conn: Conn, *, now: datetime, limit: int) -> list[str]:
    """Forget (and return) the held paths whose URLs have all expired, oldest first."""
    return [str(row[0]) for row in conn.execute(_DUE, {"now": now, "limit": limit}).fetchall()]
