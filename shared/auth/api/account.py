"""Routes: verify the email address, reset or change the password, list and end sessions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from shared.auth.contracts import (
    ActiveSessions,
    ChangePasswordRequest,
    ForgotPasswordRequest,
    ResetPasswordRequest,
    User,
    VerifyEmailRequest,
)
from shared.auth.cookies import caller_ip
from shared.auth.deps import CurrentUser
from shared.auth.use_cases import recovery, sessions
from shared.deps import ContainerDep

router = APIRouter()


@router.post("/email/verify")
def verify_email(body: VerifyEmailRequest, response: Response, container: ContainerDep) -> User:
    """Redeem the token from the verification email (single use); the account's address is verified."""
    response.headers["Cache-Control"] = "no-store"
    user = recovery.verify_email(token=body.token, store=container.auth_store, clock=container.clock)
    return sessions.user_view(user)


@router.post("/email/resend", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
def resend_verification(principal: CurrentUser, container: ContainerDep) -> Response:
    """Mail a new verification link to the caller's address (the older links stop working)."""
    email = recovery.allow_resend(
        user_id=principal.user_id, store=container.auth_store, throttle=container.throttle, settings=container.settings
    )
    tasks = BackgroundTasks()
    tasks.add_task(
        recovery.start_verification, user_id=principal.user_id, email=email, store=container.auth_store,
        mailer=container.account_mail, clock=container.clock, settings=container.settings,
    )  # fmt: skip
    return Response(status_code=status.HTTP_202_ACCEPTED, background=tasks)


@router.post("/password/forgot", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
def forgot_password(body: ForgotPasswordRequest, request: Request, container: ContainerDep) -> Response:
    """Mail a reset link if the address has an account; the answer is the same either way."""
    recovery.limit_password_resets(
        email=body.email, ip=caller_ip(container, request), throttle=container.throttle, settings=container.settings
    )
    # Sent after the answer went out: its timing cannot tell whether the address has an account.
    tasks = BackgroundTasks()
    tasks.add_task(
        recovery.mail_reset_link, email=body.email, store=container.auth_store, mailer=container.account_mail,
        clock=container.clock, settings=container.settings,
    )  # fmt: skip
    return Response(status_code=status.HTTP_202_ACCEPTED, background=tasks)


@router.post("/password/reset", status_code=status.HTTP_204_NO_CONTENT)
def reset_password(body: ResetPasswordRequest, request: Request, container: ContainerDep) -> None:
    """Set a new password with the emailed token (single use, short-lived); every session ends."""
    recovery.reset_password(
        token=body.token, password=body.password, ip=caller_ip(container, request), store=container.auth_store,
        hashing=container.password_hashing, throttle=container.throttle, clock=container.clock,
        settings=container.settings,
    )  # fmt: skip


@router.post("/password/change", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: ChangePasswordRequest, principal: CurrentUser, container: ContainerDep) -> None:
    """Change the password, given the current one; every other session of the account ends."""
    recovery.change_password(
        user_id=principal.user_id, session_id=principal.session_id, current=body.current_password,
        new=body.new_password, store=container.auth_store, hashing=container.password_hashing,
        throttle=container.throttle, clock=container.clock, settings=container.settings,
    )  # fmt: skip


@router.get("/sessions")
def list_sessions(principal: CurrentUser, response: Response, container: ContainerDep) -> ActiveSessions:
    """The caller's live sessions, most recently used first."""
    response.headers["Cache-Control"] = "no-store"
    return sessions.list_sessions(
        user_id=principal.user_id, current=principal.session_id, store=container.auth_store, clock=container.clock,
        settings=container.settings,
    )  # fmt: skip


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_session(session_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> None:
    """End one of the caller's sessions (any device); another user's session id answers 404."""
    sessions.end_session(
        user_id=principal.user_id, session_id=session_id, store=container.auth_store, clock=container.clock
    )
