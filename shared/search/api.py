"""`GET /v1/search`: the caller's sections, key points, glossary terms and flashcards."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from shared.auth.deps import ReadingUser
from shared.platform.json_body import private_json
from shared.platform.lean_route import LeanRoute
from shared.search.contracts import Kind, SearchPage
from shared.search.query import MAX_QUERY_CHARS
from shared.search.service import DEFAULT_LIMIT, MAX_LIMIT, search_async
from shared.search.store.hits import Filters

router = APIRouter(tags=["search"], route_class=LeanRoute)  # the hot reads: see shared/platform/lean_route.py


@router.get("/search", summary="Search everything the caller owns", response_model=SearchPage)
async def search_route(
    reading: ReadingUser,
    q: Annotated[str, Query(description=f'websearch syntax: "phrase", -word, or; up to {MAX_QUERY_CHARS} chars')],
    course_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
    kind: Annotated[list[Kind] | None, Query(description="repeat to search several kinds")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    filters = Filters(
        user_id=reading.principal.user_id,
        course_id=course_id,
        document_id=document_id,
        kinds=tuple(dict.fromkeys(kind or ())),
    )
    async with reading.connection() as conn:
        page = await search_async(conn, text=q, filters=filters, cursor=cursor, limit=limit)
    return private_json(page)
