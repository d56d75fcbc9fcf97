"""FastAPI dependencies every `/v1` route uses to learn who is calling.

`CurrentUser` resolves the session cookie (or a bearer JWT, once the auth context adds it)
into a `Principal`; routes scope every query by `principal.user_id`, never by a client value.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.auth.principal import Principal
from shared.auth.sessions_store import principal_for_token
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container, get_container
from shared.platform.errors import PermissionDenied, Unauthenticated


def current_user(request: Request, container: Annotated[Container, Depends(get_container)]) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("sign in first: no session")
    principal = principal_for_token(container, token)
    if principal is None:
        raise Unauthenticated("the session has expired or was signed out")
    return principal


def operator(principal: Annotated[Principal, Depends(current_user)]) -> Principal:
    if principal.role != "operator":
        raise PermissionDenied("this route is for operators")
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]
Operator = Annotated[Principal, Depends(operator)]
