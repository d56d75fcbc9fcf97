"""Use cases: verify an email address, reset a forgotten password, change a known one.

Every emailed token is single-use, short-lived and stored only as a hash (`account_tokens`).
Completing a reset proves the address as well as a verification link does, so it verifies it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from shared.auth import account_mail, account_tokens, session_list, store
from shared.auth.addresses import address_bucket
from shared.auth.clients import auth_clients
from shared.auth.store import UserRow
from shared.container import Container
from shared.platform.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, RateLimited
from shared.platform.throttle import email_key

logger = logging.getLogger(__name__)

HOUR_S = 3600
BAD_LINK = "this link is not valid any more (used, expired, or replaced by a newer one); ask for a new one"


def start_verification(container: Container, *, user_id: uuid.UUID, email: str) -> None:
    """Mail a verification link to `email` (the one email an unverified address may get)."""
    ttl = timedelta(hours=container.settings.email_verify_hours)
    with container.db.connection() as conn:
        token = account_tokens.issue(
            conn, user_id=user_id, purpose="verify_email", email=email, now=container.clock.now(), ttl=ttl
        )
    account_mail.send_verification(container, to=email, token=token)


def verify_after_signup(container: Container, *, user_id: uuid.UUID, email: str) -> None:
    """The sign-up's verification email, unless the address got too many lately (an address can be
    signed up, deleted and signed up again): then the user asks for a new link later."""
    throttle, limit = auth_clients(container).throttle, container.settings.account_mail_per_hour
    try:
        throttle.hit(f"mail:to:{email_key(email)}", limit=limit, window_s=HOUR_S, what="emails to this address")
    except RateLimited:
        logger.warning("no verification email after sign-up: the address had %d this hour", limit)
        return
    start_verification(container, user_id=user_id, email=email)


def allow_resend(container: Container, *, user_id: uuid.UUID) -> str:
    """The address a new verification link may go to now (refused when verified or too often)."""
    user = _user(container, user_id)
    if user.email_verified:
        raise FailedPrecondition("this email address is verified already")
    limit_account_mail(container, user_key=str(user_id), email=user.email)
    return user.email


def verify_email(container: Container, *, token: str) -> UserRow:
    now = container.clock.now()
    with container.db.connection() as conn:
        redeemed = account_tokens.redeem(conn, token=token, purpose="verify_email", now=now)
        if redeemed is None:
            raise InvalidArgument(BAD_LINK, details={"token": "unknown, used or expired"})
        account_tokens.mark_verified(conn, user_id=redeemed.user_id, email=redeemed.email, now=now)
    logger.info("email verified", extra={"user_id": str(redeemed.user_id)})
    return _user(container, redeemed.user_id)


def limit_account_mail(container: Container, *, user_key: str, email: str) -> None:
    """Account emails per requester and per recipient address, so neither can be used to flood."""
    throttle, limit = auth_clients(container).throttle, container.settings.account_mail_per_hour
    throttle.hit(f"mail:from:{user_key}", limit=limit, window_s=HOUR_S, what="emails asked for")
    throttle.hit(f"mail:to:{email_key(email)}", limit=limit, window_s=HOUR_S, what="emails to this address")


def limit_password_resets(container: Container, *, email: str, ip: str | None) -> None:
    limit_account_mail(container, user_key=f"ip:{address_bucket(ip)}", email=email)


def mail_reset_link(container: Container, *, email: str) -> None:
    """Mail a reset link if the address has an account. Runs after the answer went out, so
    neither the answer nor its timing says whether an account exists."""
    with container.db.connection() as conn:
        user = store.user_by_email(conn, email=email)
        if user is None:
            return
        minutes = container.settings.password_reset_minutes
        token = account_tokens.issue(
            conn, user_id=user.id, purpose="reset_password", email=user.email, now=container.clock.now(),
            ttl=timedelta(minutes=minutes),
        )  # fmt: skip
    account_mail.send_password_reset(container, to=user.email, token=token, minutes=minutes)


def reset_password(container: Container, *, token: str, password: str, ip: str | None) -> None:
    """Set a new password from an emailed token; every session of the account ends."""
    clients, limit = auth_clients(container), container.settings.auth_ip_limit_per_minute
    # Hashing comes first (constant work for any token), so the route is limited like sign-up.
    clients.throttle.hit(f"reset:ip:{address_bucket(ip)}", limit=limit, window_s=60, what="password resets")
    password_hash = clients.hashing.hash(password)
    now = container.clock.now()
    with container.db.connection() as conn:
        redeemed = account_tokens.redeem(conn, token=token, purpose="reset_password", now=now)
        if redeemed is None:
            raise InvalidArgument(BAD_LINK, details={"token": "unknown, used or expired"})
        store.set_password_hash(conn, user_id=redeemed.user_id, password_hash=password_hash)
        account_tokens.mark_verified(conn, user_id=redeemed.user_id, email=redeemed.email, now=now)
        ended = session_list.revoke_user_sessions(conn, user_id=redeemed.user_id, now=now)
    logger.info("password reset", extra={"user_id": str(redeemed.user_id), "sessions_ended": ended})


def change_password(
    container: Container, *, user_id: uuid.UUID, session_id: uuid.UUID | None, current: str, new: str
) -> None:
    """Replace a known password; every other session of the account ends, this one stays."""
    clients = auth_clients(container)
    limit = container.settings.login_max_failures
    clients.throttle.hit(f"password-change:{user_id}", limit=limit, window_s=15 * 60, what="password changes")
    user = _user(container, user_id)
    if user.password_hash is None:
        raise FailedPrecondition("this account signs in with Google or Microsoft and has no password to change")
    if not clients.hashing.verify(user.password_hash, current):
        raise PermissionDenied("the current password is not right", details={"current_password": "not right"})
    password_hash = clients.hashing.hash(new)
    with container.db.connection() as conn:
        store.set_password_hash(conn, user_id=user_id, password_hash=password_hash)
        ended = session_list.revoke_user_sessions(conn, user_id=user_id, now=container.clock.now(), keep=session_id)
    logger.info("password changed", extra={"user_id": str(user_id), "sessions_ended": ended})


def _user(container: Container, user_id: uuid.UUID) -> UserRow:
    with container.db.connection() as conn:
        user = store.user_by_id(conn, user_id=user_id)
    if user is None:
        raise NotFound("the account no longer exists")
    return user
