"""Writes to `search_entries`: replace every row of one document for a group of kinds."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from shared.platform.db import Conn
from shared.search.contracts import Kind, PageUnit


@dataclass(frozen=True)
class EntryRow:
    kind: Kind
    position: int
    heading: str
    body: str
    detail: str
    cite_section: str
    cite_page: int | None
    page_unit: PageUnit | None


_DELETE = """
DELETE FROM search_entries
WHERE user_id = %(user_id)s AND document_id = %(document_id)s AND kind = ANY(%(kinds)s)
"""

_INSERT = """
INSERT INTO search_entries
    (id, user_id, document_id, course_id, kind, position, heading, body, detail,
     cite_section, cite_page, page_unit, config)
VALUES
    (%(id)s, %(user_id)s, %(document_id)s,
     COALESCE(%(course_id)s::uuid, (SELECT course_id FROM documents WHERE id = %(document_id)s)),
     %(kind)s, %(position)s, %(heading)s, %(body)s, %(detail)s, %(cite_section)s, %(cite_page)s,
     %(page_unit)s, %(config)s::regconfig)
"""

_USER_CONFIG = """
INSERT INTO search_user_configs (user_id, config) VALUES (%(user_id)s, %(config)s::regconfig)
ON CONFLICT DO NOTHING
"""

_DOCUMENT_CONFIG = """
SELECT config::text FROM search_entries
WHERE user_id = %(user_id)s AND document_id = %(document_id)s AND kind = 'section'
LIMIT 1
"""

_DOCUMENT_UNIT = """
SELECT CASE WHEN lower(kind) IN ('pptx', 'ppt', 'odp') THEN 'slide' ELSE 'page' END
FROM documents WHERE id = %(document_id)s
"""


def replace_entries(
    conn: Conn,
    *,
    document_id: uuid.UUID,
    user_id: uuid.UUID,
    course_id: uuid.UUID | None,
    config: str,
    kinds: Sequence[Kind],
    rows: Sequence[EntryRow],
) -> int:
    """Delete the document's rows of `kinds`, insert `rows`; inside the caller's transaction."""
    conn.execute(_DELETE, {"user_id": user_id, "document_id": document_id, "kinds": list(kinds)})
    params = [
        {
            "id": uuid.uuid4(),
            "user_id": user_id,
            "document_id": document_id,
            "course_id": course_id,
            "config": config,
            **row.__dict__,
        }
        for row in rows
    ]
    if params:
        conn.execute(_USER_CONFIG, {"user_id": user_id, "config": config})
        with conn.cursor() as cur:
            cur.executemany(_INSERT, params)
    return len(params)


def document_page_unit(conn: Conn, *, document_id: uuid.UUID) -> PageUnit:
    """Slides for presentations, pages for everything else (what a study aid's page number means)."""
    row = conn.execute(_DOCUMENT_UNIT, {"document_id": document_id}).fetchone()
    return "slide" if row is not None and row[0] == "slide" else "page"


def document_config(conn: Conn, *, document_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    """The configuration the document's sections were indexed with, if they were."""
    row = conn.execute(_DOCUMENT_CONFIG, {"document_id": document_id, "user_id": user_id}).fetchone()
    return None if row is None else str(row[0])
