"""FastAPI dependencies every `/v1` route uses to learn who is calling.

`CurrentUser` resolves `Authorization: Bearer <JWT>` (mobile) or else the session cookie into a
`Principal`; routes scope every query by `principal.user_id`, never by a client value.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.auth import jwt_tokens
from shared.auth.contracts import Principal
from shared.auth.cookies import cookie_name
from shared.auth.sessions_store import principal_for_session, principal_for_token
from shared.container import Container
from shared.deps import ContainerDep
from shared.platform.errors import PermissionDenied, Unauthenticated


def current_user(request: Request, container: ContainerDep) -> Principal:
    authorization = request.headers.get("authorization")
    if authorization is not None:
        return _bearer_principal(container, authorization)
    return session_user(request, container)


def session_user(request: Request, container: ContainerDep) -> Principal:
    """The caller proven by the session cookie alone (a bearer header is not accepted here)."""
    token = request.cookies.get(cookie_name(container))
    if not token:
        raise Unauthenticated("sign in first: no session")
    principal = principal_for_token(container, token)
    if principal is None:
        raise Unauthenticated("the session has expired or was signed out")
    return principal


def optional_user(request: Request, container: ContainerDep) -> Principal | None:
    """The caller when signed in (session cookie or bearer token), else None; never raises for "nobody"."""
    try:
        return current_user(request, container)
    except Unauthenticated:
        return None


def _bearer_principal(container: Container, authorization: str) -> Principal:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be `Bearer <token>`")
    settings = container.settings
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    if secret is None and not settings.is_local:
        raise Unauthenticated("bearer tokens are not accepted here (no JWT_SECRET is configured)")
    key = jwt_tokens.signing_key(secret, is_local=settings.is_local)
    claims = jwt_tokens.verify(token.strip(), key=key, now=container.clock.now())
    principal = principal_for_session(container, session_id=claims.session_id, user_id=claims.user_id)
    if principal is None:
        raise Unauthenticated("the session behind this token has expired or was signed out")
    return principal


def operator(principal: Annotated[Principal, Depends(current_user)]) -> Principal:
    if principal.role != "operator":
        raise PermissionDenied("this route is for operators")
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]
OptionalUser = Annotated[Principal | None, Depends(optional_user)]
# The refresh credential: a JWT must not be able to mint its own successor (it would live as
# long as its session's sliding idle window allows instead of its own 15 minutes).
SessionUser = Annotated[Principal, Depends(session_user)]
Operator = Annotated[Principal, Depends(operator)]
