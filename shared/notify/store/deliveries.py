"""Deliveries: what the handler reads (locked) and what it records after each attempt."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from psycopg.errors import LockNotAvailable
from psycopg.rows import class_row
from psycopg_pool import ConnectionPool

from shared.notify.contracts import DeliveryView
from shared.platform.db import Conn


@dataclass(frozen=True)
class DeliveryJob:
    id: uuid.UUID
    user_id: uuid.UUID
    kind: str
    status: str
    attempts: int
    window_hours: int | None
    body_text: str | None
    email: str
    email_verified: bool
    display_name: str
    time_zone: str
    opted_out: bool
    assignment_id: uuid.UUID | None
    assignment: str | None
    due_at: datetime | None
    html_url: str | None
    submitted: bool | None
    course: str | None


LOCK_JOB = """
SELECT d.id, d.user_id, d.kind, d.status, d.attempts, d.window_hours, d.body_text,
       u.email::text AS email, u.email_verified_at IS NOT NULL AS email_verified, u.display_name,
       coalesce(p.time_zone, u.time_zone) AS time_zone,
       coalesce(p.opted_out, false) AS opted_out, a.id AS assignment_id, a.name AS assignment,
       a.due_at, a.html_url, a.submitted, c.name AS course
FROM notification_deliveries d
JOIN users u ON u.id = d.user_id
LEFT JOIN notify_preferences p ON p.user_id = d.user_id
LEFT JOIN assignments a ON a.id = d.assignment_id
LEFT JOIN courses c ON c.id = a.course_id
WHERE d.id = %(id)s
FOR UPDATE OF d
"""
#: How long a worker waits for a delivery row another transaction holds: the API stamping
#: `published_at` right after publishing (milliseconds), or another worker sending it (seconds).
LOCK_WAIT = "5s"


def lock_job(conn: Conn, delivery_id: uuid.UUID) -> DeliveryJob | None:
    """The delivery with everything needed to render it, row-locked; None if missing, or still
    locked after `LOCK_WAIT`. Skipping a locked row at once would turn the publisher's own
    `published_at` stamp into a retry a whole visibility timeout later."""
    try:
        with conn.transaction(), conn.cursor(row_factory=class_row(DeliveryJob)) as cur:  # a savepoint
            cur.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            return cur.execute(LOCK_JOB, {"id": delivery_id}).fetchone()
    except LockNotAvailable:
        return None


def recipient(conn: Conn, *, user_id: uuid.UUID) -> tuple[str, bool] | None:
    """The user's address and whether it is verified; None for no such user."""
    sql = "SELECT email::text, email_verified_at IS NOT NULL FROM users WHERE id = %(id)s"
    row = conn.execute(sql, {"id": user_id}).fetchone()
    return None if row is None else (str(row[0]), bool(row[1]))


def exists(conn: Conn, delivery_id: uuid.UUID) -> bool:
    row = conn.execute("SELECT 1 FROM notification_deliveries WHERE id = %(id)s", {"id": delivery_id}).fetchone()
    return row is not None


def release(conn: Conn, *, delivery_id: uuid.UUID) -> None:
    """Give a premature claim back (nothing was sent), so its window can be claimed again."""
    conn.execute("DELETE FROM notification_deliveries WHERE id = %(id)s AND status = 'queued'", {"id": delivery_id})


def record(
    conn: Conn,
    *,
    delivery_id: uuid.UUID,
    status: str,
    attempted: bool,
    error: str | None = None,
    provider: str | None = None,
    provider_id: str | None = None,
) -> None:
    conn.execute(
        "UPDATE notification_deliveries SET status = %(status)s, error = %(error)s,"
        " attempts = attempts + %(attempted)s, provider = coalesce(%(provider)s, provider),"
        " provider_id = %(provider_id)s, updated_at = now(),"
        " sent_at = CASE WHEN %(status)s = 'sent' THEN now() ELSE sent_at END"
        " WHERE id = %(id)s",
        {
            "id": delivery_id,
            "status": status,
            "error": error,
            "attempted": int(attempted),
            "provider": provider,
            "provider_id": provider_id,
        },
    )


