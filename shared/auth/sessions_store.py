"""Session rows: look up a live session by the hash of its token, or by id for a bearer JWT.

A session is live when it is not revoked, its absolute expiry is ahead, and it was used within
the idle timeout. Every successful lookup moves `last_seen_at`, which is what the idle timeout
measures. Times come from the container's clock so expiry rules are testable.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from shared.auth.principal import Principal
from shared.auth.tokens import hash_token
from shared.container import Container

_LIVE = """
UPDATE sessions s SET last_seen_at = %(now)s
  FROM users u
 WHERE {match} AND u.id = s.user_id
   AND s.revoked_at IS NULL AND s.expires_at > %(now)s AND s.last_seen_at > %(idle_cutoff)s
RETURNING u.id, u.email::text, u.role, s.id
"""
_BY_TOKEN = _LIVE.format(match="s.token_hash = %(token_hash)s")
_BY_ID = _LIVE.format(match="s.id = %(session_id)s AND s.user_id = %(user_id)s")


def principal_for_token(container: Container, token: str) -> Principal | None:
    return _lookup(container, _BY_TOKEN, {"token_hash": hash_token(token)})


def principal_for_session(container: Container, *, session_id: uuid.UUID, user_id: uuid.UUID) -> Principal | None:
    return _lookup(container, _BY_ID, {"session_id": session_id, "user_id": user_id})


def _lookup(container: Container, sql: str, params: dict[str, Any]) -> Principal | None:
    now = container.clock.now()
    idle = timedelta(minutes=container.settings.session_idle_minutes)
    with container.db.connection() as conn:
        row = conn.execute(sql, {**params, "now": now, "idle_cutoff": now - idle}).fetchone()
    if row is None:
        return None
    user_id, email, role, session_id = row
    return Principal(user_id=user_id, email=str(email), role=role, session_id=session_id)
