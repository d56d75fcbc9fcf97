"""Rows the notify tests need (courses, assignments, preferences), inserted straight into Postgres."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis import Redis

from shared.container import Container


@dataclass(frozen=True)
class Assignment:
    id: uuid.UUID
    user_id: uuid.UUID
    due_at: datetime


def add_assignment(
    container: Container,
    *,
    user_id: uuid.UUID,
    due_at: datetime,
    submitted: bool = False,
    name: str = "Essay 2",
    course: str = "BIO 101",
) -> Assignment:
    course_id, assignment_id = uuid.uuid4(), uuid.uuid4()
    canvas_id = uuid.uuid4().int % 2**62
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO courses (id, user_id, canvas_id, name) VALUES (%s, %s, %s, %s)",
            (course_id, user_id, canvas_id, course),
        )
        conn.execute(
            "INSERT INTO assignments (id, user_id, course_id, canvas_id, name, due_at, html_url, submitted)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                assignment_id,
                user_id,
                course_id,
                canvas_id,
                name,
                due_at,
                f"https://canvas.example.edu/courses/1/assignments/{canvas_id}",
                submitted,
            ),
        )
    return Assignment(id=assignment_id, user_id=user_id, due_at=due_at)


def set_time_zone(container: Container, *, user_id: uuid.UUID, time_zone: str) -> None:
    with container.db.connection() as conn:
        conn.execute("UPDATE users SET time_zone = %s WHERE id = %s", (time_zone, user_id))


def deliveries_of(container: Container, user_id: uuid.UUID) -> list[tuple[object, ...]]:
    """(assignment_id, window_hours, kind, status, attempts, error) per delivery, oldest first."""
    with container.db.connection() as conn:
        return conn.execute(
            "SELECT assignment_id, window_hours, kind, status, attempts, error FROM notification_deliveries"
            " WHERE user_id = %s ORDER BY created_at, window_hours DESC",
            (user_id,),
        ).fetchall()


def delivery_ids_of(container: Container, user_ids: list[uuid.UUID]) -> list[str]:
    with container.db.connection() as conn:
        rows = conn.execute(
            "SELECT id::text FROM notification_deliveries WHERE user_id = ANY(%s)", (user_ids,)
        ).fetchall()
    return [row[0] for row in rows]


def stream_data(redis: Redis, stream_key: str) -> list[str]:
    """The `data` field of every entry on a stream, in order."""
    entries: Any = redis.xrange(stream_key)
    return [fields[b"data"].decode() for _, fields in entries]


def published_delivery_ids(redis: Redis, stream_key: str) -> list[str]:
    """`delivery_id` of every `notify.request` on a stream, in order."""
    return [str(json.loads(data)["delivery_id"]) for data in stream_data(redis, stream_key)]
