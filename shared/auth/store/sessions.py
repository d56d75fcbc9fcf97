"""SQL on sessions: open one, read one, list a user's live ones, end some or all of them.

(Looking a live session up by its token, for every request, is `shared.auth.sessions_store`.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from shared.platform.db import Conn


@dataclass(frozen=True)
class SessionRow:
    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    auth_method: str


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


def insert_session(
    conn: Conn, *, session_id: uuid.UUID, user_id: uuid.UUID, token_hash: bytes, now: datetime,
    expires_at: datetime, auth_method: str, user_agent: str, ip: str | None,
) -> None:  # fmt: skip
    sql = """
    INSERT INTO sessions (id, user_id, token_hash, created_at, last_seen_at, expires_at, auth_method, user_agent, ip)
    VALUES (%(id)s, %(user_id)s, %(token_hash)s, %(now)s, %(now)s, %(expires_at)s, %(auth_method)s,
            %(user_agent)s, %(ip)s)
    """
    params = {
        "id": session_id, "user_id": user_id, "token_hash": token_hash, "now": now, "expires_at": expires_at,
        "auth_method": auth_method, "user_agent": user_agent[:512], "ip": ip,
    }  # fmt: skip
    conn.execute(sql, params)


def revoke_session(conn: Conn, *, session_id: uuid.UUID, now: datetime) -> None:
    sql = "UPDATE sessions SET revoked_at = %(now)s WHERE id = %(id)s AND revoked_at IS NULL"
    conn.execute(sql, {"id": session_id, "now": now})


def session_by_id(conn: Conn, *, session_id: uuid.UUID) -> SessionRow | None:
    sql = "SELECT id, user_id, created_at, last_seen_at, expires_at, auth_method FROM sessions WHERE id = %(id)s"
    return conn.cursor(row_factory=class_row(SessionRow)).execute(sql, {"id": session_id}).fetchone()
