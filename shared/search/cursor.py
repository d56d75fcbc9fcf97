"""The opaque paging cursor: where the last page ended, bound to the query that made it.

A cursor is base64url JSON of (mode, score, id, fingerprint). Keyset paging on
(score DESC, id ASC) stays stable while rows with other scores come and go. The fingerprint
ties a cursor to its query and filters, so it cannot be replayed against another search.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from dataclasses import dataclass

from shared.platform.errors import InvalidArgument
from shared.search.contracts import MatchMode

MAX_CURSOR_CHARS = 512


@dataclass(frozen=True)
class Cursor:
    mode: MatchMode
    score: float
    after_id: uuid.UUID


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def encode_cursor(cursor: Cursor, *, fingerprint: str) -> str:
    payload = {"m": cursor.mode, "s": cursor.score, "i": str(cursor.after_id), "f": fingerprint}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(token: str, *, fingerprint: str) -> Cursor:
    payload = _payload(token)
    if payload.get("f") != fingerprint:
        raise InvalidArgument("the cursor belongs to another query or other filters")
    try:
        mode, score, after_id = payload["m"], float(str(payload["s"])), uuid.UUID(str(payload["i"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidArgument("the cursor is not valid") from exc
    if mode not in ("fulltext", "fuzzy"):
        raise InvalidArgument("the cursor is not valid")
    return Cursor(mode=mode, score=score, after_id=after_id)


def _payload(token: str) -> dict[str, object]:
    if len(token) > MAX_CURSOR_CHARS:
        raise InvalidArgument("the cursor is not valid")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidArgument("the cursor is not valid") from exc
    if not isinstance(payload, dict):
        raise InvalidArgument("the cursor is not valid")
    return payload
