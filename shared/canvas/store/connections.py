"""SQL for Canvas connections, OAuth states and token-key usage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from shared.platform.db import Conn


@dataclass(frozen=True)
class ConnectionRow:
    user_id: uuid.UUID
    base_url: str
    canvas_user_id: int | None
    canvas_user_name: str
    key_id: str
    access_token_ct: bytes
    refresh_token_ct: bytes | None
    access_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    status: str = "active"
    status_reason: str | None = None


def save_connection(conn: Conn, row: ConnectionRow) -> None:
    conn.execute(
        "INSERT INTO canvas_connections (user_id, base_url, canvas_user_id, canvas_user_name, key_id,"
        " access_token_ct, refresh_token_ct, access_expires_at, created_at, updated_at)"
        " VALUES (%(user_id)s, %(base_url)s, %(canvas_user_id)s, %(canvas_user_name)s, %(key_id)s,"
        " %(access_token_ct)s, %(refresh_token_ct)s, %(access_expires_at)s, %(created_at)s, %(updated_at)s)"
        " ON CONFLICT (user_id) DO UPDATE SET base_url = EXCLUDED.base_url,"
        " canvas_user_id = EXCLUDED.canvas_user_id, canvas_user_name = EXCLUDED.canvas_user_name,"
        " key_id = EXCLUDED.key_id, access_token_ct = EXCLUDED.access_token_ct,"
        " refresh_token_ct = EXCLUDED.refresh_token_ct, access_expires_at = EXCLUDED.access_expires_at,"
        " updated_at = EXCLUDED.updated_at, status = 'active', status_reason = NULL",
        vars(row),
    )


def get_connection(conn: Conn, *, user_id: uuid.UUID, for_update: bool = False) -> ConnectionRow | None:
    lock = " FOR UPDATE" if for_update else ""
    with conn.cursor(row_factory=class_row(ConnectionRow)) as cur:
        cur.execute(
            "SELECT user_id, base_url, canvas_user_id, canvas_user_name, key_id, access_token_ct,"
            " refresh_token_ct, access_expires_at, created_at, updated_at, status, status_reason"
            f" FROM canvas_connections WHERE user_id = %(user_id)s{lock}",
            {"user_id": user_id},
        )
        return cur.fetchone()


def delete_connection(conn: Conn, *, user_id: uuid.UUID) -> bool:
    cursor = conn.execute("DELETE FROM canvas_connections WHERE user_id = %(user_id)s", {"user_id": user_id})
    return cursor.rowcount > 0


def count_encryptions(conn: Conn, *, key_id: str, count: int) -> int:
    """Add to the key's encryption counter; returns the new total (rotate well before 2**32)."""
    row = conn.execute(
        "INSERT INTO token_key_usage (key_id, encryptions) VALUES (%(key_id)s, %(count)s)"
        " ON CONFLICT (key_id) DO UPDATE SET encryptions = token_key_usage.encryptions + EXCLUDED.encryptions"
        " RETURNING encryptions",
        {"key_id": key_id, "count": count},
    ).fetchone()
    return int(row[0]) if row else count


def save_state(conn: Conn, *, state_hash: bytes, user_id: uuid.UUID, expires_at: datetime) -> None:
    conn.execute(
        "DELETE FROM canvas_oauth_states WHERE user_id = %(user_id)s AND expires_at < now()", {"user_id": user_id}
    )
    conn.execute(
        "INSERT INTO canvas_oauth_states (state_hash, user_id, expires_at)"
        " VALUES (%(state_hash)s, %(user_id)s, %(expires_at)s)",
        {"state_hash": state_hash, "user_id": user_id, "expires_at": expires_at},
    )


def take_state(conn: Conn, *, state_hash: bytes, now: datetime) -> uuid.UUID | None:
    """Consume a state (single use); the user it was issued to, or None if unknown or expired."""
    row = conn.execute(
        "DELETE FROM canvas_oauth_states WHERE state_hash = %(state_hash)s RETURNING user_id, expires_at",
        {"state_hash": state_hash},
    ).fetchone()
    if row is None or row[1] <= now:
        return None
    user_id: uuid.UUID = row[0]
    return user_id
