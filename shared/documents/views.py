"""Documents rows into HTTP bodies, with short-lived signed URLs for the derived files and media."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from shared.documents.contracts import DocumentDetail, DocumentOut, DocumentPage, MediaOut, StageOut
from shared.documents.store import COLUMN_AT, STAGE_ARRAYS_AT, AssetRow, DocumentFull, DocumentRow, assets_of
from shared.platform import paging
from shared.platform.blobs import BlobStore, Container
from shared.platform.db import Conn
from shared.platform.stages import StageState, stages_of


def document_out(conn: Conn, row: DocumentRow) -> DocumentOut:
    return _out(row, stages_of(conn, doc_id=row.id))


def _out(row: DocumentRow, states: list[StageState]) -> DocumentOut:
    return DocumentOut(**_out_fields(row, states))


def _out_fields(row: DocumentRow, states: list[StageState]) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "filename": row.filename,
        "kind": row.kind,
        "size_bytes": row.size_bytes,
        "source": row.source,
        "course_id": row.course_id,
        "page_count": row.page_count,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "stages": [StageOut(**vars(s)) for s in states],
    }


def page_of(rows: list[tuple[Any, ...]], *, limit: int) -> DocumentPage:
    """A page of the list from `list_documents_async` rows (one more than `limit` means a next page),
    validated in one call rather than a model per document and per stage."""
    items = [_listed(row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = _cursor(last[COLUMN_AT["created_at"]], last[COLUMN_AT["id"]])
    return DocumentPage.model_validate({"items": items, "next_cursor": next_cursor})


_LISTED = ("id", "title", "filename", "kind", "size_bytes", "source", "course_id", "page_count", "created_at",
           "updated_at")  # fmt: skip
_STAGE_FIELDS = ("stage", "status", "attempts", "error_code", "error_message", "updated_at")


def _listed(row: tuple[Any, ...]) -> dict[str, Any]:
    fields = {name: row[COLUMN_AT[name]] for name in _LISTED}
    arrays = (value or [] for value in row[STAGE_ARRAYS_AT : STAGE_ARRAYS_AT + 6])
    fields["stages"] = [dict(zip(_STAGE_FIELDS, state, strict=True)) for state in zip(*arrays, strict=True)]
    return fields


def document_detail(conn: Conn, row: DocumentRow, *, blobs: BlobStore, ttl_s: int) -> DocumentDetail:
    full = DocumentFull(row, stages_of(conn, doc_id=row.id), assets_of(conn, doc_id=row.id))
    return detail_of(full, blobs=blobs, ttl_s=ttl_s)


def detail_of(full: DocumentFull, *, blobs: BlobStore, ttl_s: int) -> DocumentDetail:
    """A document's detail from what one read brought back, with freshly signed URLs."""
    row = full.row
    structure_url = signed(blobs, row.structure_path, ttl_s)
    return DocumentDetail(
        **_out_fields(row, full.stages),
        markdown_url=signed(blobs, row.markdown_path, ttl_s),
        structure_url=structure_url,
        json_url=structure_url,
        media=[_media(a, blobs, ttl_s) for a in full.assets],
    )


def _media(asset: AssetRow, blobs: BlobStore, ttl_s: int) -> MediaOut:
    return MediaOut(
        id=asset.id,
        kind=asset.kind,
        path=asset.blob_url,
        address=address(blobs, asset.blob_url) or "",
        url=signed(blobs, asset.blob_url, ttl_s) or "",
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
    return _cursor(row.created_at, row.id)


def _cursor(created_at: datetime, doc_id: uuid.UUID) -> str:
    return paging.encode_cursor(created_at.isoformat(), str(doc_id))


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    at, doc_id = paging.decode_cursor(cursor, parts=2)
    try:
        return datetime.fromisoformat(at), uuid.UUID(doc_id)
    except ValueError as exc:
        raise paging.invalid_cursor() from exc
