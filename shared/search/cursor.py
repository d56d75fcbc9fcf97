"""The search cursor: where the last page ended, bound to the query that made it.

It holds (mode, score, id, fingerprint) in the platform's cursor format. Keyset paging on
(score DESC, id ASC) stays stable while rows with other scores come and go. The fingerprint
ties a cursor to its query and filters, so it cannot be replayed against another search.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from shared.platform import paging
from shared.platform.errors import InvalidArgument
from shared.search.contracts import MatchMode


@dataclass(frozen=True)
class Cursor:
    mode: MatchMode
    score: float
    after_id: uuid.UUID


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def encode_cursor(cursor: Cursor, *, fingerprint: str) -> str:
    return paging.encode_cursor(cursor.mode, repr(cursor.score), str(cursor.after_id), fingerprint)


def decode_cursor(token: str, *, fingerprint: str) -> Cursor:
    mode, score, after_id, bound = paging.decode_cursor(token, parts=4)
    if bound != fingerprint:
        raise InvalidArgument("the cursor belongs to another query or other filters", details={"field": "cursor"})
    if mode not in ("fulltext", "fuzzy"):
        raise paging.invalid_cursor()
    checked: MatchMode = "fulltext" if mode == "fulltext" else "fuzzy"
    try:
        return Cursor(mode=checked, score=float(score), after_id=uuid.UUID(after_id))
    except ValueError as exc:
        raise paging.invalid_cursor() from exc
