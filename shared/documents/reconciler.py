"""The reconciler timer job: Postgres is the source of truth, Redis only carries the work.

A document whose stage has been `queued`/`running` longer than the threshold gets its request
re-published (ingest and AI with the same message id, so dedupe still holds); after too many
attempts the stage is failed with STUCK. Rebuilding a `MediaRequest` needs the deck the AI stage
wrote, so the media context passes in its own `requeue_media`; without one, media is only counted.
A document created for a SAS upload but never requested (no upload yet) is not stuck: it waits.
"""

from __future__ import annotations

import uuid
from typing import Literal

from shared.ai.contracts import AiRequest
from shared.documents.service import RequeueMedia, request_ingest
from shared.documents.store import Stuck, set_ai_message, stuck_stages
from shared.platform.db import Conn
from shared.platform.publisher import Publisher
from shared.platform.stages import set_stage

Action = Literal["leave", "fail", "republish"]


def action_for(row: Stuck, *, max_attempts: int, requeues_media: bool) -> Action:
    """What the reconciler does with a stuck stage: media it cannot rebuild is left (and counted),
    a stage past its attempts fails, anything else is published again."""
    if row.stage == "media" and not requeues_media:
        return "leave"
    return "fail" if row.attempts >= max_attempts else "republish"


def reconcile(
    *,
    conn: Conn,
    publisher: Publisher,
    after_s: int,
    max_attempts: int,
    limit: int = 200,
    requeue_media: RequeueMedia | None = None,
) -> dict[str, int]:
    report = {"republished_ingest": 0, "republished_ai": 0, "republished_media": 0, "failed_stuck": 0}
    report["media_stuck_left"] = 0
    for row in stuck_stages(conn, after_s=after_s, limit=limit):
        action = action_for(row, max_attempts=max_attempts, requeues_media=requeue_media is not None)
        if action == "leave":
            report["media_stuck_left"] += 1
        elif action == "fail":
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
    elif row.stage == "ingest":  # the stage row is locked, and it goes with its document
        request_ingest(conn=conn, publisher=publisher, doc_id=row.doc_id, user_id=row.user_id, force=True)
    else:
        message_id = row.ai_message_id or uuid.uuid4()
        set_ai_message(conn, doc_id=row.doc_id, message_id=message_id)
        set_stage(conn, doc_id=row.doc_id, stage="ai", status="queued")
        publisher.publish(AiRequest(message_id=message_id, doc_id=row.doc_id, user_id=row.user_id))
