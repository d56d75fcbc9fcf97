"""FastAPI dependencies every `/v1` route uses to learn who is calling.

`CurrentUser` resolves `Authorization: Bearer <JWT>` (mobile) or else the session cookie into a
`Principal`; routes scope every query by `principal.user_id`, never by a client value.

The dependencies are `async` and read through the running loop's async pool: a plain `def`
dependency runs on a worker thread, and the hand-off costs more than the lookup. The sync
`current_user` stays for callers outside FastAPI's dependency injection.

`ReadingUser` is for the read routes on the loop: it checks out one pooled async connection, looks
the caller up on it and hands the route the same connection, given back to the pool as soon as the
route's reads are done. A read then costs one checkout instead of two (the lookup's and the route's).
It is a plain async dependency, not a generator: a connection the route did not give back returns
to the pool when the request ends (`at_request_end`), without FastAPI's per-request exit stacks.
Routes that do not read on the loop keep `CurrentUser`, whose lookup gives its connection back at
once, so a sync route never holds an async connection while it runs on a thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request

from shared.auth import jwt_tokens
from shared.auth.contracts import Principal
from shared.auth.cookies import cookie_name, liveness
from shared.auth.sessions_store import (
    principal_for_session,
    principal_for_session_on,
    principal_for_token,
    principal_for_token_on,
)
from shared.container import Container
from shared.deps import ContainerDep, container_of
from shared.platform.db import AsyncConn, AsyncPool, async_reading
from shared.platform.errors import PermissionDenied, Unauthenticated
from shared.platform.middleware import at_request_end


async def signed_in_user(request: Request, container: ContainerDep) -> Principal:
    """The caller from `Authorization: Bearer <JWT>`, else the session cookie (on the loop, no thread)."""
    claims, token = _credentials(request, container)
    async with async_reading(await container.async_db()) as conn:
        return await _principal_on(conn, container, claims, token)


async def session_user(request: Request, container: ContainerDep) -> Principal:
    """The caller proven by the session cookie alone (a bearer header is not accepted here)."""
    token = _session_token(request, container)
    async with async_reading(await container.async_db()) as conn:
        return await _principal_on(conn, container, None, token)


class Reading:
    """The caller, and the request's one pooled async connection (autocommit) to read with.

    The route reads inside `async with reading.connection() as conn:`; the connection goes back to
    the pool when that block ends, before the answer is built and sent (held longer, 50 clients
    flat out queue on a 10-connection pool). Whatever is still held goes back when the request ends.
    """

    __slots__ = ("_conn", "_pool", "principal")

    def __init__(self, principal: Principal, pool: AsyncPool, conn: AsyncConn) -> None:
        self.principal = principal
        self._pool = pool
        self._conn: AsyncConn | None = conn

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConn]:
        conn = self._conn
        if conn is None:
            raise RuntimeError("the request's connection was already given back")
        try:
            yield conn
        finally:
            await self.release()

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._pool.putconn(conn)


async def reading_user(request: Request) -> Reading:
    """`signed_in_user` on a connection the route then reads with (one checkout per request).

    A missing or malformed credential is refused before any checkout."""
    container = container_of(request)
    claims, token = _credentials(request, container)
    pool = await container.async_db()
    conn = await pool.getconn()
    try:
        principal = await _principal_on(conn, container, claims, token)
    except BaseException:
        await pool.putconn(conn)
        raise
    reading = Reading(principal, pool, conn)
    at_request_end(request.scope, reading.release)
    return reading


def _credentials(request: Request, container: Container) -> tuple[jwt_tokens.BearerClaims | None, str]:
    """The verified bearer claims, or else the session cookie's token (refused when neither is sound)."""
    authorization = request.headers.get("authorization")
    claims = _bearer_claims(container, authorization) if authorization is not None else None
    return claims, _session_token(request, container) if claims is None else ""


async def _principal_on(
    conn: AsyncConn, container: Container, claims: jwt_tokens.BearerClaims | None, token: str
) -> Principal:
    if claims is not None:
        found = await principal_for_session_on(
            conn, session_id=claims.session_id, user_id=claims.user_id, live=liveness(container)
        )
        return _bearer_principal_found(found)
    return _session_principal_found(await principal_for_token_on(conn, token, live=liveness(container)))


async def optional_user(request: Request, container: ContainerDep) -> Principal | None:
    """The caller when signed in (session cookie or bearer token), else None; never raises for "nobody"."""
    try:
        return await signed_in_user(request, container)
    except Unauthenticated:
        return None


def current_user(request: Request, container: Container) -> Principal:
    """`signed_in_user` for synchronous callers (the sync pool)."""
    authorization = request.headers.get("authorization")
    if authorization is not None:
        claims = _bearer_claims(container, authorization)
        found = principal_for_session(
            container.db, session_id=claims.session_id, user_id=claims.user_id, live=liveness(container)
        )
        return _bearer_principal_found(found)
    token = _session_token(request, container)
    return _session_principal_found(principal_for_token(container.db, token, live=liveness(container)))


def _session_token(request: Request, container: Container) -> str:
    token = request.cookies.get(cookie_name(container))
    if not token:
        raise Unauthenticated("sign in first: no session")
    return token


def _session_principal_found(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthenticated("the session has expired or was signed out")
    return principal


def _bearer_claims(container: Container, authorization: str) -> jwt_tokens.BearerClaims:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be `Bearer <token>`")
    settings = container.settings
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    if secret is None and not settings.is_local:
        raise Unauthenticated("bearer tokens are not accepted here (no JWT_SECRET is configured)")
    key = jwt_tokens.signing_key(secret, is_local=settings.is_local)
    return jwt_tokens.verify(token.strip(), key=key, now=container.clock.now())


def _bearer_principal_found(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthenticated("the session behind this token has expired or was signed out")
    return principal


async def operator(principal: Annotated[Principal, Depends(signed_in_user)]) -> Principal:
    if principal.role != "operator":
        raise PermissionDenied("this route is for operators")
    return principal


CurrentUser = Annotated[Principal, Depends(signed_in_user)]
ReadingUser = Annotated[Reading, Depends(reading_user)]
OptionalUser = Annotated[Principal | None, Depends(optional_user)]
# The refresh credential: a JWT must not be able to mint its own successor (it would live as
# long as its session's sliding idle window allows instead of its own 15 minutes).
SessionUser = Annotated[Principal, Depends(session_user)]
Operator = Annotated[Principal, Depends(operator)]
