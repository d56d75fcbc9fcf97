"""SQL of the passages for answering a question: the caller's sections that share the most words with it.

Unlike `GET /v1/search` (every word must match), a question matches any of its words: the
words of a plain-text query are OR-ed, and ranking puts passages holding more of them first.
"""

from __future__ import annotations

import uuid

from psycopg.rows import class_row

from shared.platform.db import Conn
from shared.search.contracts import Passage

_PASSAGES = """
WITH q AS MATERIALIZED (
    SELECT c.config, replace(plainto_tsquery(c.config, %(text)s)::text, ' & ', ' | ')::tsquery AS query
    FROM search_user_configs AS c WHERE c.user_id = %(user_id)s
)
SELECT e.id, e.document_id, d.title, e.heading, e.body, e.cite_section, e.cite_page, e.page_unit,
       ts_rank_cd(e.tsv, q.query, 32)::float8 AS score
FROM q JOIN search_entries e ON e.user_id = %(user_id)s AND e.config = q.config AND e.tsv @@ q.query
JOIN documents d ON d.id = e.document_id
WHERE e.kind = 'section' AND querytree(q.query) <> 'T' {filters}
ORDER BY score DESC, e.id
LIMIT %(limit)s
"""


def passages_for(
    conn: Conn,
    *,
    user_id: uuid.UUID,
    text: str,
    limit: int,
    course_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
) -> list[Passage]:
    """The best `limit` section passages of the caller's documents for `text`, best first."""
    filters = " ".join(
        sql
        for sql, value in (
            ("AND e.course_id = %(course_id)s", course_id),
            ("AND e.document_id = %(document_id)s", document_id),
        )
        if value is not None
    )
    params = {"user_id": user_id, "text": text, "limit": limit, "course_id": course_id, "document_id": document_id}
    with conn.cursor(row_factory=class_row(Passage)) as cur:
        return cur.execute(_PASSAGES.format(filters=filters), params).fetchall()  # constant fragments only