def create(
    conn: Conn,
    *,
    user_id: uuid.UUID,
    kind: str,
    send_at: datetime,
    request_id: str | None,
    assignment_id: uuid.UUID | None = None,
    body_text: str | None = None,
    claimed: bool = False,
) -> uuid.UUID:
    """A queued delivery; `claimed` keeps the reminders timer off it while the caller publishes."""
    delivery_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO notification_deliveries"
        " (id, user_id, dedupe_key, status, kind, assignment_id, body_text, send_at, request_id, claimed_at)"
        " VALUES (%(id)s, %(user_id)s, %(key)s, 'queued', %(kind)s, %(assignment_id)s, %(body_text)s,"
        " %(send_at)s, %(request_id)s, CASE WHEN %(claimed)s THEN now() END)",
        {
            "id": delivery_id,
            "user_id": user_id,
            "key": f"{kind}:{delivery_id}",
            "kind": kind,
            "assignment_id": assignment_id,
            "body_text": body_text,
            "send_at": send_at,
            "request_id": request_id,
            "claimed": claimed,
        },
    )
    return delivery_id


def view(conn: Conn, *, user_id: uuid.UUID, delivery_id: uuid.UUID) -> DeliveryView | None:
    with conn.cursor(row_factory=class_row(DeliveryView)) as cur:
        return cur.execute(
            "SELECT id, kind, status, attempts, error, assignment_id, window_hours, send_at, sent_at, created_at"
            " FROM notification_deliveries WHERE id = %(id)s AND user_id = %(user_id)s",
            {"id": delivery_id, "user_id": user_id},
        ).fetchone()


def mark_published(conn: Conn, *, delivery_id: uuid.UUID) -> None:
    """The delivery's message is on the stream: the reminders timer leaves it alone."""
    conn.execute("UPDATE notification_deliveries SET published_at = now() WHERE id = %(id)s", {"id": delivery_id})


def owns_assignment(conn: Conn, *, user_id: uuid.UUID, assignment_id: uuid.UUID) -> bool:
    """Whether a custom reminder may name this assignment (the reminders read the same table)."""
    row = conn.execute(
        "SELECT 1 FROM assignments WHERE id = %(id)s AND user_id = %(user_id)s",
        {"id": assignment_id, "user_id": user_id},
    ).fetchone()
    return row is not None


class DeliveryTx(Protocol):
    """One transaction on the deliveries: the row lock taken by `lock_job` holds until it ends."""

    def lock_job(self, delivery_id: uuid.UUID) -> DeliveryJob | None: ...

    def exists(self, delivery_id: uuid.UUID) -> bool: ...

    def release(self, *, delivery_id: uuid.UUID) -> None: ...

    def record(
        self,
        *,
        delivery_id: uuid.UUID,
        status: str,
        attempted: bool,
        error: str | None = None,
        provider: str | None = None,
        provider_id: str | None = None,
    ) -> None: ...


class Deliveries(Protocol):
    """Where `deliver` reads and records deliveries (`PgDeliveries`; in memory in unit tests)."""

    def transaction(self) -> AbstractContextManager[DeliveryTx]: ...


class _PgDeliveryTx:
    def __init__(self, conn: Conn) -> None:
        self._conn = conn

    def lock_job(self, delivery_id: uuid.UUID) -> DeliveryJob | None:
        return lock_job(self._conn, delivery_id)

    def exists(self, delivery_id: uuid.UUID) -> bool:
        return exists(self._conn, delivery_id)

    def release(self, *, delivery_id: uuid.UUID) -> None:
        release(self._conn, delivery_id=delivery_id)

    def record(
        self,
        *,
        delivery_id: uuid.UUID,
        status: str,
        attempted: bool,
        error: str | None = None,
        provider: str | None = None,
        provider_id: str | None = None,
    ) -> None:
        record(
            self._conn,
            delivery_id=delivery_id,
            status=status,
            attempted=attempted,
            error=error,
            provider=provider,
            provider_id=provider_id,
        )


class PgDeliveries:
    """`Deliveries` in Postgres: a transaction is one pooled connection, committed when it ends."""

    def __init__(self, db: ConnectionPool[Conn]) -> None:
        self._db = db

    @contextmanager
    def transaction(self) -> Iterator[DeliveryTx]:
        with self._db.connection() as conn:
            yield _PgDeliveryTx(conn)
