"""Reminder claims: one INSERT ... ON CONFLICT DO NOTHING turns due assignments into deliveries.

The unique `dedupe_key` (user, assignment, window) is the claim: two overlapping timers can
both run it and each reminder is still claimed once. Claims are made up to a look-ahead
before their window opens (`send_at` = the window's edge), so at the edge the check only reads
and publishes rows that already exist: the costly inserts happen a tick earlier, off the path
between "the check starts" and "the message is on the stream". Postgres builds each
`notify.request` body when it makes the claim and stores it (`payload`), so at the edge 10,000
messages are one plain read, with no per-row JSON or Python work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.platform.db import Conn

_MESSAGE = (
    "json_build_object('message_id', gen_random_uuid(), 'request_id', coalesce({row}.request_id, %(request_id)s),"
    " 'delivery_id', {row}.id, 'user_id', {row}.user_id)::text"
)

# The smallest window whose edge is at or before `until` (now + look-ahead), for unsubmitted
# work not yet due and not claimed yet: the one reminder that matters for each assignment.
# The NOT EXISTS skips what earlier runs claimed before any message is built; ON CONFLICT still
# decides between two runs racing for the same row.
CLAIM = f"""
WITH candidate AS (
    SELECT a.id AS assignment_id, a.user_id, w.hours, a.due_at - make_interval(hours => w.hours) AS edge,
           'reminder:' || a.user_id || ':' || a.id || ':' || w.hours || 'h' AS dedupe_key
    FROM assignments a
    LEFT JOIN notify_preferences p ON p.user_id = a.user_id
    CROSS JOIN LATERAL (
        SELECT min(h) AS hours
        FROM unnest(coalesce(p.windows_hours, %(default_windows)s::int[])) AS h
        WHERE a.due_at - make_interval(hours => h) <= %(until)s
    ) w
    WHERE NOT a.submitted
      AND a.due_at > %(now)s
      AND a.due_at <= %(until)s + make_interval(hours => %(horizon_hours)s)
      AND NOT coalesce(p.opted_out, false)
      AND w.hours IS NOT NULL
),
fresh AS (
    SELECT gen_random_uuid() AS id, c.*, %(request_id)s::text AS request_id
    FROM candidate c
    WHERE NOT EXISTS (SELECT 1 FROM notification_deliveries x WHERE x.dedupe_key = c.dedupe_key)
)
INSERT INTO notification_deliveries AS d
    (id, user_id, dedupe_key, status, kind, assignment_id, window_hours, send_at, claimed_at, request_id, payload)
SELECT f.id, f.user_id, f.dedupe_key, 'queued', 'reminder', f.assignment_id, f.hours, greatest(f.edge, %(now)s),
       %(now)s, f.request_id, {_MESSAGE.format(row="f")}
FROM fresh f
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING d.id, d.send_at <= %(now)s AS due, d.payload
"""

# Everything whose time has come and that no run has published yet: claims made ahead (their
# body prepared), scheduled (custom) emails, and claims a crashed run left behind.
DUE = f"""
SELECT d.id, true AS due, coalesce(d.payload, {_MESSAGE.format(row="d")})
FROM notification_deliveries d
WHERE d.status = 'queued' AND d.published_at IS NULL AND d.send_at <= %(now)s
ORDER BY d.send_at
LIMIT %(limit)s
"""

HORIZON = "SELECT coalesce(max(h), 0) FROM notify_preferences, unnest(windows_hours) AS h"


@dataclass(frozen=True)
class Batch:
    delivery_ids: list[uuid.UUID]
    payloads: list[str]


def _batch(rows: list[tuple[uuid.UUID, bool, str]]) -> Batch:
    due = [row for row in rows if row[1]]
    return Batch(delivery_ids=[row[0] for row in due], payloads=[row[2] for row in due])


def due_now(conn: Conn, *, now: datetime, request_id: str, limit: int = 50_000) -> Batch:
    return _batch(conn.execute(DUE, {"now": now, "request_id": request_id, "limit": limit}).fetchall())


def claim(
    conn: Conn, *, now: datetime, windows_hours: list[int], request_id: str, look_ahead: timedelta
) -> tuple[Batch, int]:
    """Claim reminders whose window opens by `now + look_ahead`; returns (due now, made ahead count)."""
    row = conn.execute(HORIZON).fetchone()
    horizon = max([*windows_hours, int(row[0]) if row else 0])
    params = {
        "now": now,
        "until": now + look_ahead,
        "default_windows": windows_hours,
        "horizon_hours": horizon,
        "request_id": request_id,
    }
    rows = conn.execute(CLAIM, params).fetchall()
    batch = _batch(rows)
    return batch, len(rows) - len(batch.payloads)


def mark_published(conn: Conn, *, delivery_ids: list[uuid.UUID], now: datetime) -> None:
    conn.execute(
        "UPDATE notification_deliveries SET published_at = %(now)s WHERE id = ANY(%(ids)s)",
        {"now": now, "ids": delivery_ids},
    )
