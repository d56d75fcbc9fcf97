"""The search use case: full text first, trigram similarity on headings when that finds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from shared.platform.db import AsyncConn, Conn
from shared.search.contracts import Citation, DocumentRef, MatchMode, SearchHit, SearchPage
from shared.search.cursor import Cursor, decode_cursor, encode_cursor, fingerprint
from shared.search.query import ParsedQuery, parse_query
from shared.search.search_store import (
    After,
    Filters,
    HitRow,
    fulltext_page,
    fulltext_page_async,
    fuzzy_page,
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
    ask = _Ask.of(text, filters, cursor, limit)
    mode, rows = ask.mode, []
    if mode == "fulltext":
        rows = fulltext_page(conn, query=ask.query, filters=filters, after=ask.after, limit=limit + 1)
        mode = ask.after_fulltext(rows)
    if mode == "fuzzy":
        rows = fuzzy_page(conn, query=ask.query, filters=filters, after=ask.after, limit=limit + 1,
                          threshold=FUZZY_THRESHOLD)  # fmt: skip
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
    shown = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = shown[-1]
        next_cursor = encode_cursor(Cursor(mode=mode, score=last.score, after_id=last.id), fingerprint=fingerprint)
    return SearchPage(hits=[_hit(row, mode) for row in shown], next_cursor=next_cursor, match=mode)


def _hit(row: HitRow, mode: MatchMode) -> SearchHit:
    render = marked_html if mode == "fulltext" else plain_html
    return SearchHit(
        id=row.id,
        document=DocumentRef(id=row.document_id, title=row.title),
        kind=row.kind,
        heading=render(row.heading) if row.heading else plain_html(row.cite_section),
        snippet=render(row.snippet or ""),
        citation=Citation(section=row.cite_section, page=row.cite_page, unit=row.page_unit),
        score=row.score,
        match=mode,
    )
