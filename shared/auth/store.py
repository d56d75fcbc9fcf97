"""Raw SQL of the auth context: users, provider identities, sessions and login attempts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from shared.auth.principal import Role
from shared.platform.db import Conn


@dataclass(frozen=True)
class UserRow:
    id: uuid.UUID
    email: str
    display_name: str
    role: Role
    password_hash: str | None
    email_verified: bool


@dataclass(frozen=True)
class SessionRow:
    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    auth_method: str


_USER_COLUMNS = (
    "id, email::text AS email, display_name, role, password_hash, email_verified_at IS NOT NULL AS email_verified"
)


def user_by_email(conn: Conn, *, email: str) -> UserRow | None:
    sql = f"SELECT {_USER_COLUMNS} FROM users WHERE email = %(email)s"
    return conn.cursor(row_factory=class_row(UserRow)).execute(sql, {"email": email}).fetchone()


def user_by_id(conn: Conn, *, user_id: uuid.UUID) -> UserRow | None:
    sql = f"SELECT {_USER_COLUMNS} FROM users WHERE id = %(user_id)s"
    return conn.cursor(row_factory=class_row(UserRow)).execute(sql, {"user_id": user_id}).fetchone()


def insert_user(
    conn: Conn, *, user_id: uuid.UUID, email: str, display_name: str, password_hash: str | None,
    verified_at: datetime | None = None,
) -> bool:  # fmt: skip
    """Insert a user; False when the email (case-insensitive) is taken."""
    sql = """
    INSERT INTO users (id, email, display_name, password_hash, email_verified_at)
    VALUES (%(id)s, %(email)s, %(display_name)s, %(password_hash)s, %(verified_at)s)
    ON CONFLICT (email) DO NOTHING
    """
    params = {
        "id": user_id, "email": email, "display_name": display_name, "password_hash": password_hash,
        "verified_at": verified_at,
    }  # fmt: skip
    return conn.execute(sql, params).rowcount == 1


def set_password_hash(conn: Conn, *, user_id: uuid.UUID, password_hash: str) -> None:
    sql = "UPDATE users SET password_hash = %(hash)s, updated_at = now() WHERE id = %(user_id)s"
    conn.execute(sql, {"hash": password_hash, "user_id": user_id})


def user_by_identity(conn: Conn, *, provider: str, subject: str) -> UserRow | None:
    sql = """
    UPDATE user_identities SET last_login_at = now()
     WHERE provider = %(provider)s AND subject = %(subject)s
    RETURNING user_id
    """
    row = conn.execute(sql, {"provider": provider, "subject": subject}).fetchone()
    return None if row is None else user_by_id(conn, user_id=row[0])


def insert_identity(
    conn: Conn, *, provider: str, subject: str, user_id: uuid.UUID, issuer: str, email: str | None
) -> None:
    sql = """
    INSERT INTO user_identities (provider, subject, user_id, issuer, email)
    VALUES (%(provider)s, %(subject)s, %(user_id)s, %(issuer)s, %(email)s)
    """
    params = {"provider": provider, "subject": subject, "user_id": user_id, "issuer": issuer, "email": email}
    conn.execute(sql, params)


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


def record_login_attempt(conn: Conn, *, email: str, ip: str | None, succeeded: bool) -> None:
    sql = "INSERT INTO login_attempts (email, ip, succeeded) VALUES (%(email)s, %(ip)s, %(succeeded)s)"
    conn.execute(sql, {"email": email, "ip": ip, "succeeded": succeeded})
