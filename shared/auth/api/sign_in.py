"""Routes: sign up, sign in, sign out, the current session, and a fresh mobile JWT."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from shared.auth.contracts import BearerToken, CurrentSession, LoginRequest, Principal, SignedIn, SignupRequest
from shared.auth.cookies import caller, caller_ip, clear_session_cookie, jwt_key, presented_session, set_session_cookie
from shared.auth.deps import CurrentUser, SessionUser
from shared.auth.store.users import UserRow
from shared.auth.use_cases import accounts, recovery, sessions
from shared.container import Container
from shared.deps import ContainerDep
from shared.platform.errors import Unauthenticated

router = APIRouter()


@router.post("/signup", status_code=status.HTTP_201_CREATED)
def signup(
    body: SignupRequest, request: Request, response: Response, background: BackgroundTasks, container: ContainerDep
) -> SignedIn:
    """Create an account with email and password and sign it in (sets the session cookie); the
    verification email goes out after the answer (a provider may take seconds to accept it)."""
    user = accounts.sign_up(
        body=body, ip=caller_ip(container, request), store=container.auth_store, hashing=container.password_hashing,
        throttle=container.throttle, settings=container.settings,
    )  # fmt: skip
    background.add_task(
        recovery.verify_after_signup, user_id=user.id, email=user.email, store=container.auth_store,
        mailer=container.account_mail, throttle=container.throttle, clock=container.clock, settings=container.settings,
    )  # fmt: skip
    return _signed_in(container, user=user, request=request, response=response, issue_jwt=False)


@router.post("/login")
def login(body: LoginRequest, request: Request, response: Response, container: ContainerDep) -> SignedIn:
    """Sign in: a new session every time (cookie); with `issue_jwt`, also a bearer JWT (≤ 15 min)."""
    user = accounts.sign_in(
        body=body, ip=caller_ip(container, request), store=container.auth_store, hashing=container.password_hashing,
        throttle=container.throttle, settings=container.settings,
    )  # fmt: skip
    return _signed_in(container, user=user, request=request, response=response, issue_jwt=body.issue_jwt)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: CurrentUser, response: Response, container: ContainerDep) -> None:
    """End the caller's session server-side; its cookie and any JWT naming it stop working."""
    if principal.session_id is not None:
        sessions.revoke(session_id=principal.session_id, store=container.auth_store, clock=container.clock)
    clear_session_cookie(response, container)
    response.headers["Cache-Control"] = "no-store"


@router.get("/session")
def current_session(principal: CurrentUser, response: Response, container: ContainerDep) -> CurrentSession:
    """The signed-in user and when the session ends."""
    user = container.auth_store.user_by_id(user_id=principal.user_id)
    if user is None:
        raise Unauthenticated("the account no longer exists")
    response.headers["Cache-Control"] = "no-store"
    session = sessions.session_info(
        session_id=_session_of(principal), store=container.auth_store, settings=container.settings
    )
    return CurrentSession(user=sessions.user_view(user), session=session)


@router.post("/token")
def refresh_token(principal: SessionUser, response: Response, container: ContainerDep) -> BearerToken:
    """A fresh bearer JWT for the live session named by the session cookie (a bearer alone is refused)."""
    response.headers["Cache-Control"] = "no-store"
    return _bearer(container, user_id=principal.user_id, session_id=_session_of(principal))


def _session_of(principal: Principal) -> uuid.UUID:
    if principal.session_id is None:  # principals from CurrentUser always name their session
        raise Unauthenticated("no session behind this request")
    return principal.session_id


def _bearer(container: Container, *, user_id: uuid.UUID, session_id: uuid.UUID) -> BearerToken:
    return sessions.bearer_token(
        user_id=user_id, session_id=session_id, key=jwt_key(container), clock=container.clock,
        settings=container.settings,
    )  # fmt: skip


def _signed_in(
    container: Container, *, user: UserRow, request: Request, response: Response, issue_jwt: bool
) -> SignedIn:
    opened = sessions.open_session(
        user_id=user.id, auth_method="password", caller=caller(container, request),
        presented=presented_session(container, request), store=container.auth_store, clock=container.clock,
        settings=container.settings,
    )  # fmt: skip
    set_session_cookie(response, container, opened)
    response.headers["Cache-Control"] = "no-store"
    token = _bearer(container, user_id=user.id, session_id=opened.session_id) if issue_jwt else None
    info = sessions.session_info(session_id=opened.session_id, store=container.auth_store, settings=container.settings)
    return SignedIn(user=sessions.user_view(user), session=info, token=token)
