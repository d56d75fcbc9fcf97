"""Rendering users and sessions for the API, and minting the mobile JWT."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth import jwt_tokens, store
from shared.auth.contracts import BearerToken, SessionInfo, User
from shared.auth.store import UserRow
from shared.container import Container
from shared.platform.errors import Unauthenticated


def user_view(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        school_email=row.email,
        display_name=row.display_name,
        role=row.role,
        email_verified=row.email_verified,
    )


def session_view(container: Container, *, session_id: uuid.UUID) -> SessionInfo:
    with container.db.connection() as conn:
        row = store.session_by_id(conn, session_id=session_id)
    if row is None:
        raise Unauthenticated("the session has expired or was signed out")
    idle = timedelta(minutes=container.settings.session_idle_minutes)
    return SessionInfo(
        expires_at=row.expires_at,
        idle_expires_at=min(row.expires_at, row.last_seen_at + idle),
        auth_method=row.auth_method,
    )


def bearer_token(container: Container, *, user_id: uuid.UUID, session_id: uuid.UUID) -> BearerToken:
    settings = container.settings
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    key = jwt_tokens.signing_key(secret, is_local=settings.is_local)
    token = jwt_tokens.issue(
        key=key, user_id=user_id, session_id=session_id, now=container.clock.now(), ttl_s=settings.jwt_ttl_seconds
    )
    return BearerToken(access_token=token, expires_in=settings.jwt_ttl_seconds)
