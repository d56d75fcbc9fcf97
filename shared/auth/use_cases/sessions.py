"""Use cases: open and end sessions, list a user's live ones, describe one, mint the mobile JWT.

Every sign-in opens a brand-new session (a fresh 256-bit token), so a token planted before
sign-in is never promoted (no fixation); the session presented at sign-in is revoked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.auth import jwt_tokens
from shared.auth.contracts import ActiveSession, ActiveSessions, BearerToken, SessionInfo, User
from shared.auth.settings import AuthSettings
from shared.auth.store import AuthStore
from shared.auth.store.users import UserRow
from shared.auth.tokens import hash_token, new_session_token
from shared.platform.clock import Clock
from shared.platform.errors import NotFound, Unauthenticated


@dataclass(frozen=True)
class OpenedSession:
    session_id: uuid.UUID
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Caller:
    """What the session keeps about the device that opened it."""

    user_agent: str
    ip: str | None


def open_session(
    *, user_id: uuid.UUID, auth_method: str, caller: Caller, presented: uuid.UUID | None, store: AuthStore,
    clock: Clock, settings: AuthSettings,
) -> OpenedSession:  # fmt: skip
    """A new session for `user_id`; `presented` (the live session the request carried) ends."""
    if presented is not None:
        store.revoke_session(session_id=presented, now=clock.now())
    now = clock.now()
    opened = OpenedSession(
        session_id=uuid.uuid4(),
        token=new_session_token(),
        expires_at=now + timedelta(hours=settings.session_absolute_hours),
    )
    store.insert_session(
        session_id=opened.session_id, user_id=user_id, token_hash=hash_token(opened.token), now=now,
        expires_at=opened.expires_at, auth_method=auth_method, user_agent=caller.user_agent, ip=caller.ip,
    )  # fmt: skip
    return opened


def revoke(*, session_id: uuid.UUID, store: AuthStore, clock: Clock) -> None:
    store.revoke_session(session_id=session_id, now=clock.now())


def session_info(*, session_id: uuid.UUID, store: AuthStore, settings: AuthSettings) -> SessionInfo:
    row = store.session_by_id(session_id=session_id)
    if row is None:
        raise Unauthenticated("the session has expired or was signed out")
    idle = timedelta(minutes=settings.session_idle_minutes)
    return SessionInfo(
        expires_at=row.expires_at,
        idle_expires_at=min(row.expires_at, row.last_seen_at + idle),
        auth_method=row.auth_method,
    )


def list_sessions(
    *, user_id: uuid.UUID, current: uuid.UUID | None, store: AuthStore, clock: Clock, settings: AuthSettings
) -> ActiveSessions:
    """The user's live sessions, most recently used first; `current` is marked."""
    now = clock.now()
    idle_cutoff = now - timedelta(minutes=settings.session_idle_minutes)
    rows = store.live_sessions(user_id=user_id, now=now, idle_cutoff=idle_cutoff)
    return ActiveSessions(sessions=[ActiveSession(**vars(row), current=row.id == current) for row in rows])


def end_session(*, user_id: uuid.UUID, session_id: uuid.UUID, store: AuthStore, clock: Clock) -> None:
    """End one of the user's own live sessions; another user's session is not found."""
    if not store.revoke_user_session(user_id=user_id, session_id=session_id, now=clock.now()):
        raise NotFound(f"no live session {session_id}")


def bearer_token(
    *, user_id: uuid.UUID, session_id: uuid.UUID, key: str, clock: Clock, settings: AuthSettings
) -> BearerToken:
    """A JWT naming the session, signed with `key` (`jwt_tokens.signing_key`)."""
    ttl_s = settings.jwt_ttl_seconds
    token = jwt_tokens.issue(key=key, user_id=user_id, session_id=session_id, now=clock.now(), ttl_s=ttl_s)
    return BearerToken(access_token=token, expires_in=ttl_s)


def user_view(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        school_email=row.email,
        display_name=row.display_name,
        role=row.role,
        email_verified=row.email_verified,
    )
