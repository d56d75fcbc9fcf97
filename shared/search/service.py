"""The search use cases: a page of hits (full text first, trigram similarity on headings when that
finds nothing), the passages that may answer a question, and indexing what the stages produce."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from shared.documents.contracts import Structure
from shared.platform.db import AsyncConn, Conn
from shared.platform.paging import page_of
from shared.search import indexing
from shared.search.contracts import (
    CardLike,
    GlossaryLike,
    KeyPointLike,
    MatchMode,
    Passage,
    SearchPage,
)
from shared.search.cursor import Cursor, decode_cursor, encode_cursor, fingerprint
from shared.search.query import ParsedQuery, parse_query
from shared.search.store import retrieval
from shared.search.store.hits import (
    After,
    Filters,
    HitPages,
    HitRow,
    SqlHitPages,
    fulltext_page_async,
    fuzzy_page_async,
)
from shared.search.text import marked_html, plain_html

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
FUZZY_THRESHOLD = 0.4


def search(
    conn: Conn, *, text: str, filters: Filters, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> SearchPage:
    """One page of the caller's hits for `text`, best first; `next_cursor` fetches the next."""
    pages = SqlHitPages(conn, threshold=FUZZY_THRESHOLD)
    return search_hits(pages=pages, text=text, filters=filters, cursor=cursor, limit=limit)


def search_hits(*, pages: HitPages, text: str, filters: Filters, cursor: str | None, limit: int) -> SearchPage:
    """`search` over any `HitPages`: a first page with no full-text hit falls back to heading
    similarity, and a cursor keeps the mode of the page it came from."""
    ask = _Ask.of(text, filters, cursor, limit)
    mode, rows = ask.mode, []
    if mode == "fulltext":
        rows = pages.fulltext(query=ask.query, filters=filters, after=ask.after, limit=limit + 1)
        mode = ask.after_fulltext(rows)
    if mode == "fuzzy":
        rows = pages.fuzzy(query=ask.query, filters=filters, after=ask.after, limit=limit + 1)
    return _page(rows, mode=mode, limit=limit, fingerprint=ask.bound)


async def search_async(
    conn: AsyncConn, *, text: str, filters: Filters, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> SearchPage:
    """`search` on an async connection (the gateway's route, on the loop)."""
    ask = _Ask.of(text, filters, cursor, limit)
    mode, rows = ask.mode, []
    if mode == "fulltext":
        rows = await fulltext_page_async(conn, query=ask.query, filters=filters, after=ask.after, limit=limit + 1)
        mode = ask.after_fulltext(rows)
    if mode == "fuzzy":
        rows = await fuzzy_page_async(conn, query=ask.query, filters=filters, after=ask.after, limit=limit + 1,
                                      threshold=FUZZY_THRESHOLD)  # fmt: skip
    return _page(rows, mode=mode, limit=limit, fingerprint=ask.bound)


@dataclass(frozen=True)
class _Ask:
    """A parsed query, its cursor's position and the mode the page starts in."""

    query: ParsedQuery
    bound: str
    position: Cursor | None
    after: After | None
    mode: MatchMode

    @classmethod
    def of(cls, text: str, filters: Filters, cursor: str | None, limit: int) -> _Ask:
        query = parse_query(text)
        bound = fingerprint(query.text, filters.course_id, filters.document_id, filters.kinds, limit)
        position = decode_cursor(cursor, fingerprint=bound) if cursor else None
        after = After(position.score, position.after_id) if position else None
        return cls(query, bound, position, after, position.mode if position else "fulltext")

    def after_fulltext(self, rows: list[HitRow]) -> MatchMode:
        """A first page that full text found nothing for falls back to trigram similarity."""
        return "fuzzy" if not rows and self.position is None else "fulltext"


def _page(rows: list[HitRow], *, mode: MatchMode, limit: int, fingerprint: str) -> SearchPage:
    def cursor_of(last: HitRow) -> str:
        return encode_cursor(Cursor(mode=mode, score=last.score, after_id=last.id), fingerprint=fingerprint)

    shown, next_cursor = page_of(rows, limit=limit, cursor_of=cursor_of)
    # One validation of the whole page from plain dicts (in pydantic-core) rather than three
    # models built in Python per hit: on a 10-hit page that was a quarter of the route's own time.
    hits = [_hit(row, mode) for row in shown]
    return SearchPage.model_validate({"hits": hits, "next_cursor": next_cursor, "match": mode})


def _hit(row: HitRow, mode: MatchMode) -> dict[str, object]:
    render = marked_html if mode == "fulltext" else plain_html
    return {
        "id": row.id,
        "document": {"id": row.document_id, "title": row.title},
        "kind": row.kind,
        "heading": render(row.heading) if row.heading else plain_html(row.cite_section),
        "snippet": render(row.snippet or ""),
        "citation": {"section": row.cite_section, "page": row.cite_page, "unit": row.page_unit},
        "score": row.score,
        "match": mode,
    }


def passages_for(
    conn: Conn,
    *,
    user_id: uuid.UUID,
    text: str,
    limit: int,
    course_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
) -> list[Passage]:
    """The best `limit` section passages of the caller's documents for `text`, best first; any of
    its words may match (unlike `search`, where every word must)."""
    return retrieval.passages_for(
        conn, user_id=user_id, text=text, limit=limit, course_id=course_id, document_id=document_id
    )


def index_document_sections(
    conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, structure: Structure, course_id: uuid.UUID | None = None
) -> int:
    """In the ingest commit's transaction: replace the document's section rows; the row count."""
    return indexing.index_document_sections(
        conn, doc_id=doc_id, user_id=user_id, structure=structure, course_id=course_id
    )


def index_study_aids(
    conn: Conn,
    *,
    doc_id: uuid.UUID,
    user_id: uuid.UUID,
    key_points: Sequence[KeyPointLike],
    glossary: Sequence[GlossaryLike],
    cards: Sequence[CardLike],
) -> int:
    """In the AI commit's transaction: replace the document's key point, glossary and flashcard rows; the row count."""
    return indexing.index_study_aids(
        conn, doc_id=doc_id, user_id=user_id, key_points=key_points, glossary=glossary, cards=cards
    )
