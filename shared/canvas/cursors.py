"""Page cursors of the read routes: the last row's sort key (name or due time, id) in the platform's format."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.platform import paging


def encode(key: str, row_id: uuid.UUID) -> str:
    return paging.encode_cursor(key, str(row_id))


def decode(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    if not cursor:
        return None
    key, row_id = paging.decode_cursor(cursor, parts=2)
    try:
        return key, uuid.UUID(row_id)
    except ValueError as exc:
        raise paging.invalid_cursor() from exc


def decode_due(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    """An assignments cursor: its key is a due time (ISO 8601) or `infinity` (undated rows)."""
    after = decode(cursor)
    if after is not None and after[0] != "infinity":
        try:
            datetime.fromisoformat(after[0])
        except ValueError as exc:
            raise paging.invalid_cursor() from exc
    return after
