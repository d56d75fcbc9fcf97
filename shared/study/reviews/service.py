"""Use cases of reviews: the cards due now, and one answer to one card (counted once per review_id)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from shared.platform.db import AsyncConn, Conn
from shared.platform.errors import Conflict, NotFound
from shared.study.contracts import DuePage, Rating, ReviewRequest, ReviewResult
from shared.study.reviews import scheduler
from shared.study.reviews.store import (
    ReviewWrite,
    due_cards_async,
    lock_card,
    logged_review,
    record_review,
)


async def due_page_async(
    conn: AsyncConn,
    *,
    user_id: uuid.UUID,
    now: datetime,
    limit: int,
    course_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
) -> DuePage:
    """The cards due at `now`, earliest first, and how many are due in all (the gateway's route, on the loop)."""
    rows, total = await due_cards_async(
        conn, user_id=user_id, now=now, limit=limit, course_id=course_id, document_id=document_id
    )
    # One validation of the whole page from plain rows, not two models per card.
    return DuePage.model_validate({"cards": [_due_fields(row) for row in rows], "total_due": total})


def _due_fields(row: tuple[Any, ...]) -> dict[str, Any]:
    card_id, document_id, title, front, back, section, page, tags, state, due, reps, lapses = row  # _DUE's column order
    source = {"document_id": document_id, "document_title": title, "section": section, "page": page}
    return {"card_id": card_id, "front": front, "back": back, "tags": tags, "state": scheduler.STATE_NAMES[state],
            "due": due, "reps": reps, "lapses": lapses, "source": source}  # fmt: skip


def submit_review(
    conn: Conn, *, user_id: uuid.UUID, card_id: str, request: ReviewRequest, now: datetime, source: str = "review"
) -> ReviewResult:
    """Apply one rating inside the caller's transaction. A review_id seen before answers what it
    answered then (a retried POST is counted once); the same id for another card is a conflict."""
    replay = _replay(conn, user_id=user_id, card_id=card_id, request=request)
    if replay is not None:
        return replay
    locked = lock_card(conn, user_id=user_id, doc_id=request.document_id, card_id=card_id)
    if locked is None:
        raise NotFound(f"card {card_id} not found in document {request.document_id}")
    before, version = locked
    after = scheduler.review(before, rating=request.rating, at=now, duration_ms=request.duration_ms)
    write = ReviewWrite(
        user_id=user_id,
        review_id=request.review_id,
        doc_id=request.document_id,
        card_id=card_id,
        version=version,
        rating=int(scheduler.RATINGS[request.rating]),
        duration_ms=request.duration_ms,
        source=source,
        at=now,
    )
    if not record_review(conn, write=write, before=before, after=after):  # a concurrent retry won the race
        replay = _replay(conn, user_id=user_id, card_id=card_id, request=request)
        if replay is not None:
            return replay
    return _result(request.review_id, card_id, request.rating, after.state, after.due, now, replayed=False)


def _replay(conn: Conn, *, user_id: uuid.UUID, card_id: str, request: ReviewRequest) -> ReviewResult | None:
    logged = logged_review(conn, user_id=user_id, review_id=request.review_id)
    if logged is None:
        return None
    if (logged.card_id, logged.document_id) != (card_id, request.document_id):
        raise Conflict("this review_id was already used for another card", details={"review_id": "already used"})
    rating = scheduler.RATING_NAMES[logged.rating]
    state, due, at = logged.next_state, logged.next_due, logged.reviewed_at
    return _result(request.review_id, card_id, rating, state, due, at, replayed=True)


def _result(
    review_id: uuid.UUID, card_id: str, rating: Rating, state: int, due: datetime, at: datetime, *, replayed: bool
) -> ReviewResult:
    return ReviewResult(
        review_id=review_id,
        card_id=card_id,
        rating=rating,
        state=scheduler.STATE_NAMES[state],
        due=due,
        reviewed_at=at,
        replayed=replayed,
    )
