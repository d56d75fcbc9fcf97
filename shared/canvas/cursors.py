"""Opaque page cursors for the read routes: base64url JSON of the last row's sort key."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime

from shared.platform.errors import InvalidArgument


def encode(key: str, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, str(row_id)]).encode()).decode().rstrip("=")


def decode(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        key, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return str(key), uuid.UUID(str(row_id))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise InvalidArgument("the cursor is not one this API issued", details={"field": "cursor"}) from exc


def decode_due(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    """An assignments cursor: its key is a due time (ISO 8601) or `infinity` (undated rows)."""
    after = decode(cursor)
    if after is not None and after[0] != "infinity":
        try:
            datetime.fromisoformat(after[0])
        except ValueError as exc:
            raise InvalidArgument("the cursor is not one this API issued", details={"field": "cursor"}) from exc
    return after
