"""Media for Canvas-synced files is opt-in per course (a student's preference).

An uploaded file gets its video as before; a file synced from Canvas gets one only when its
course opted in, or when the student starts media for that document (`POST /v1/media/start`).
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from shared.platform.db import Conn


class CourseMedia(BaseModel):
    course_id: uuid.UUID
    media: bool


class CourseMediaUpdate(BaseModel):
    media: bool


def set_course_media(conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID, media: bool) -> CourseMedia | None:
    """None when the user has no such course."""
    row = conn.execute(
        "UPDATE courses SET media_opt_in = %(media)s WHERE id = %(course_id)s AND user_id = %(user_id)s"
        " RETURNING media_opt_in",
        {"media": media, "course_id": course_id, "user_id": user_id},
    ).fetchone()
    return None if row is None else CourseMedia(course_id=course_id, media=bool(row[0]))


def media_wanted(conn: Conn, *, doc_id: uuid.UUID) -> bool:
    """Whether the AI stage should queue a video: always for uploads, by course for Canvas files."""
    row = conn.execute(
        "SELECT d.source <> 'canvas' OR coalesce(c.media_opt_in, false)"
        " FROM documents d LEFT JOIN courses c ON c.id = d.course_id WHERE d.id = %(doc_id)s",
        {"doc_id": doc_id},
    ).fetchone()
    return bool(row and row[0])
