"""Session rows: look up a live session by the hash of its token, or by id for a bearer JWT.

A session is live when it is not revoked, its absolute expiry is ahead, and it was used within
the idle timeout. A successful lookup moves `last_seen_at` (at most once a minute), which is
what the idle timeout measures. Times come from the container's clock so expiry rules are testable.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from shared.auth.contracts import Principal
from shared.auth.tokens import hash_token
from shared.container import Container
from shared.platform.db import AsyncConn, async_reading, reading

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


def principal_for_token(container: Container, token: str) -> Principal | None:
    return _lookup(container, _BY_TOKEN, {"token_hash": hash_token(token)})


def principal_for_session(container: Container, *, session_id: uuid.UUID, user_id: uuid.UUID) -> Principal | None:
    return _lookup(container, _BY_ID, {"session_id": session_id, "user_id": user_id})


async def principal_for_token_async(container: Container, token: str) -> Principal | None:
    """`principal_for_token` on the running loop's async pool (the gateway's read paths)."""
    return await _lookup_async(container, _BY_TOKEN, {"token_hash": hash_token(token)})


async def principal_for_session_async(
    container: Container, *, session_id: uuid.UUID, user_id: uuid.UUID
) -> Principal | None:
    return await _lookup_async(container, _BY_ID, {"session_id": session_id, "user_id": user_id})


async def principal_for_token_on(conn: AsyncConn, container: Container, token: str) -> Principal | None:
    """`principal_for_token_async` on a connection the caller holds (the request's one connection)."""
    return await _lookup_on(conn, container, _BY_TOKEN, {"token_hash": hash_token(token)})


async def principal_for_session_on(
    conn: AsyncConn, container: Container, *, session_id: uuid.UUID, user_id: uuid.UUID
) -> Principal | None:
    return await _lookup_on(conn, container, _BY_ID, {"session_id": session_id, "user_id": user_id})


def _lookup(container: Container, sql: str, params: dict[str, Any]) -> Principal | None:
    with reading(container.db) as conn:  # one statement: the lookup and its touch commit together
        row = conn.execute(sql, _with_bounds(container, params)).fetchone()
    return _principal(row)


async def _lookup_async(container: Container, sql: str, params: dict[str, Any]) -> Principal | None:
    async with async_reading(await container.async_db()) as conn:
        return await _lookup_on(conn, container, sql, params)


async def _lookup_on(conn: AsyncConn, container: Container, sql: str, params: dict[str, Any]) -> Principal | None:
    # One statement in autocommit: the lookup and its touch commit together.
    cursor = await conn.execute(sql, _with_bounds(container, params))
    return _principal(await cursor.fetchone())


def _with_bounds(container: Container, params: dict[str, Any]) -> dict[str, Any]:
    now = container.clock.now()
    idle = timedelta(minutes=container.settings.session_idle_minutes)
    return {**params, "now": now, "idle_cutoff": now - idle, "touch_before": now - TOUCH_EVERY}


def _principal(row: tuple[Any, ...] | None) -> Principal | None:
    if row is None:
        return None
    user_id, email, role, session_id = row
    return Principal(user_id=user_id, email=str(email), role=role, session_id=session_id)
