"""SQL for sync runs: queued → running (with progress) → done or failed (with the result)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from shared.platform.db import Conn

STALE_AFTER = timedelta(minutes=30)  # a run "active" for longer than this no longer blocks a new one


@dataclass(frozen=True)
class RunRow:
    id: uuid.UUID
    user_id: uuid.UUID
    status: str
    progress: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


_COLUMNS = "id, user_id, status, progress, result, error, created_at, started_at, finished_at"


def create_run(conn: Conn, *, run_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> None:
    conn.execute(
        "INSERT INTO canvas_sync_runs (id, user_id, status, created_at)"
        " VALUES (%(id)s, %(user_id)s, 'queued', %(now)s)",
        {"id": run_id, "user_id": user_id, "now": now},
    )


def active_run(conn: Conn, *, user_id: uuid.UUID, now: datetime) -> RunRow | None:
    with conn.cursor(row_factory=class_row(RunRow)) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM canvas_sync_runs WHERE user_id = %(user_id)s"
            " AND status IN ('queued', 'running') AND created_at > %(since)s ORDER BY created_at DESC LIMIT 1",
            {"user_id": user_id, "since": now - STALE_AFTER},
        )
        return cur.fetchone()


def get_run(conn: Conn, *, run_id: uuid.UUID, user_id: uuid.UUID) -> RunRow | None:
    with conn.cursor(row_factory=class_row(RunRow)) as cur:
        cur.execute(
            f"SELECT {_COLUMNS} FROM canvas_sync_runs WHERE id = %(id)s AND user_id = %(user_id)s",
            {"id": run_id, "user_id": user_id},
        )
        return cur.fetchone()


def claim_run(conn: Conn, *, run_id: uuid.UUID, now: datetime) -> bool:
    """queued (or a running one left by a crashed worker) → running; False when already finished."""
    cursor = conn.execute(
        "UPDATE canvas_sync_runs SET status = 'running', started_at = %(now)s"
        " WHERE id = %(id)s AND status IN ('queued', 'running')",
        {"id": run_id, "now": now},
    )
    return cursor.rowcount == 1


def set_progress(conn: Conn, *, run_id: uuid.UUID, progress: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE canvas_sync_runs SET progress = %(progress)s WHERE id = %(id)s",
        {"id": run_id, "progress": Jsonb(progress)},
    )


def finish_run(
    conn: Conn, *, run_id: uuid.UUID, status: str, result: dict[str, Any] | None, error: str | None, now: datetime
) -> None:
    conn.execute(
        "UPDATE canvas_sync_runs SET status = %(status)s, result = %(result)s, error = %(error)s,"
        " finished_at = %(now)s WHERE id = %(id)s",
        {"id": run_id, "status": status, "result": Jsonb(result) if result else None, "error": error, "now": now},
    )


def fail_unfinished_run(conn: Conn, *, run_id: uuid.UUID, error: str, now: datetime) -> bool:
    """End a run that is still queued or running as failed; a finished run keeps its outcome."""
    cur = conn.execute(
        "UPDATE canvas_sync_runs SET status = 'failed', error = %(error)s, finished_at = %(now)s"
        " WHERE id = %(id)s AND status IN ('queued', 'running')",
        {"id": run_id, "error": error[:2000], "now": now},
    )
    return cur.rowcount > 0
