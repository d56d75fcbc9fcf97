"""SQL for what a sync writes: courses, assignments, modules and module items.

Every upsert leaves an unchanged row untouched (`WHERE ... IS DISTINCT FROM`), so a re-sync
of an unchanged school writes nothing; each returns the row id and whether it changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from shared.platform.db import Conn


@dataclass(frozen=True)
class Upserted:
    id: uuid.UUID
    changed: bool


def _upsert(conn: Conn, table: str, columns: Mapping[str, object], *, user_id: uuid.UUID, canvas_id: int) -> Upserted:
    names = list(columns)
    params = {**columns, "id": uuid.uuid4(), "user_id": user_id, "canvas_id": canvas_id}
    inserted = ", ".join(f"%({n})s" for n in names)
    assign = ", ".join(f"{n} = EXCLUDED.{n}" for n in names)
    current = ", ".join(f"{table}.{n}" for n in names)
    incoming = ", ".join(f"EXCLUDED.{n}" for n in names)
    row = conn.execute(
        f"INSERT INTO {table} (id, user_id, canvas_id, {', '.join(names)}, updated_at)"
        f" VALUES (%(id)s, %(user_id)s, %(canvas_id)s, {inserted}, now())"
        f" ON CONFLICT (user_id, canvas_id) DO UPDATE SET {assign}, updated_at = now()"
        f" WHERE ({current}) IS DISTINCT FROM ({incoming}) RETURNING id",
        params,
    ).fetchone()
    if row is not None:
        return Upserted(id=row[0], changed=True)
    found = conn.execute(
        f"SELECT id FROM {table} WHERE user_id = %(user_id)s AND canvas_id = %(canvas_id)s", params
    ).fetchone()
    if found is None:
        raise LookupError(f"{table} row {canvas_id} vanished during the upsert")
    return Upserted(id=found[0], changed=False)


@dataclass(frozen=True)
class CourseFields:
    name: str
    course_code: str
    term: str | None
    workflow_state: str
    start_date: datetime | None
    end_date: datetime | None


def upsert_course(conn: Conn, *, user_id: uuid.UUID, canvas_id: int, fields: CourseFields) -> Upserted:
    columns: dict[str, object] = vars(fields)
    result = _upsert(conn, "courses", columns, user_id=user_id, canvas_id=canvas_id)
    if result.changed:
        conn.execute("UPDATE courses SET synced_at = now() WHERE id = %(id)s", {"id": result.id})
    return result


@dataclass(frozen=True)
class AssignmentFields:
    name: str
    due_at: datetime | None
    html_url: str | None
    submitted: bool
    submission_state: str | None
    submitted_at: datetime | None
    points_possible: float | None
    canvas_updated_at: datetime | None


def upsert_assignment(
    conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID, canvas_id: int, fields: AssignmentFields
) -> Upserted:
    columns: dict[str, object] = {"course_id": course_id, **vars(fields)}
    return _upsert(conn, "assignments", columns, user_id=user_id, canvas_id=canvas_id)


def upsert_module(
    conn: Conn, *, user_id: uuid.UUID, course_id: uuid.UUID, canvas_id: int, name: str, position: int | None
) -> Upserted:
    columns: dict[str, object] = {"course_id": course_id, "name": name, "position": position}
    return _upsert(conn, "canvas_modules", columns, user_id=user_id, canvas_id=canvas_id)


@dataclass(frozen=True)
class ItemFields:
    type: str
    title: str
    position: int | None
    content_id: int | None
    html_url: str | None


def upsert_module_item(
    conn: Conn, *, user_id: uuid.UUID, module_id: uuid.UUID, canvas_id: int, fields: ItemFields
) -> Upserted:
    columns: dict[str, object] = {"module_id": module_id, **vars(fields)}
    return _upsert(conn, "canvas_module_items", columns, user_id=user_id, canvas_id=canvas_id)


_SCOPES = {
    "assignments": "course_id",
    "canvas_modules": "course_id",
    "canvas_module_items": "module_id",
    "canvas_files": "course_id",
}


def delete_missing(conn: Conn, table: str, *, user_id: uuid.UUID, scope_id: uuid.UUID, keep: list[int]) -> int:
    """Delete the rows of one course (or module) that Canvas no longer lists; returns how many."""
    cursor = conn.execute(
        f"DELETE FROM {table} WHERE user_id = %(user_id)s AND {_SCOPES[table]} = %(scope_id)s"
        " AND NOT (canvas_id = ANY(%(keep)s))",
        {"user_id": user_id, "scope_id": scope_id, "keep": keep},
    )
    return cursor.rowcount
