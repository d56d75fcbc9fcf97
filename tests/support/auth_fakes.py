"""An in-memory `AuthStore` for the auth use cases' unit tests: the tables as dicts of plain rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared.auth.store import AuthStore
from shared.auth.store.sessions import LiveSessionRow, SessionRow
from shared.auth.store.tokens import Purpose, Redeemed
from shared.auth.store.users import UserRow
from shared.auth.tokens import hash_token, new_session_token


@dataclass
class StoredSession:
    row: SessionRow
    token_hash: bytes
    user_agent: str
    ip: str | None
    revoked_at: datetime | None = None


@dataclass
class StoredToken:
    user_id: uuid.UUID
    purpose: Purpose
    email: str
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class LoginAttempt:
    email: str
    ip: str | None
    succeeded: bool


class MemoryAuthStore:
    """Users, identities, sessions, emailed tokens and login attempts, as the SQL keeps them."""

    def __init__(self) -> None:
        self.users: dict[uuid.UUID, UserRow] = {}
        self.identities: dict[tuple[str, str], uuid.UUID] = {}
        self.sessions: dict[uuid.UUID, StoredSession] = {}
        self.tokens: dict[bytes, StoredToken] = {}
        self.attempts: list[LoginAttempt] = []

    def user_by_email(self, *, email: str) -> UserRow | None:
        return next((u for u in self.users.values() if u.email.casefold() == email.casefold()), None)

    def user_by_id(self, *, user_id: uuid.UUID) -> UserRow | None:
        return self.users.get(user_id)

    def create_user(
        self, *, user_id: uuid.UUID, email: str, display_name: str, password_hash: str | None,
        verified_at: datetime | None = None,
    ) -> UserRow | None:  # fmt: skip
        if self.user_by_email(email=email) is not None:
            return None
        row = UserRow(user_id, email, display_name, "student", password_hash, verified_at is not None)
        self.users[user_id] = row
        return row

    def set_password_hash(self, *, user_id: uuid.UUID, password_hash: str) -> None:
        self.users[user_id] = replace(self.users[user_id], password_hash=password_hash)

    def record_login_attempt(self, *, email: str, ip: str | None, succeeded: bool) -> None:
        self.attempts.append(LoginAttempt(email, ip, succeeded))

    def user_by_identity(self, *, provider: str, subject: str) -> UserRow | None:
        user_id = self.identities.get((provider, subject))
        return None if user_id is None else self.users.get(user_id)

    def create_identity_user(
        self, *, user_id: uuid.UUID, email: str, display_name: str, verified_at: datetime | None, provider: str,
        subject: str, issuer: str, identity_email: str | None,
    ) -> UserRow | None:  # fmt: skip
        del issuer, identity_email  # kept by the SQL for audits; no use case reads them back
        created = self.create_user(
            user_id=user_id, email=email, display_name=display_name, password_hash=None, verified_at=verified_at
        )
        if created is not None:
            self.identities[(provider, subject)] = user_id
        return created

    def insert_session(
        self, *, session_id: uuid.UUID, user_id: uuid.UUID, token_hash: bytes, now: datetime,
        expires_at: datetime, auth_method: str, user_agent: str, ip: str | None,
    ) -> None:  # fmt: skip
        row = SessionRow(session_id, user_id, now, now, expires_at, auth_method)
        self.sessions[session_id] = StoredSession(row, token_hash, user_agent[:512], ip)

    def revoke_session(self, *, session_id: uuid.UUID, now: datetime) -> None:
        stored = self.sessions.get(session_id)
        if stored is not None and stored.revoked_at is None:
            stored.revoked_at = now

    def session_by_id(self, *, session_id: uuid.UUID) -> SessionRow | None:
        stored = self.sessions.get(session_id)
        return None if stored is None else stored.row

    def live_sessions(self, *, user_id: uuid.UUID, now: datetime, idle_cutoff: datetime) -> list[LiveSessionRow]:
        live = [
            s for s in self.sessions.values()
            if s.row.user_id == user_id and s.revoked_at is None and s.row.expires_at > now
            and s.row.last_seen_at > idle_cutoff
        ]  # fmt: skip
        live.sort(key=lambda s: s.row.last_seen_at, reverse=True)
        return [
            LiveSessionRow(
                s.row.id, s.row.created_at, s.row.last_seen_at, s.row.expires_at, s.row.auth_method, s.user_agent, s.ip
            )
            for s in live
        ]

    def revoke_user_session(self, *, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> bool:
        stored = self.sessions.get(session_id)
        if stored is None or stored.row.user_id != user_id or stored.revoked_at is not None:
            return False
        if stored.row.expires_at <= now:
            return False
        stored.revoked_at = now
        return True

    def change_password(self, *, user_id: uuid.UUID, password_hash: str, now: datetime, keep: uuid.UUID | None) -> int:
        self.set_password_hash(user_id=user_id, password_hash=password_hash)
        return self._revoke_all(user_id, now=now, keep=keep)

    def issue_token(self, *, user_id: uuid.UUID, purpose: Purpose, email: str, now: datetime, ttl: timedelta) -> str:
        for stored in self.tokens.values():
            if stored.user_id == user_id and stored.purpose == purpose and stored.used_at is None:
                stored.used_at = now
        token = new_session_token()
        self.tokens[hash_token(token)] = StoredToken(user_id, purpose, email, now + ttl)
        return token

    def verify_email(self, *, token: str, now: datetime) -> Redeemed | None:
        redeemed = self._redeem(token, "verify_email", now=now)
        if redeemed is not None:
            self._mark_verified(redeemed)
        return redeemed

    def reset_password(self, *, token: str, password_hash: str, now: datetime) -> tuple[Redeemed, int] | None:
        redeemed = self._redeem(token, "reset_password", now=now)
        if redeemed is None:
            return None
        self.set_password_hash(user_id=redeemed.user_id, password_hash=password_hash)
        self._mark_verified(redeemed)
        return redeemed, self._revoke_all(redeemed.user_id, now=now, keep=None)

    def live_session_ids(self, user_id: uuid.UUID) -> set[uuid.UUID]:
        return {s.row.id for s in self.sessions.values() if s.row.user_id == user_id and s.revoked_at is None}

    def _redeem(self, token: str, purpose: Purpose, *, now: datetime) -> Redeemed | None:
        stored = self.tokens.get(hash_token(token))
        if stored is None or stored.purpose != purpose or stored.used_at is not None or stored.expires_at <= now:
            return None
        user = self.users.get(stored.user_id)
        if user is None or user.email != stored.email:
            return None
        stored.used_at = now
        return Redeemed(stored.user_id, stored.email)

    def _mark_verified(self, redeemed: Redeemed) -> None:
        user = self.users[redeemed.user_id]
        if user.email == redeemed.email:
            self.users[user.id] = replace(user, email_verified=True)

    def _revoke_all(self, user_id: uuid.UUID, *, now: datetime, keep: uuid.UUID | None) -> int:
        ended = [s for s in self.sessions.values() if s.row.user_id == user_id and s.revoked_at is None]
        ended = [s for s in ended if s.row.id != keep]
        for stored in ended:
            stored.revoked_at = now
        return len(ended)


def _conforms(store: MemoryAuthStore) -> AuthStore:
    """Never called: mypy checks here that the fake still satisfies the port."""
    return store
