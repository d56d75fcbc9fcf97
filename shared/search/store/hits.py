"""Reads of `search_entries`: the full-text query and the trigram fallback, one page at a time.

Every SQL string here is a constant chosen from a few fixed fragments; what the user typed
and every filter value travel as bound parameters.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from psycopg.rows import class_row

from shared.platform.db import AsyncConn, Conn
from shared.search.contracts import Kind, PageUnit
from shared.search.query import ParsedQuery
from shared.search.text import HEADING_OPTIONS, HEADLINE_OPTIONS


@dataclass(frozen=True)
class Filters:
    user_id: uuid.UUID
    course_id: uuid.UUID | None = None
    document_id: uuid.UUID | None = None
    kinds: tuple[Kind, ...] = ()


@dataclass(frozen=True)
class After:
    score: float
    entry_id: uuid.UUID


@dataclass(frozen=True)
class HitRow:
    id: uuid.UUID
    document_id: uuid.UUID
    title: str
    kind: Kind
    heading: str
    snippet: str
    cite_section: str
    cite_page: int | None
    page_unit: PageUnit | None
    score: float


# Heading (A) hits must outrank body (B) hits even when the body repeats the term a few times.
_WEIGHTS = "'{0.05, 0.1, 0.2, 1.0}'"

_TSQUERY = {
    None: "websearch_to_tsquery(c.config, %(head)s)",
    "prefix": "to_tsquery(c.config, %(prefix)s)",
    "and": "websearch_to_tsquery(c.config, %(head)s) && to_tsquery(c.config, %(prefix)s)",
    "or": "websearch_to_tsquery(c.config, %(head)s) || to_tsquery(c.config, %(prefix)s)",
}

_FULLTEXT = """
WITH q AS MATERIALIZED (  -- parse the query once per configuration, not once per candidate row
    SELECT c.config, {tsquery} AS query
    FROM search_user_configs AS c WHERE c.user_id = %(user_id)s
), page AS (
    SELECT e.id, e.document_id, e.kind, e.heading, e.body, e.detail, e.cite_section, e.cite_page,
           e.page_unit, e.config, q.query, ts_rank_cd({weights}, e.tsv, q.query)::float8 AS score
    FROM q JOIN search_entries e
      ON e.user_id = %(user_id)s AND e.config = q.config AND e.tsv @@ q.query
    WHERE querytree(q.query) <> 'T' {filters}
    ORDER BY score DESC, e.id
    LIMIT %(limit)s
)
SELECT p.id, p.document_id, d.title, p.kind,
       ts_headline(p.config, p.heading, p.query, %(heading_options)s) AS heading,
       -- The extra row fetched to learn whether a next page exists is never shown: no snippet.
       CASE WHEN row_number() OVER (ORDER BY p.score DESC, p.id) < %(limit)s
            THEN ts_headline(p.config, concat_ws(' — ', nullif(p.body, ''), nullif(p.detail, '')), p.query,
                             %(headline_options)s)
            ELSE '' END AS snippet,
       p.cite_section, p.cite_page, p.page_unit, p.score
FROM page p JOIN documents d ON d.id = p.document_id
ORDER BY p.score DESC, p.id
"""

_FUZZY = """
WITH page AS (
    SELECT e.id, e.document_id, e.kind, e.heading, e.body, e.cite_section, e.cite_page, e.page_unit,
           word_similarity(%(words)s, e.heading)::float8 AS score
    FROM search_entries e
    WHERE e.user_id = %(user_id)s AND e.kind IN ('section', 'glossary') AND %(words)s <%% e.heading {filters}
    ORDER BY score DESC, e.id
    LIMIT %(limit)s
)
SELECT p.id, p.document_id, d.title, p.kind, p.heading, p.body AS snippet,
       p.cite_section, p.cite_page, p.page_unit, p.score
