"""Notification preferences: reminder windows, time zone override, opt-out (SQL and rules)."""

from __future__ import annotations

import uuid

from shared.notify.contracts import Preferences, PreferencesUpdate
from shared.platform.db import Conn

READ = """
SELECT p.windows_hours, coalesce(p.time_zone, u.time_zone), coalesce(p.opted_out, false)
FROM users u LEFT JOIN notify_preferences p ON p.user_id = u.id
WHERE u.id = %(user_id)s
"""

UPSERT = """
INSERT INTO notify_preferences (user_id, windows_hours, time_zone, opted_out)
VALUES (%(user_id)s, %(windows_hours)s, %(time_zone)s, coalesce(%(opted_out)s, false))
ON CONFLICT (user_id) DO UPDATE SET
    windows_hours = CASE WHEN %(set_windows)s THEN EXCLUDED.windows_hours ELSE notify_preferences.windows_hours END,
    time_zone = coalesce(%(time_zone)s, notify_preferences.time_zone),
    opted_out = coalesce(%(opted_out)s, notify_preferences.opted_out),
    updated_at = now()
"""


def read(conn: Conn, *, user_id: uuid.UUID, default_windows: list[int]) -> Preferences | None:
    row = conn.execute(READ, {"user_id": user_id}).fetchone()
    if row is None:
        return None
    windows, time_zone, opted_out = row
    return Preferences(windows_hours=windows or default_windows, time_zone=time_zone, opted_out=opted_out)


def update(conn: Conn, *, user_id: uuid.UUID, change: PreferencesUpdate) -> None:
    conn.execute(
        UPSERT,
        {
            "user_id": user_id,
            "windows_hours": change.windows_hours,
            "set_windows": "windows_hours" in change.model_fields_set,
            "time_zone": change.time_zone,
            "opted_out": change.opted_out,
        },
    )
