"""Reads behind the plan: the student's settings, upcoming assignments, unread documents, reviews by day."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from psycopg.rows import class_row

from shared.platform.db import Conn
from shared.study.contracts import StudySettings, StudySettingsUpdate

DEFAULT_MINUTES = 30

_SETTINGS = """
SELECT coalesce(s.daily_minutes, %(default)s), coalesce(s.digest, false), u.time_zone
FROM users u LEFT JOIN study_settings s ON s.user_id = u.id WHERE u.id = %(user_id)s
"""
_SAVE = """
INSERT INTO study_settings (user_id, daily_minutes, digest)
VALUES (%(user_id)s, coalesce(%(daily_minutes)s, %(default)s), coalesce(%(digest)s, false))
ON CONFLICT (user_id) DO UPDATE SET daily_minutes = coalesce(%(daily_minutes)s, study_settings.daily_minutes),
    digest = coalesce(%(digest)s, study_settings.digest), updated_at = now()
"""
_ASSIGNMENTS = """
SELECT id, name, due_at, course_id FROM assignments
WHERE user_id = %(user_id)s AND NOT submitted AND due_at > %(now)s AND due_at <= %(until)s
ORDER BY due_at, id
"""
_UNREAD = """
SELECT d.id, d.title, d.course_id, d.page_count FROM documents d
WHERE d.user_id = %(user_id)s AND (d.course_id = ANY(%(courses)s) OR d.id = ANY(%(documents)s))
  AND NOT EXISTS (SELECT 1 FROM review_cards r WHERE r.user_id = d.user_id AND r.document_id = d.id AND r.reps > 0)
ORDER BY d.title, d.id
"""
# The documents of each assignment's module: the assignment is an item of a Canvas module, and the
# module's File items are Canvas files the sync made into documents. Earliest assignment first.
_MODULE_DOCUMENTS = """
SELECT DISTINCT a.due_at, a.id AS assignment_id, f.document_id
FROM assignments a
JOIN canvas_module_items ai ON ai.user_id = a.user_id AND ai.type = 'Assignment' AND ai.content_id = a.canvas_id
JOIN canvas_modules m ON m.id = ai.module_id AND m.user_id = a.user_id AND m.course_id = a.course_id
JOIN canvas_module_items fi ON fi.user_id = a.user_id AND fi.module_id = m.id AND fi.type = 'File'
JOIN canvas_files f ON f.user_id = a.user_id AND f.canvas_id = fi.content_id AND f.document_id IS NOT NULL
WHERE a.user_id = %(user_id)s AND a.id = ANY(%(assignments)s)
ORDER BY a.due_at, a.id, f.document_id
"""
_REVIEWS_BY_DAY = """
SELECT (greatest(due, %(now)s) AT TIME ZONE %(tz)s)::date AS day, count(*) FROM review_cards
WHERE user_id = %(user_id)s AND NOT retired AND due < %(until)s GROUP BY 1
"""


@dataclass(frozen=True)
class Upcoming:
    id: uuid.UUID
    name: str
    due_at: datetime
    course_id: uuid.UUID


@dataclass(frozen=True)
class Unread:
    id: uuid.UUID
    title: str
    course_id: uuid.UUID
    page_count: int | None


def read_settings(conn: Conn, *, user_id: uuid.UUID) -> tuple[StudySettings, str]:
    """The student's settings and time zone."""
    row = conn.execute(_SETTINGS, {"user_id": user_id, "default": DEFAULT_MINUTES}).fetchone()
    if row is None:
        return StudySettings(daily_minutes=DEFAULT_MINUTES, digest=False), "UTC"
    return StudySettings(daily_minutes=row[0], digest=row[1]), str(row[2] or "UTC")


def save_settings(conn: Conn, *, user_id: uuid.UUID, change: StudySettingsUpdate) -> None:
    conn.execute(_SAVE, {"user_id": user_id, "default": DEFAULT_MINUTES, **change.model_dump()})


def upcoming(conn: Conn, *, user_id: uuid.UUID, now: datetime, until: datetime) -> list[Upcoming]:
    with conn.cursor(row_factory=class_row(Upcoming)) as cur:
        return cur.execute(_ASSIGNMENTS, {"user_id": user_id, "now": now, "until": until}).fetchall()


def unread(conn: Conn, *, user_id: uuid.UUID, courses: list[uuid.UUID], documents: list[uuid.UUID]) -> list[Unread]:
    """Documents without a reviewed card, of the given courses or among the given documents."""
    params = {"user_id": user_id, "courses": courses, "documents": documents}
    with conn.cursor(row_factory=class_row(Unread)) as cur:
        return cur.execute(_UNREAD, params).fetchall()


def module_documents(
    conn: Conn, *, user_id: uuid.UUID, assignments: list[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(assignment, document) for each document linked from the Canvas module the assignment is in."""
    rows = conn.execute(_MODULE_DOCUMENTS, {"user_id": user_id, "assignments": assignments}).fetchall()
    return [(row[1], row[2]) for row in rows]


def reviews_by_day(conn: Conn, *, user_id: uuid.UUID, now: datetime, until: datetime, tz: str) -> dict[date, int]:
    rows = conn.execute(_REVIEWS_BY_DAY, {"user_id": user_id, "now": now, "until": until, "tz": tz}).fetchall()
    return {row[0]: int(row[1]) for row in rows}
