"""Documents rows into HTTP bodies, with short-lived signed URLs for the derived files and media."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.documents.contracts import DocumentDetail, DocumentOut, MediaOut, StageOut
from shared.documents.store import DocumentRow, assets_of
from shared.platform import paging
from shared.platform.blobs import BlobStore, Container
from shared.platform.db import Conn
from shared.platform.stages import StageState, stages_of, stages_of_many


def document_out(conn: Conn, row: DocumentRow) -> DocumentOut:
    return _out(row, stages_of(conn, doc_id=row.id))


def documents_out(conn: Conn, rows: list[DocumentRow]) -> list[DocumentOut]:
    stages = stages_of_many(conn, doc_ids=[row.id for row in rows])
    return [_out(row, stages[row.id]) for row in rows]


def _out(row: DocumentRow, states: list[StageState]) -> DocumentOut:
    stages = [StageOut(**vars(s)) for s in states]
    return DocumentOut(
        id=row.id,
        title=row.title,
        filename=row.filename,
        kind=row.kind,
        size_bytes=row.size_bytes,
        source=row.source,
        course_id=row.course_id,
        page_count=row.page_count,
        created_at=row.created_at,
        updated_at=row.updated_at,
        stages=stages,
    )


def document_detail(conn: Conn, row: DocumentRow, *, blobs: BlobStore, ttl_s: int) -> DocumentDetail:
    base = document_out(conn, row)
    media = [
        MediaOut(
            id=a.id,
            kind=a.kind,
            path=a.blob_url,
            address=address(blobs, a.blob_url) or "",
            url=signed(blobs, a.blob_url, ttl_s) or "",
        )
        for a in assets_of(conn, doc_id=row.id)
    ]
    structure_url = signed(blobs, row.structure_path, ttl_s)
    return DocumentDetail(
        **base.model_dump(),
        markdown_url=signed(blobs, row.markdown_path, ttl_s),
        structure_url=structure_url,
        json_url=structure_url,
        media=media,
    )


def signed(blobs: BlobStore, full_path: str | None, ttl_s: int) -> str | None:
    """A read SAS for `container/path` as stored in rows (e.g. `derived/u/d/document.md`)."""
    split = _split(full_path)
    return blobs.read_url(container=split[0], path=split[1], ttl_s=ttl_s) if split else None


def address(blobs: BlobStore, full_path: str | None) -> str | None:
    """The unsigned blob URL of `container/path` as stored in rows."""
    split = _split(full_path)
    return blobs.address(container=split[0], path=split[1]) if split else None


def _split(full_path: str | None) -> tuple[Container, str] | None:
    if not full_path or "/" not in full_path:
        return None
    container, path = full_path.split("/", 1)
    if container not in ("raw", "derived", "media"):
        return None
    checked: Container = "derived" if container == "derived" else "media" if container == "media" else "raw"
    return checked, path


def encode_cursor(row: DocumentRow) -> str:
    return paging.encode_cursor(row.created_at.isoformat(), str(row.id))


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    at, doc_id = paging.decode_cursor(cursor, parts=2)
    try:
        return datetime.fromisoformat(at), uuid.UUID(doc_id)
    except ValueError as exc:
        raise paging.invalid_cursor() from exc
