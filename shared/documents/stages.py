"""Per-stage pipeline state of a document (queued, running, done, failed, with the reason)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.platform.db import Conn

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
