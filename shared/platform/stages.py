"""Per-stage pipeline state of a document (queued, running, done, failed, with the reason).

A platform service: the documents, ai and media stages all record their progress here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, cast

from psycopg_pool import ConnectionPool

from shared.platform.db import Conn
from shared.platform.messages import Message

Stage = Literal["ingest", "ai", "media"]
Status = Literal["queued", "running", "done", "failed"]


@dataclass(frozen=True)
class StageState:
    stage: Stage
    status: Status
    attempts: int
    error_code: str | None
    error_message: str | None
    updated_at: datetime


_UPSERT = """
INSERT INTO document_stages (document_id, stage, status, attempts, error_code, error_message, updated_at)
VALUES (%(doc_id)s, %(stage)s, %(status)s, %(bump)s, %(code)s, %(message)s, now())
ON CONFLICT (document_id, stage) DO UPDATE
   SET status = EXCLUDED.status,
       attempts = document_stages.attempts + %(bump)s,
       error_code = EXCLUDED.error_code,
       error_message = EXCLUDED.error_message,
       updated_at = now()
"""


def set_stage(
    conn: Conn,
    *,
    doc_id: uuid.UUID,
    stage: Stage,
    status: Status,
    error_code: str | None = None,
    error_message: str | None = None,
) -> None:
    """Record a stage's status; `running` counts an attempt, a failure keeps its reason."""
    params = {
        "doc_id": doc_id,
        "stage": stage,
        "status": status,
        "bump": 1 if status == "running" else 0,
        "code": error_code,
        "message": error_message,
    }
    conn.execute(_UPSERT, params)


def stages_of(conn: Conn, *, doc_id: uuid.UUID) -> list[StageState]:
    return stages_of_many(conn, doc_ids=[doc_id])[doc_id]


def stages_of_many(conn: Conn, *, doc_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[StageState]]:
    """The stages of a page of documents in one query (a listing must not ask once per row)."""
    found: dict[uuid.UUID, list[StageState]] = {doc_id: [] for doc_id in doc_ids}
    rows = conn.execute(
        "SELECT document_id, stage, status, attempts, error_code, error_message, updated_at"
        " FROM document_stages WHERE document_id = ANY(%(doc_ids)s) ORDER BY document_id, stage",
        {"doc_ids": doc_ids},
    ).fetchall()
    for doc_id, *state in rows:
        found[doc_id].append(StageState(*state))
    return found


_FAIL_IN_FLIGHT = """
UPDATE document_stages
   SET status = 'failed', error_code = %(code)s, error_message = %(message)s, updated_at = now()
 WHERE document_id = %(doc_id)s AND stage = %(stage)s AND status IN ('queued', 'running')
"""


def fail_in_flight(conn: Conn, *, doc_id: uuid.UUID, stage: Stage, error_code: str, error_message: str) -> bool:
    """Fail a stage that is still queued or running; a stage that has ended keeps its outcome."""
    params = {"doc_id": doc_id, "stage": stage, "code": error_code, "message": error_message[:2000]}
    return conn.execute(_FAIL_IN_FLIGHT, params).rowcount > 0


class _ForDocument(Protocol):
    doc_id: uuid.UUID


def failed_when_dead(db: ConnectionPool[Conn], stage: Stage) -> Callable[[Message, str, str], None]:
    """A document stage's `on_dead`: the stage ends `failed` with the dead-letter's reason, so a
    student sees why and can start it again instead of watching `running` forever."""

    def record(message: Message, code: str, error: str) -> None:
        target = cast(_ForDocument, message)
        with db.connection() as conn:
            fail_in_flight(conn, doc_id=target.doc_id, stage=stage, error_code=code, error_message=error)

    return record
