"""Single-use tokens mailed to a user (email verification, password reset): only hashes are stored.

A token is redeemed once: the UPDATE that marks it used is the check, so two requests racing
with the same token cannot both succeed. A token only counts while the account's address is
still the one it was mailed to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared.auth.tokens import hash_token, new_session_token
from shared.platform.db import Conn

Purpose = Literal["verify_email", "reset_password"]

_ISSUE = """
INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at)
VALUES (%(hash)s, %(user_id)s, %(purpose)s, %(email)s, %(now)s, %(expires_at)s)
"""
_REDEEM = """
UPDATE account_tokens t SET used_at = %(now)s
  FROM users u
 WHERE t.token_hash = %(hash)s AND t.purpose = %(purpose)s AND t.used_at IS NULL
   AND t.expires_at > %(now)s AND u.id = t.user_id AND u.email = t.email
RETURNING t.user_id, t.email::text
"""
# Issuing a new token of a purpose retires the older ones: only the latest email's link works.
_RETIRE = """
UPDATE account_tokens SET used_at = %(now)s
 WHERE user_id = %(user_id)s AND purpose = %(purpose)s AND used_at IS NULL
"""


@dataclass(frozen=True)
class Redeemed:
    user_id: uuid.UUID
    email: str


def issue(conn: Conn, *, user_id: uuid.UUID, purpose: Purpose, email: str, now: datetime, ttl: timedelta) -> str:
    """A fresh token for `email`; the caller mails it and never stores it."""
    token = new_session_token()
    conn.execute(_RETIRE, {"user_id": user_id, "purpose": purpose, "now": now})
    params = {
        "hash": hash_token(token), "user_id": user_id, "purpose": purpose, "email": email, "now": now,
        "expires_at": now + ttl,
    }  # fmt: skip
    conn.execute(_ISSUE, params)
    return token


def redeem(conn: Conn, *, token: str, purpose: Purpose, now: datetime) -> Redeemed | None:
    """Use the token up; None when it is unknown, used, expired, or for another address."""
    row = conn.execute(_REDEEM, {"hash": hash_token(token), "purpose": purpose, "now": now}).fetchone()
    return None if row is None else Redeemed(user_id=row[0], email=str(row[1]))


def mark_verified(conn: Conn, *, user_id: uuid.UUID, email: str, now: datetime) -> None:
    sql = """
    UPDATE users SET email_verified_at = coalesce(email_verified_at, %(now)s), updated_at = now()
     WHERE id = %(user_id)s AND email = %(email)s
    """
    conn.execute(sql, {"user_id": user_id, "email": email, "now": now})
