"""Session rows: look up a live session by the hash of its token."""

from __future__ import annotations

from shared.auth.principal import Principal
from shared.auth.tokens import hash_token
from shared.container import Container

_LOOKUP = """
UPDATE sessions s SET last_seen_at = now()
  FROM users u
 WHERE s.token_hash = %(token_hash)s AND u.id = s.user_id
   AND s.revoked_at IS NULL AND s.expires_at > now()
RETURNING u.id, u.email, u.role
"""


def principal_for_token(container: Container, token: str) -> Principal | None:
    with container.db.connection() as conn:
        row = conn.execute(_LOOKUP, {"token_hash": hash_token(token)}).fetchone()
    if row is None:
        return None
    user_id, email, role = row
    return Principal(user_id=user_id, email=str(email), role=role)
