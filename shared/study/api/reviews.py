"""Routes of reviews and the Anki export."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from shared.auth.deps import CurrentUser, ReadingUser
from shared.deps import ContainerDep
from shared.platform.db import reading
from shared.platform.json_body import private_json
from shared.platform.lean_route import LeanRoute
from shared.study.contracts import DuePage, ReviewRequest, ReviewResult
from shared.study.reviews.export import Export, export_course, export_document
from shared.study.reviews.service import due_page_async, submit_review
from shared.study.store import check_scope_async

router = APIRouter(tags=["study"], route_class=LeanRoute)  # the hot reads: see shared/platform/lean_route.py
CardId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
APKG: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/octet-stream": {}}, "description": "An Anki package (.apkg)"}
}


@router.get("/reviews/due", summary="Cards due for review now, earliest first", response_model=DuePage)
async def due(
    caller: ReadingUser,
    container: ContainerDep,
    course_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    user_id, now = caller.principal.user_id, container.clock.now()
    async with caller.connection() as conn:
        await check_scope_async(conn, user_id=user_id, course_id=course_id, doc_id=document_id)
        page = await due_page_async(
            conn, user_id=user_id, now=now, limit=limit, course_id=course_id, document_id=document_id
        )
    return private_json(page)


@router.post("/reviews/{card_id}", summary="Rate one card; a retried review_id is counted once")
def review(card_id: CardId, body: ReviewRequest, principal: CurrentUser, container: ContainerDep) -> ReviewResult:
    with container.db.connection() as conn:
        return submit_review(conn, user_id=principal.user_id, card_id=card_id, request=body, now=container.clock.now())


@router.get("/flashcards/{doc_id}/export.apkg", response_class=Response, responses=APKG)
def export_one(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> Response:
    with reading(container.db) as conn:
        return _apkg(export_document(conn, user_id=principal.user_id, doc_id=doc_id))


@router.get("/courses/{course_id}/flashcards/export.apkg", response_class=Response, responses=APKG)
def export_of_course(course_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> Response:
    with reading(container.db) as conn:
        return _apkg(export_course(conn, user_id=principal.user_id, course_id=course_id))


def _apkg(export: Export) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{export.filename}"',
        "X-Card-Count": str(export.card_count),
    }
    return Response(export.data, media_type="application/octet-stream", headers=headers)
