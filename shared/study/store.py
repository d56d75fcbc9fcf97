"""SQL the study subpackages share: which documents and courses belong to the caller.

Every study route checks here first."""

from __future__ import annotations

import uuid

from shared.platform.db import AsyncConn, Conn
from shared.platform.errors import NotFound

_DOCUMENT = "SELECT title FROM documents WHERE id = %(id)s AND user_id = %(user_id)s"
_COURSE = "SELECT name FROM courses WHERE id = %(id)s AND user_id = %(user_id)s"


def document_title(conn: Conn, *, user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    """The title of the caller's document; NotFound for anyone else's (never 403)."""
    row = conn.execute(_DOCUMENT, {"id": doc_id, "user_id": user_id}).fetchone()
    if row is None:
        raise NotFound(f"document {doc_id} not found")
    return str(row[0])


def course_name(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID) -> str:
    row = conn.execute(_COURSE, {"id": course_id, "user_id": user_id}).fetchone()
    if row is None:
        raise NotFound(f"course {course_id} not found")
    return str(row[0])


def check_scope(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID | None, doc_id: uuid.UUID | None) -> None:
    """Refuse a filter naming someone else's course or document, as if it did not exist."""
    if course_id is not None:
        course_name(conn, user_id=user_id, course_id=course_id)
    if doc_id is not None:
        document_title(conn, user_id=user_id, doc_id=doc_id)


async def check_scope_async(
    conn: AsyncConn, *, user_id: uuid.UUID, course_id: uuid.UUID | None, doc_id: uuid.UUID | None
) -> None:
    """`check_scope` on an async connection (the gateway's read routes, on the loop)."""
    if course_id is not None:
        found = await (await conn.execute(_COURSE, {"id": course_id, "user_id": user_id})).fetchone()
        if found is None:
            raise NotFound(f"course {course_id} not found")
    if doc_id is not None:
        found = await (await conn.execute(_DOCUMENT, {"id": doc_id, "user_id": user_id})).fetchone()
        if found is None:
            raise NotFound(f"document {doc_id} not found")
