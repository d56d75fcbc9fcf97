"""Routes: sign up, sign in, sign out, the current session, and a fresh mobile JWT."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from shared.auth import accounts, recovery
from shared.auth.account_api import router as account_router
from shared.auth.contracts import BearerToken, CurrentSession, LoginRequest, SignedIn, SignupRequest
from shared.auth.deps import CurrentUser, SessionUser
from shared.auth.oauth_api import router as oauth_router
from shared.auth.principal import Principal
from shared.auth.sessions import caller_ip, clear_session_cookie, open_session, revoke, set_session_cookie
from shared.auth.store import UserRow, user_by_id
from shared.auth.views import bearer_token, session_view, user_view
from shared.container import Container
from shared.deps import ContainerDep
from shared.platform.errors import Unauthenticated

router = APIRouter(prefix="/auth", tags=["auth"])
router.include_router(oauth_router)
router.include_router(account_router)


@router.post("/signup", status_code=status.HTTP_201_CREATED)
def signup(
    body: SignupRequest, request: Request, response: Response, background: BackgroundTasks, container: ContainerDep
) -> SignedIn:
    """Create an account with email and password and sign it in (sets the session cookie); the
    verification email goes out after the answer (a provider may take seconds to accept it)."""
    user = accounts.sign_up(container, body=body, ip=caller_ip(container, request))
    background.add_task(recovery.verify_after_signup, container, user_id=user.id, email=user.email)
    return _signed_in(container, user=user, request=request, response=response, issue_jwt=False)


@router.post("/login")
def login(body: LoginRequest, request: Request, response: Response, container: ContainerDep) -> SignedIn:
    """Sign in: a new session every time (cookie); with `issue_jwt`, also a bearer JWT (≤ 15 min)."""
    user = accounts.sign_in(container, body=body, ip=caller_ip(container, request))
    return _signed_in(container, user=user, request=request, response=response, issue_jwt=body.issue_jwt)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: CurrentUser, response: Response, container: ContainerDep) -> None:
    """End the caller's session server-side; its cookie and any JWT naming it stop working."""
    if principal.session_id is not None:
        revoke(container, session_id=principal.session_id)
    clear_session_cookie(response, container)
    response.headers["Cache-Control"] = "no-store"


@router.get("/session")
def current_session(principal: CurrentUser, response: Response, container: ContainerDep) -> CurrentSession:
    """The signed-in user and when the session ends."""
    with container.db.connection() as conn:
        user = user_by_id(conn, user_id=principal.user_id)
    if user is None:
        raise Unauthenticated("the account no longer exists")
    response.headers["Cache-Control"] = "no-store"
    return CurrentSession(user=user_view(user), session=session_view(container, session_id=_session_of(principal)))


@router.post("/token")
def refresh_token(principal: SessionUser, response: Response, container: ContainerDep) -> BearerToken:
    """A fresh bearer JWT for the live session named by the session cookie (a bearer alone is refused)."""
    response.headers["Cache-Control"] = "no-store"
    return bearer_token(container, user_id=principal.user_id, session_id=_session_of(principal))


def _session_of(principal: Principal) -> uuid.UUID:
    if principal.session_id is None:  # principals from CurrentUser always name their session
        raise Unauthenticated("no session behind this request")
    return principal.session_id


def _signed_in(
    container: Container, *, user: UserRow, request: Request, response: Response, issue_jwt: bool
) -> SignedIn:
    opened = open_session(container, user_id=user.id, auth_method="password", request=request)
    set_session_cookie(response, container, opened)
    response.headers["Cache-Control"] = "no-store"
    token = bearer_token(container, user_id=user.id, session_id=opened.session_id) if issue_jwt else None
    return SignedIn(user=user_view(user), session=session_view(container, session_id=opened.session_id), token=token)
