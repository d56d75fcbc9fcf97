"""The reconciler timer job: Postgres is the source of truth, Redis only carries the work.

A document whose stage has been `queued`/`running` longer than the threshold gets its request
re-published (ingest and AI with the same message id, so dedupe still holds); after too many
attempts the stage is failed with STUCK. Rebuilding a `MediaRequest` needs the deck the AI stage
wrote, so the media context passes in its own `requeue_media`; without one, media is only counted.
A document created for a SAS upload but never requested (no upload yet) is not stuck: it waits.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from shared.ai.contracts import AiRequest
from shared.documents.service import ingest_request
from shared.documents.store import get_document
from shared.platform.db import Conn
from shared.platform.publisher import Publisher
from shared.platform.stages import Stage, set_stage

_STUCK = """
SELECT s.document_id, d.user_id, s.stage, s.attempts, d.ingest_message_id, d.ai_message_id
  FROM document_stages s JOIN documents d ON d.id = s.document_id
 WHERE s.status IN ('queued', 'running') AND s.updated_at < now() - make_interval(secs => %(after)s)
   AND NOT (s.stage = 'ingest' AND d.ingest_message_id IS NULL)  -- created, still waiting for its upload
 ORDER BY s.updated_at
 LIMIT %(limit)s
 FOR UPDATE OF s SKIP LOCKED
"""


@dataclass(frozen=True)
class Stuck:
    doc_id: uuid.UUID
    user_id: uuid.UUID
    stage: Stage
    attempts: int
    ingest_message_id: uuid.UUID | None
    ai_message_id: uuid.UUID | None


#: Re-queues a document's media stage on the reconciler's connection: (conn, doc_id, user_id).
RequeueMedia = Callable[[Conn, uuid.UUID, uuid.UUID], None]


def reconcile(
    *,
    conn: Conn,
    publisher: Publisher,
    after_s: int,
    max_attempts: int,
    limit: int = 200,
    requeue_media: RequeueMedia | None = None,
) -> dict[str, int]:
    rows = [Stuck(*r) for r in conn.execute(_STUCK, {"after": after_s, "limit": limit}).fetchall()]
    report = {"republished_ingest": 0, "republished_ai": 0, "republished_media": 0, "failed_stuck": 0}
    report["media_stuck_left"] = 0
    for row in rows:
        if row.stage == "media" and requeue_media is None:
            report["media_stuck_left"] += 1
        elif row.attempts >= max_attempts:
            set_stage(
                conn,
                doc_id=row.doc_id,
                stage=row.stage,
                status="failed",
                error_code="STUCK",
                error_message=f"no progress after {row.attempts} attempts; start it again to retry",
            )
            report["failed_stuck"] += 1
        else:
            _republish(conn, publisher, row, requeue_media)
            report[f"republished_{row.stage}"] += 1
    return report


def _republish(conn: Conn, publisher: Publisher, row: Stuck, requeue_media: RequeueMedia | None) -> None:
    if row.stage == "media" and requeue_media is not None:
        requeue_media(conn, row.doc_id, row.user_id)
    elif row.stage == "ingest":
        message_id = row.ingest_message_id or uuid.uuid4()
        conn.execute(
            "UPDATE documents SET ingest_message_id = %(m)s WHERE id = %(d)s", {"m": message_id, "d": row.doc_id}
        )
        set_stage(conn, doc_id=row.doc_id, stage="ingest", status="queued")
        document = get_document(conn, doc_id=row.doc_id, user_id=row.user_id)
        if document is not None:  # the stage row is locked, and it goes with its document
            publisher.publish(ingest_request(document, message_id=message_id))
    else:
        message_id = row.ai_message_id or uuid.uuid4()
        conn.execute("UPDATE documents SET ai_message_id = %(m)s WHERE id = %(d)s", {"m": message_id, "d": row.doc_id})
        set_stage(conn, doc_id=row.doc_id, stage="ai", status="queued")
        publisher.publish(AiRequest(message_id=message_id, doc_id=row.doc_id, user_id=row.user_id))
