"""SQL of scheduled syncs: which connections are due, their next time, and connection status."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from shared.platform.db import Conn

# A connection is due at `next_sync_at`; one never scheduled is due at a moment spread over the
# first period by its id. Each is pushed to its next time in the same statement (with ±10 %
# jitter), so two overlapping timers cannot both take it. A user with unsubmitted work due
# within `soon` is synced every `soon_every`; a user with a sync in flight is left for the next tick.
_CLAIM_DUE = """
WITH due AS (
    SELECT c.user_id
      FROM canvas_connections c
     WHERE c.status = 'active'
       AND coalesce(c.next_sync_at,
                    c.created_at + %(every)s * ((abs(hashtext(c.user_id::text)) %% 1000) / 1000.0)) <= %(now)s
       AND NOT EXISTS (SELECT 1 FROM canvas_sync_runs r
                        WHERE r.user_id = c.user_id AND r.status IN ('queued', 'running')
                          AND r.created_at > %(now)s - interval '1 day')
     ORDER BY c.next_sync_at NULLS FIRST
     LIMIT %(limit)s
       FOR UPDATE OF c SKIP LOCKED
), paced AS (
    SELECT d.user_id,
           CASE WHEN EXISTS (SELECT 1 FROM assignments a
                              WHERE a.user_id = d.user_id AND NOT a.submitted
                                AND a.due_at > %(now)s AND a.due_at <= %(now)s + %(soon)s)
                THEN %(soon_every)s ELSE %(every)s END AS period
      FROM due d
)
UPDATE canvas_connections c
   SET next_sync_at = %(now)s + p.period * (0.9 + 0.2 * random())
  FROM paced p
 WHERE c.user_id = p.user_id
RETURNING c.user_id
"""


def claim_due(
    conn: Conn, *, now: datetime, every: timedelta, soon: timedelta, soon_every: timedelta, limit: int
) -> list[uuid.UUID]:
    """The users whose sync is due now (at most `limit`), already moved to their next time."""
    params = {"now": now, "every": every, "soon": soon, "soon_every": soon_every, "limit": limit}
    return [row[0] for row in conn.execute(_CLAIM_DUE, params).fetchall()]


def mark_needs_reconnect(conn: Conn, *, user_id: uuid.UUID, reason: str) -> None:
    conn.execute(
        "UPDATE canvas_connections SET status = 'needs_reconnect', status_reason = %(reason)s, updated_at = now()"
        " WHERE user_id = %(user_id)s",
        {"user_id": user_id, "reason": reason[:500]},
    )
