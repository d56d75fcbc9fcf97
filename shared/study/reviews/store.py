"""Reads and writes of review state and the review log, always scoped by the calling user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.rows import class_row

from shared.platform.db import AsyncConn, Conn
from shared.study.reviews.scheduler import Memory


@dataclass(frozen=True)
class LoggedReview:
    card_id: str
    document_id: uuid.UUID
    rating: int
    reviewed_at: datetime
    next_due: datetime
    next_state: int


_SCOPE = "WHERE r.user_id = %(user_id)s AND NOT r.retired AND r.due <= %(now)s {filters}"
_DUE = (
    "SELECT r.card_id, r.document_id, d.title, r.front, r.back, r.section, r.page, r.tags, r.state, r.due,"
    " r.reps, r.lapses FROM review_cards r JOIN documents d ON d.id = r.document_id "
    + _SCOPE
    + " ORDER BY r.due, r.document_id, r.card_id LIMIT %(limit)s"
)
# Counting needs the documents only to filter by course: without that, an index-only count.
_COUNT = "SELECT count(*) FROM review_cards r {join} " + _SCOPE
_COURSE_JOIN = "JOIN documents d ON d.id = r.document_id"
_FILTERS = {"course_id": "AND d.course_id = %(course_id)s", "document_id": "AND r.document_id = %(document_id)s"}

_LOCK = """
SELECT state, step, stability, difficulty, due, last_review, version FROM review_cards
WHERE user_id = %(user_id)s AND document_id = %(doc_id)s AND card_id = %(card_id)s AND NOT retired
FOR UPDATE
"""
_LOGGED = """
SELECT card_id, document_id, rating, reviewed_at, next_due, next_state FROM review_log
WHERE user_id = %(user_id)s AND review_id = %(review_id)s
"""
_LOG = """
INSERT INTO review_log (user_id, review_id, document_id, card_id, version, rating, duration_ms, source,
    reviewed_at, next_due, next_state)
VALUES (%(user_id)s, %(review_id)s, %(doc_id)s, %(card_id)s, %(version)s, %(rating)s, %(duration_ms)s,
    %(source)s, %(at)s, %(due)s, %(state)s)
ON CONFLICT (user_id, review_id) DO NOTHING
"""
_UPDATE = """
UPDATE review_cards SET state = %(state)s, step = %(step)s, stability = %(stability)s,
    difficulty = %(difficulty)s, due = %(due)s, last_review = %(last_review)s, reps = reps + 1,
    lapses = lapses + %(lapse)s, updated_at = now()
WHERE user_id = %(user_id)s AND document_id = %(doc_id)s AND card_id = %(card_id)s
"""


async def due_cards_async(
    conn: AsyncConn,
    *,
    user_id: uuid.UUID,
    now: datetime,
    limit: int,
    course_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
) -> tuple[list[tuple[Any, ...]], int]:
    """The first `limit` cards due at `now`, earliest first, and how many are due in all: plain
    rows in `_DUE`'s column order (a dataclass per card cost more than reading the page)."""
    params = {"user_id": user_id, "now": now, "limit": limit, "course_id": course_id, "document_id": document_id}
    due, count = _due_statements(params)
    rows = await (await conn.execute(due, params)).fetchall()  # constant fragments only
    if len(rows) < limit:  # the page holds every due card: no need to count them
        return rows, len(rows)
    found = await (await conn.execute(count, params)).fetchone()
    return rows, int(found[0]) if found else 0


def _due_statements(params: dict[str, object]) -> tuple[str, str]:
    """The page's and the count's SQL for these filters (constant fragments only)."""
    filters = " ".join(sql for name, sql in _FILTERS.items() if params[name] is not None)
    join = _COURSE_JOIN if params["course_id"] is not None else ""
    return _DUE.format(filters=filters), _COUNT.format(join=join, filters=filters)


def lock_card(conn: Conn, *, user_id: uuid.UUID, doc_id: uuid.UUID, card_id: str) -> tuple[Memory, int] | None:
    """The card's memory and version, locked until the transaction ends (None: no such card)."""
    row = conn.execute(_LOCK, {"user_id": user_id, "doc_id": doc_id, "card_id": card_id}).fetchone()
    if row is None:
        return None
    state, step, stability, difficulty, due, last_review, version = row
    return Memory(state, step, stability, difficulty, due, last_review), int(version)


def logged_review(conn: Conn, *, user_id: uuid.UUID, review_id: uuid.UUID) -> LoggedReview | None:
    with conn.cursor(row_factory=class_row(LoggedReview)) as cur:
        return cur.execute(_LOGGED, {"user_id": user_id, "review_id": review_id}).fetchone()


@dataclass(frozen=True)
class ReviewWrite:
    user_id: uuid.UUID
    review_id: uuid.UUID
    doc_id: uuid.UUID
    card_id: str
    version: int
    rating: int
    duration_ms: int | None
    source: str
    at: datetime


def record_review(conn: Conn, *, write: ReviewWrite, before: Memory, after: Memory) -> bool:
    """Log the review and store the card's new memory; False when `review_id` was already logged."""
    ids = {"user_id": write.user_id, "doc_id": write.doc_id, "card_id": write.card_id}
    logged = conn.execute(_LOG, {**write.__dict__, "due": after.due, "state": after.state})
    if logged.rowcount == 0:
        return False
    lapse = int(before.state == 2 and after.state == 3)
    conn.execute(_UPDATE, {**ids, **after.__dict__, "lapse": lapse})
    return True
