"""SQL for the read routes (a user's courses and assignments, keyset-paged) and a course's media choice."""

from __future__ import annotations

import uuid
from datetime import datetime

from psycopg.rows import class_row

from shared.canvas.contracts import AssignmentOut, CourseOut
from shared.platform.db import Conn


def list_courses(conn: Conn, *, user_id: uuid.UUID, after: tuple[str, uuid.UUID] | None, limit: int) -> list[CourseOut]:
    name, last_id = after or ("", uuid.UUID(int=0))
    with conn.cursor(row_factory=class_row(CourseOut)) as cur:
        cur.execute(
            "SELECT id, canvas_id, name, course_code, term, start_date, end_date, synced_at FROM courses"
            " WHERE user_id = %(user_id)s AND (%(first)s OR (name, id) > (%(name)s, %(id)s))"
            " ORDER BY name, id LIMIT %(limit)s",
            {"user_id": user_id, "first": after is None, "name": name, "id": last_id, "limit": limit},
        )
        return cur.fetchall()


def course_exists(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID) -> bool:
    row = conn.execute(
        "SELECT 1 FROM courses WHERE id = %(id)s AND user_id = %(user_id)s", {"id": course_id, "user_id": user_id}
    ).fetchone()
    return row is not None


def list_assignments(
    conn: Conn,
    *,
    user_id: uuid.UUID,
    course_id: uuid.UUID | None,
    due_from: datetime | None,
    due_to: datetime | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[AssignmentOut]:
    """Ordered by due date (undated last), then id; `after` is (due_at ISO or 'infinity', id)."""
    due_key, last_id = after or ("-infinity", uuid.UUID(int=0))
    with conn.cursor(row_factory=class_row(AssignmentOut)) as cur:
        cur.execute(
            "SELECT id, course_id, canvas_id, name, due_at, html_url, submitted, submission_state"
            " FROM assignments WHERE user_id = %(user_id)s"
            " AND (%(course_id)s::uuid IS NULL OR course_id = %(course_id)s::uuid)"
            " AND (%(due_from)s::timestamptz IS NULL OR due_at >= %(due_from)s::timestamptz)"
            " AND (%(due_to)s::timestamptz IS NULL OR due_at < %(due_to)s::timestamptz)"
            " AND (COALESCE(due_at, 'infinity'::timestamptz), id) > (%(due_key)s::timestamptz, %(id)s::uuid)"
            " ORDER BY COALESCE(due_at, 'infinity'::timestamptz), id LIMIT %(limit)s",
            {
                "user_id": user_id,
                "course_id": course_id,
                "due_from": due_from,
                "due_to": due_to,
                "due_key": due_key,
                "id": last_id,
                "limit": limit,
            },
        )
        return cur.fetchall()


def set_course_media(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID, media: bool) -> bool | None:
    """The course's media choice after the update; None when the user has no such course."""
    row = conn.execute(
        "UPDATE courses SET media_opt_in = %(media)s WHERE id = %(course_id)s AND user_id = %(user_id)s"
        " RETURNING media_opt_in",
        {"media": media, "course_id": course_id, "user_id": user_id},
    ).fetchone()
    return None if row is None else bool(row[0])


def media_wanted(conn: Conn, *, doc_id: uuid.UUID) -> bool:
    row = conn.execute(
        "SELECT d.source <> 'canvas' OR coalesce(c.media_opt_in, false)"
        " FROM documents d LEFT JOIN courses c ON c.id = d.course_id WHERE d.id = %(doc_id)s",
        {"doc_id": doc_id},
    ).fetchone()
    return bool(row and row[0])
