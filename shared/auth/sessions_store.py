"""Session rows: look up a live session by the hash of its token, or by id for a bearer JWT.

A session is live when it is not revoked, its absolute expiry is ahead, and it was used within
the idle timeout. A successful lookup moves `last_seen_at` (at most once a minute), which is
what the idle timeout measures. The caller says what "live" means now (`Liveness`: the time, from
the container's clock so expiry rules are testable, and the idle timeout).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

from shared.auth.contracts import Principal
from shared.auth.tokens import hash_token
from shared.platform.db import AsyncConn, Conn, reading

_LIVE = """
WITH live AS (
    SELECT s.id, s.last_seen_at, u.id AS user_id, u.email::text AS email, u.role
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE {match}
       AND s.revoked_at IS NULL AND s.expires_at > %(now)s AND s.last_seen_at > %(idle_cutoff)s
), touched AS (
    UPDATE sessions SET last_seen_at = %(now)s
     WHERE id IN (SELECT id FROM live WHERE last_seen_at < %(touch_before)s)
)
SELECT user_id, email, role, id FROM live
"""
# `last_seen_at` moves at most once a minute: a lookup that writes nothing commits without
# waiting for a WAL flush, which is most of an authenticated read's cost. The idle timeout is
# therefore measured to within a minute.
TOUCH_EVERY = timedelta(minutes=1)
_BY_TOKEN = _LIVE.format(match="s.token_hash = %(token_hash)s")
_BY_ID = _LIVE.format(match="s.id = %(session_id)s AND s.user_id = %(user_id)s")


@dataclass(frozen=True)
class Liveness:
    """What makes a session live at a moment: the time now and the idle timeout."""

    now: datetime
    idle: timedelta

    def bounds(self) -> dict[str, datetime]:
        return {"now": self.now, "idle_cutoff": self.now - self.idle, "touch_before": self.now - TOUCH_EVERY}


def principal_for_token(db: ConnectionPool[Conn], token: str, *, live: Liveness) -> Principal | None:
    return _lookup(db, _BY_TOKEN, {"token_hash": hash_token(token)}, live)


def principal_for_session(
    db: ConnectionPool[Conn], *, session_id: uuid.UUID, user_id: uuid.UUID, live: Liveness
) -> Principal | None:
    return _lookup(db, _BY_ID, {"session_id": session_id, "user_id": user_id}, live)


async def principal_for_token_on(conn: AsyncConn, token: str, *, live: Liveness) -> Principal | None:
    """`principal_for_token` on an async connection the caller holds (the gateway's, on the loop)."""
    return await _lookup_on(conn, _BY_TOKEN, {"token_hash": hash_token(token)}, live)


async def principal_for_session_on(
    conn: AsyncConn, *, session_id: uuid.UUID, user_id: uuid.UUID, live: Liveness
) -> Principal | None:
    return await _lookup_on(conn, _BY_ID, {"session_id": session_id, "user_id": user_id}, live)


def _lookup(db: ConnectionPool[Conn], sql: str, params: dict[str, Any], live: Liveness) -> Principal | None:
    with reading(db) as conn:  # one statement: the lookup and its touch commit together
        row = conn.execute(sql, {**params, **live.bounds()}).fetchone()
    return _principal(row)


async def _lookup_on(conn: AsyncConn, sql: str, params: dict[str, Any], live: Liveness) -> Principal | None:
    # One statement in autocommit: the lookup and its touch commit together.
    cursor = await conn.execute(sql, {**params, **live.bounds()})
    return _principal(await cursor.fetchone())


def _principal(row: tuple[Any, ...] | None) -> Principal | None:
    if row is None:
        return None
    user_id, email, role, session_id = row
    return Principal(user_id=user_id, email=str(email), role=role, session_id=session_id)
