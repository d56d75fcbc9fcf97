"""The auth store: the port the use cases take, and its Postgres adapter over the SQL modules.

Each method is one transaction, so the steps that must happen together (redeem a reset token,
set the password, end every session) are one method here, not a sequence in a use case.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Protocol

from psycopg_pool import ConnectionPool

from shared.auth.store import sessions, tokens, users
from shared.auth.store.sessions import LiveSessionRow, SessionRow
from shared.auth.store.tokens import Purpose, Redeemed
from shared.auth.store.users import UserRow
from shared.platform.db import Conn


class AuthStore(Protocol):
    def user_by_email(self, *, email: str) -> UserRow | None: ...

    def user_by_id(self, *, user_id: uuid.UUID) -> UserRow | None: ...

    def create_user(
        self, *, user_id: uuid.UUID, email: str, display_name: str, password_hash: str | None,
        verified_at: datetime | None = None,
    ) -> UserRow | None:  # fmt: skip
        """The new user; None when the email (case-insensitive) is taken."""
        ...

    def set_password_hash(self, *, user_id: uuid.UUID, password_hash: str) -> None: ...

    def record_login_attempt(self, *, email: str, ip: str | None, succeeded: bool) -> None: ...

    def user_by_identity(self, *, provider: str, subject: str) -> UserRow | None:
        """The user linked to this provider account (its last login moves to now)."""
        ...

    def create_identity_user(
        self, *, user_id: uuid.UUID, email: str, display_name: str, verified_at: datetime | None, provider: str,
        subject: str, issuer: str, identity_email: str | None,
    ) -> UserRow | None:  # fmt: skip
        """A new user linked to the provider account; None when the email is taken."""
        ...

    def insert_session(
        self, *, session_id: uuid.UUID, user_id: uuid.UUID, token_hash: bytes, now: datetime,
        expires_at: datetime, auth_method: str, user_agent: str, ip: str | None,
    ) -> None: ...  # fmt: skip

    def revoke_session(self, *, session_id: uuid.UUID, now: datetime) -> None: ...

    def session_by_id(self, *, session_id: uuid.UUID) -> SessionRow | None: ...

    def live_sessions(self, *, user_id: uuid.UUID, now: datetime, idle_cutoff: datetime) -> list[LiveSessionRow]: ...

    def revoke_user_session(self, *, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> bool: ...

    def change_password(self, *, user_id: uuid.UUID, password_hash: str, now: datetime, keep: uuid.UUID | None) -> int:
        """Set the hash and end every session of the user but `keep`; the number ended."""
        ...

    def issue_token(
        self, *, user_id: uuid.UUID, purpose: Purpose, email: str, now: datetime, ttl: timedelta
    ) -> str: ...

    def verify_email(self, *, token: str, now: datetime) -> Redeemed | None:
        """Redeem a verification token and mark its address verified; None for a bad token."""
        ...

    def reset_password(self, *, token: str, password_hash: str, now: datetime) -> tuple[Redeemed, int] | None:
        """Redeem a reset token, set the hash, verify the address, end every session (how many)."""
        ...


class PostgresAuthStore:
    """`AuthStore` over the connection pool: one connection, one transaction per method."""

    def __init__(self, pool: ConnectionPool[Conn]) -> None:
        self._pool = pool

    def user_by_email(self, *, email: str) -> UserRow | None:
        with self._pool.connection() as conn:
            return users.user_by_email(conn, email=email)

    def user_by_id(self, *, user_id: uuid.UUID) -> UserRow | None:
        with self._pool.connection() as conn:
            return users.user_by_id(conn, user_id=user_id)

    def create_user(
        self, *, user_id: uuid.UUID, email: str, display_name: str, password_hash: str | None,
        verified_at: datetime | None = None,
    ) -> UserRow | None:  # fmt: skip
        with self._pool.connection() as conn:
            created = users.insert_user(
                conn, user_id=user_id, email=email, display_name=display_name, password_hash=password_hash,
                verified_at=verified_at,
            )  # fmt: skip
            return users.user_by_id(conn, user_id=user_id) if created else None

    def set_password_hash(self, *, user_id: uuid.UUID, password_hash: str) -> None:
        with self._pool.connection() as conn:
            users.set_password_hash(conn, user_id=user_id, password_hash=password_hash)

    def record_login_attempt(self, *, email: str, ip: str | None, succeeded: bool) -> None:
        with self._pool.connection() as conn:
            users.record_login_attempt(conn, email=email, ip=ip, succeeded=succeeded)

    def user_by_identity(self, *, provider: str, subject: str) -> UserRow | None:
        with self._pool.connection() as conn:
            return users.user_by_identity(conn, provider=provider, subject=subject)

    def create_identity_user(
        self, *, user_id: uuid.UUID, email: str, display_name: str, verified_at: datetime | None, provider: str,
        subject: str, issuer: str, identity_email: str | None,
    ) -> UserRow | None:  # fmt: skip
        with self._pool.connection() as conn:
            if not users.insert_user(
                conn, user_id=user_id, email=email, display_name=display_name, password_hash=None,
                verified_at=verified_at,
            ):  # fmt: skip
                return None
            users.insert_identity(
                conn, provider=provider, subject=subject, user_id=user_id, issuer=issuer, email=identity_email
            )
            return users.user_by_id(conn, user_id=user_id)

    def insert_session(
        self, *, session_id: uuid.UUID, user_id: uuid.UUID, token_hash: bytes, now: datetime,
        expires_at: datetime, auth_method: str, user_agent: str, ip: str | None,
    ) -> None:  # fmt: skip
        with self._pool.connection() as conn:
            sessions.insert_session(
                conn, session_id=session_id, user_id=user_id, token_hash=token_hash, now=now, expires_at=expires_at,
                auth_method=auth_method, user_agent=user_agent, ip=ip,
            )  # fmt: skip

    def revoke_session(self, *, session_id: uuid.UUID, now: datetime) -> None:
        with self._pool.connection() as conn:
            sessions.revoke_session(conn, session_id=session_id, now=now)

    def session_by_id(self, *, session_id: uuid.UUID) -> SessionRow | None:
        with self._pool.connection() as conn:
            return sessions.session_by_id(conn, session_id=session_id)

    def live_sessions(self, *, user_id: uuid.UUID, now: datetime, idle_cutoff: datetime) -> list[LiveSessionRow]:
        with self._pool.connection() as conn:
            return sessions.live_sessions(conn, user_id=user_id, now=now, idle_cutoff=idle_cutoff)

    def revoke_user_session(self, *, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> bool:
        with self._pool.connection() as conn:
            return sessions.revoke_user_session(conn, user_id=user_id, session_id=session_id, now=now)

    def change_password(self, *, user_id: uuid.UUID, password_hash: str, now: datetime, keep: uuid.UUID | None) -> int:
        with self._pool.connection() as conn:
            users.set_password_hash(conn, user_id=user_id, password_hash=password_hash)
            return sessions.revoke_user_sessions(conn, user_id=user_id, now=now, keep=keep)

    def issue_token(self, *, user_id: uuid.UUID, purpose: Purpose, email: str, now: datetime, ttl: timedelta) -> str:
        with self._pool.connection() as conn:
            return tokens.issue(conn, user_id=user_id, purpose=purpose, email=email, now=now, ttl=ttl)

    def verify_email(self, *, token: str, now: datetime) -> Redeemed | None:
        with self._pool.connection() as conn:
            redeemed = tokens.redeem(conn, token=token, purpose="verify_email", now=now)
            if redeemed is not None:
                tokens.mark_verified(conn, user_id=redeemed.user_id, email=redeemed.email, now=now)
            return redeemed

    def reset_password(self, *, token: str, password_hash: str, now: datetime) -> tuple[Redeemed, int] | None:
        with self._pool.connection() as conn:
            redeemed = tokens.redeem(conn, token=token, purpose="reset_password", now=now)
            if redeemed is None:
                return None
            users.set_password_hash(conn, user_id=redeemed.user_id, password_hash=password_hash)
            tokens.mark_verified(conn, user_id=redeemed.user_id, email=redeemed.email, now=now)
            return redeemed, sessions.revoke_user_sessions(conn, user_id=redeemed.user_id, now=now)
