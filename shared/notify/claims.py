"""The reminder claim: one INSERT ... ON CONFLICT DO NOTHING turns due assignments into deliveries.

The unique `dedupe_key` (user, assignment, window) is the claim, so two overlapping timers can
both run this and each reminder is still claimed once. Postgres builds each `notify.request`
body in the same statement, so 10,000 claims cost one round trip and no per-row Python work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from shared.platform.db import Conn

_MESSAGE = (
    "json_build_object('message_id', gen_random_uuid(), 'request_id', {request_id},"
    " 'delivery_id', d.id, 'user_id', d.user_id)::text"
)

CLAIM_REMINDERS = f"""
WITH candidate AS (
    SELECT a.id AS assignment_id, a.user_id, w.hours
    FROM assignments a
    LEFT JOIN notify_preferences p ON p.user_id = a.user_id
    CROSS JOIN LATERAL (
        SELECT min(h) AS hours
        FROM unnest(coalesce(p.windows_hours, %(default_windows)s::int[])) AS h
        WHERE a.due_at - make_interval(hours => h) <= %(now)s
    ) w
    WHERE NOT a.submitted
      AND a.due_at > %(now)s
      AND a.due_at <= %(now)s + make_interval(hours => %(horizon_hours)s)
      AND NOT coalesce(p.opted_out, false)
      AND w.hours IS NOT NULL
)
INSERT INTO notification_deliveries AS d
    (id, user_id, dedupe_key, status, kind, assignment_id, window_hours, send_at, claimed_at, request_id)
SELECT gen_random_uuid(), c.user_id, 'reminder:' || c.user_id || ':' || c.assignment_id || ':' || c.hours || 'h',
       'queued', 'reminder', c.assignment_id, c.hours, %(now)s, %(now)s, %(request_id)s
FROM candidate c
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING d.id, {_MESSAGE.format(request_id="d.request_id")}
"""

# Scheduled (custom) deliveries whose time came, and claims a crashed run never published.
CLAIM_DUE = f"""
UPDATE notification_deliveries d SET claimed_at = %(now)s
WHERE d.id IN (
    SELECT id FROM notification_deliveries
    WHERE status = 'queued' AND published_at IS NULL AND send_at <= %(now)s
      AND (claimed_at IS NULL OR claimed_at < %(now)s - make_interval(secs => %(reclaim_after_s)s))
    ORDER BY send_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING d.id, {_MESSAGE.format(request_id="coalesce(d.request_id, %(request_id)s)")}
"""

HORIZON = "SELECT coalesce(max(h), 0) FROM notify_preferences, unnest(windows_hours) AS h"


@dataclass(frozen=True)
class Claimed:
    delivery_ids: list[uuid.UUID]
    payloads: list[str]


def claim(conn: Conn, *, now: datetime, windows_hours: list[int], request_id: str, reclaim_after_s: int) -> Claimed:
    """Claim every reminder and scheduled email due at `now` (call, then commit, then publish)."""
    row = conn.execute(HORIZON).fetchone()
    horizon = max([*windows_hours, int(row[0]) if row else 0])
    params = {"now": now, "default_windows": windows_hours, "horizon_hours": horizon, "request_id": request_id}
    # Scheduled and lost claims first: run after the insert, it would wade through the fresh claims.
    rows = conn.execute(CLAIM_DUE, {**params, "reclaim_after_s": reclaim_after_s, "limit": 10_000}).fetchall()
    rows += conn.execute(CLAIM_REMINDERS, params).fetchall()
    return Claimed(delivery_ids=[r[0] for r in rows], payloads=[r[1] for r in rows])


def mark_published(conn: Conn, *, delivery_ids: list[uuid.UUID], now: datetime) -> None:
    conn.execute(
        "UPDATE notification_deliveries SET published_at = %(now)s WHERE id = ANY(%(ids)s)",
        {"now": now, "ids": delivery_ids},
    )
