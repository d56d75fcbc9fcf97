"""Routes: verify the email address, reset or change the password, list and end sessions."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from shared.auth import recovery, session_list
from shared.auth.contracts import (
    ActiveSession,
    ActiveSessions,
    ChangePasswordRequest,
    ForgotPasswordRequest,
    ResetPasswordRequest,
    User,
    VerifyEmailRequest,
)
from shared.auth.deps import CurrentUser
from shared.auth.sessions import caller_ip
from shared.auth.views import user_view
from shared.deps import ContainerDep
from shared.platform.errors import NotFound

router = APIRouter()


@router.post("/email/verify")
def verify_email(body: VerifyEmailRequest, response: Response, container: ContainerDep) -> User:
    """Redeem the token from the verification email (single use); the account's address is verified."""
    response.headers["Cache-Control"] = "no-store"
    return user_view(recovery.verify_email(container, token=body.token))


@router.post("/email/resend", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
def resend_verification(principal: CurrentUser, container: ContainerDep) -> Response:
    """Mail a new verification link to the caller's address (the older links stop working)."""
    email = recovery.allow_resend(container, user_id=principal.user_id)
    tasks = BackgroundTasks()
    tasks.add_task(recovery.start_verification, container, user_id=principal.user_id, email=email)
    return Response(status_code=status.HTTP_202_ACCEPTED, background=tasks)


@router.post("/password/forgot", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
def forgot_password(body: ForgotPasswordRequest, request: Request, container: ContainerDep) -> Response:
    """Mail a reset link if the address has an account; the answer is the same either way."""
    recovery.limit_password_resets(container, email=body.email, ip=caller_ip(container, request))
    # Sent after the answer went out: its timing cannot tell whether the address has an account.
    tasks = BackgroundTasks()
    tasks.add_task(recovery.mail_reset_link, container, email=body.email)
    return Response(status_code=status.HTTP_202_ACCEPTED, background=tasks)


@router.post("/password/reset", status_code=status.HTTP_204_NO_CONTENT)
def reset_password(body: ResetPasswordRequest, request: Request, container: ContainerDep) -> None:
    """Set a new password with the emailed token (single use, short-lived); every session ends."""
    recovery.reset_password(container, token=body.token, password=body.password, ip=caller_ip(container, request))


@router.post("/password/change", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: ChangePasswordRequest, principal: CurrentUser, container: ContainerDep) -> None:
    """Change the password, given the current one; every other session of the account ends."""
    recovery.change_password(
        container, user_id=principal.user_id, session_id=principal.session_id, current=body.current_password,
        new=body.new_password,
    )  # fmt: skip


@router.get("/sessions")
def list_sessions(principal: CurrentUser, response: Response, container: ContainerDep) -> ActiveSessions:
    """The caller's live sessions, most recently used first."""
    now = container.clock.now()
    idle_cutoff = now - timedelta(minutes=container.settings.session_idle_minutes)
    with container.db.connection() as conn:
        rows = session_list.live_sessions(conn, user_id=principal.user_id, now=now, idle_cutoff=idle_cutoff)
    response.headers["Cache-Control"] = "no-store"
    return ActiveSessions(sessions=[ActiveSession(**vars(row), current=row.id == principal.session_id) for row in rows])


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_session(session_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> None:
    """End one of the caller's sessions (any device); another user's session id answers 404."""
    with container.db.connection() as conn:
        ended = session_list.revoke_user_session(
            conn, user_id=principal.user_id, session_id=session_id, now=container.clock.now()
        )
    if not ended:
        raise NotFound(f"no live session {session_id}")