FROM page p JOIN documents d ON d.id = p.document_id
ORDER BY p.score DESC, p.id
"""


def fulltext_page(conn: Conn, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int) -> list[HitRow]:
    sql, params = _fulltext_statement(query, filters, after, limit)
    with conn.cursor(row_factory=class_row(HitRow)) as cur:
        return cur.execute(sql, params).fetchall()  # constant fragments only


def fuzzy_page(
    conn: Conn, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int, threshold: float
) -> list[HitRow]:
    sql, params = _fuzzy_statement(query, filters, after, limit)
    with conn.transaction(), conn.cursor(row_factory=class_row(HitRow)) as cur:  # the threshold is local to it
        cur.execute(_THRESHOLD, {"t": str(threshold)})
        return cur.execute(sql, params).fetchall()  # constant fragments only


async def fulltext_page_async(
    conn: AsyncConn, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int
) -> list[HitRow]:
    sql, params = _fulltext_statement(query, filters, after, limit)
    async with conn.cursor(row_factory=class_row(HitRow)) as cur:
        await cur.execute(sql, params)  # constant fragments only
        return await cur.fetchall()


async def fuzzy_page_async(
    conn: AsyncConn, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int, threshold: float
) -> list[HitRow]:
    sql, params = _fuzzy_statement(query, filters, after, limit)
    async with conn.transaction(), conn.cursor(row_factory=class_row(HitRow)) as cur:  # the threshold is local
        await cur.execute(_THRESHOLD, {"t": str(threshold)})
        await cur.execute(sql, params)  # constant fragments only
        return await cur.fetchall()


_THRESHOLD = "SELECT set_config('pg_trgm.word_similarity_threshold', %(t)s, true)"


def _fulltext_statement(
    query: ParsedQuery, filters: Filters, after: After | None, limit: int
) -> tuple[str, dict[str, object]]:
    variant = None if query.prefix is None else ("prefix" if not query.head else query.joiner)
    score = f"ts_rank_cd({_WEIGHTS}, e.tsv, q.query)::float8"
    sql = _FULLTEXT.format(tsquery=_TSQUERY[variant], weights=_WEIGHTS, filters=_filter_sql(filters, after, score))
    params = {
        **_filter_params(filters, after, limit),
        "head": query.head,
        "prefix": f"'{query.prefix}':*" if query.prefix else "",
        "heading_options": HEADING_OPTIONS,
        "headline_options": HEADLINE_OPTIONS,
    }
    return sql, params


def _fuzzy_statement(
    query: ParsedQuery, filters: Filters, after: After | None, limit: int
) -> tuple[str, dict[str, object]]:
    score = "word_similarity(%(words)s, e.heading)::float8"
    sql = _FUZZY.format(filters=_filter_sql(filters, after, score))
    return sql, {**_filter_params(filters, after, limit), "words": query.words}


def _filter_sql(filters: Filters, after: After | None, score: str) -> str:
    parts = [
        "AND e.course_id = %(course_id)s" if filters.course_id else "",
        "AND e.document_id = %(document_id)s" if filters.document_id else "",
        "AND e.kind = ANY(%(kinds)s)" if filters.kinds else "",
        f"AND ({score} < %(after_score)s OR ({score} = %(after_score)s AND e.id > %(after_id)s))" if after else "",
    ]
    return " ".join(part for part in parts if part)


def _filter_params(filters: Filters, after: After | None, limit: int) -> dict[str, object]:
    return {
        "user_id": filters.user_id,
        "course_id": filters.course_id,
        "document_id": filters.document_id,
        "kinds": list(filters.kinds),
        "after_score": after.score if after else None,
        "after_id": after.entry_id if after else None,
        "limit": limit,
    }


class HitPages(Protocol):
    """The search use case's port to the index: one page of full-text or trigram hits."""

    def fulltext(self, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int) -> list[HitRow]: ...

    def fuzzy(self, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int) -> list[HitRow]: ...


@dataclass(frozen=True)
class SqlHitPages:
    """`HitPages` over Postgres, on the caller's connection."""

    conn: Conn
    threshold: float

    def fulltext(self, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int) -> list[HitRow]:
        return fulltext_page(self.conn, query=query, filters=filters, after=after, limit=limit)

    def fuzzy(self, *, query: ParsedQuery, filters: Filters, after: After | None, limit: int) -> list[HitRow]:
        return fuzzy_page(self.conn, query=query, filters=filters, after=after, limit=limit, threshold=self.threshold)
