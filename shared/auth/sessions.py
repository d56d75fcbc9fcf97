"""Opening and closing sessions, and the cookie that carries them.

Every sign-in opens a brand-new session (a fresh 256-bit token), so a token planted before
sign-in is never promoted (no fixation); a token presented at sign-in is revoked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request, Response

from shared.auth import store
from shared.auth.addresses import client_ip
from shared.auth.sessions_store import principal_for_token
from shared.auth.tokens import hash_token, new_session_token, session_cookie_name
from shared.container import Container


@dataclass(frozen=True)
class OpenedSession:
    session_id: uuid.UUID
    token: str
    expires_at: datetime


def open_session(container: Container, *, user_id: uuid.UUID, auth_method: str, request: Request) -> OpenedSession:
    end_presented_session(container, request=request)
    now = container.clock.now()
    opened = OpenedSession(
        session_id=uuid.uuid4(),
        token=new_session_token(),
        expires_at=now + timedelta(hours=container.settings.session_absolute_hours),
    )
    with container.db.connection() as conn:
        store.insert_session(
            conn, session_id=opened.session_id, user_id=user_id, token_hash=hash_token(opened.token), now=now,
            expires_at=opened.expires_at, auth_method=auth_method,
            user_agent=request.headers.get("user-agent", ""), ip=caller_ip(container, request),
        )  # fmt: skip
    return opened


def end_presented_session(container: Container, *, request: Request) -> None:
    """Revoke the session whose cookie came with this request, if it is still live."""
    token = request.cookies.get(cookie_name(container))
    principal = principal_for_token(container, token) if token else None
    if principal is not None and principal.session_id is not None:
        revoke(container, session_id=principal.session_id)


def revoke(container: Container, *, session_id: uuid.UUID) -> None:
    with container.db.connection() as conn:
        store.revoke_session(conn, session_id=session_id, now=container.clock.now())


def set_session_cookie(response: Response, container: Container, session: OpenedSession) -> None:
    settings = container.settings
    response.set_cookie(
        cookie_name(container),
        session.token,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        secure=settings.cookie_secure_for(is_local=settings.is_local),
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, container: Container) -> None:
    settings = container.settings
    response.delete_cookie(
        cookie_name(container), path="/", secure=settings.cookie_secure_for(is_local=settings.is_local), httponly=True,
        samesite="lax",
    )  # fmt: skip


def cookie_name(container: Container) -> str:
    settings = container.settings
    return session_cookie_name(secure=settings.cookie_secure_for(is_local=settings.is_local))


def caller_ip(container: Container, request: Request) -> str | None:
    return client_ip(request, trusted_proxies=container.settings.trusted_proxy_count)
