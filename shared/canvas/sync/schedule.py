"""The `canvas_schedule` timer job: re-sync every connected student on a schedule.

Each connection carries its own next sync time, spread over the period and jittered, so Canvas's
per-token limits and our workers never see every student at once; each tick queues at most
CANVAS_SYNC_PER_TICK runs. Students with unsubmitted work due within CANVAS_SYNC_DUE_SOON_DAYS
are synced every CANVAS_SYNC_DUE_SOON_EVERY_HOURS, so moved due dates and new submissions reach
the reminders in time. Connections marked `needs_reconnect` are skipped.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from psycopg_pool import ConnectionPool

from shared.canvas.contracts import CanvasSyncRequest
from shared.canvas.settings import CanvasSettings
from shared.canvas.store.runs import create_run
from shared.canvas.store.schedule import claim_due
from shared.platform.clock import Clock
from shared.platform.db import Conn
from shared.platform.publisher import Publisher


def queue_scheduled_syncs(
    *, db: ConnectionPool[Conn], publisher: Publisher, clock: Clock, settings: CanvasSettings
) -> dict[str, object]:
    now = clock.now()
    requests: list[CanvasSyncRequest] = []
    with db.connection() as conn:
        due = claim_due(
            conn,
            now=now,
            every=timedelta(hours=settings.canvas_sync_every_hours),
            soon=timedelta(days=settings.canvas_sync_due_soon_days),
            soon_every=timedelta(hours=settings.canvas_sync_due_soon_every_hours),
            limit=settings.canvas_sync_per_tick,
        )
        for user_id in due:
            run_id = uuid.uuid4()
            create_run(conn, run_id=run_id, user_id=user_id, now=now)
            requests.append(CanvasSyncRequest(sync_id=run_id, user_id=user_id))
    for request in requests:  # after the commit: a worker must find the run it is handed
        publisher.publish(request)
    return {"queued": len(requests)}
