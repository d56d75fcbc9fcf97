"""SQL on users, their provider identities and the login attempts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg.rows import class_row

from shared.auth.contracts import Role
from shared.platform.db import Conn


@dataclass(frozen=True)
class UserRow:
    id: uuid.UUID
    email: str
    display_name: str
    role: Role
    password_hash: str | None
    email_verified: bool


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


def record_login_attempt(conn: Conn, *, email: str, ip: str | None, succeeded: bool) -> None:
    sql = "INSERT INTO login_attempts (email, ip, succeeded) VALUES (%(email)s, %(ip)s, %(succeeded)s)"
    conn.execute(sql, {"email": email, "ip": ip, "succeeded": succeeded})
