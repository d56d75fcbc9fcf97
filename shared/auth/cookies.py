"""The HTTP edge of sessions: the session cookie, the caller's address, the session a request presents.

Used by the routes and the request dependencies (`deps.py`); the use cases below them never see
a request, a response or the container.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import Request, Response

from shared.auth import jwt_tokens
from shared.auth.addresses import client_ip
from shared.auth.sessions_store import Liveness, principal_for_token
from shared.auth.tokens import session_cookie_name
from shared.auth.use_cases.sessions import Caller, OpenedSession
from shared.container import Container


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


def caller(container: Container, request: Request) -> Caller:
    return Caller(user_agent=request.headers.get("user-agent", ""), ip=caller_ip(container, request))


def presented_session(container: Container, request: Request) -> uuid.UUID | None:
    """The live session whose cookie came with this request, if any."""
    token = request.cookies.get(cookie_name(container))
    principal = principal_for_token(container.db, token, live=liveness(container)) if token else None
    return principal.session_id if principal is not None else None


def liveness(container: Container) -> Liveness:
    """What makes a session live now: the container's clock and the idle timeout in its settings."""
    return Liveness(now=container.clock.now(), idle=timedelta(minutes=container.settings.session_idle_minutes))


def jwt_key(container: Container) -> str:
    settings = container.settings
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    return jwt_tokens.signing_key(secret, is_local=settings.is_local)
