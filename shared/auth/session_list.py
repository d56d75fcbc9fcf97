"""SQL for the list of a user's sessions, and for ending some or all of them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from shared.platform.db import Conn


@dataclass(frozen=True)
class LiveSessionRow:
    id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    auth_method: str
    user_agent: str
    ip: str | None


def revoke_user_sessions(conn: Conn, *, user_id: uuid.UUID, now: datetime, keep: uuid.UUID | None = None) -> int:
    """Revoke every live session of the user but `keep`; the number revoked."""
    sql = """
    UPDATE sessions SET revoked_at = %(now)s
     WHERE user_id = %(user_id)s AND revoked_at IS NULL AND id IS DISTINCT FROM %(keep)s
    """
    return conn.execute(sql, {"user_id": user_id, "now": now, "keep": keep}).rowcount


def revoke_user_session(conn: Conn, *, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> bool:
    """Revoke one of the user's own live sessions; False when it is not theirs or already over."""
    sql = """
    UPDATE sessions SET revoked_at = %(now)s
     WHERE id = %(id)s AND user_id = %(user_id)s AND revoked_at IS NULL AND expires_at > %(now)s
    """
    return conn.execute(sql, {"id": session_id, "user_id": user_id, "now": now}).rowcount == 1


def live_sessions(conn: Conn, *, user_id: uuid.UUID, now: datetime, idle_cutoff: datetime) -> list[LiveSessionRow]:
    sql = """
    SELECT id, created_at, last_seen_at, expires_at, auth_method, user_agent, host(ip) AS ip FROM sessions
     WHERE user_id = %(user_id)s AND revoked_at IS NULL AND expires_at > %(now)s AND last_seen_at > %(idle)s
     ORDER BY last_seen_at DESC
    """
    params = {"user_id": user_id, "now": now, "idle": idle_cutoff}
    return conn.cursor(row_factory=class_row(LiveSessionRow)).execute(sql, params).fetchall()
