"""Use cases: verify an email address, reset a forgotten password, change a known one.

Every emailed token is single-use, short-lived and stored only as a hash (`store/tokens.py`).
Completing a reset proves the address as well as a verification link does, so it verifies it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from shared.auth.adapters import AccountMailer, PasswordHasher
from shared.auth.addresses import address_bucket
from shared.auth.settings import AuthSettings
from shared.auth.store import AuthStore
from shared.auth.store.users import UserRow
from shared.platform.clock import Clock
from shared.platform.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, RateLimited
from shared.platform.throttle import Throttle, email_key

logger = logging.getLogger(__name__)

HOUR_S = 3600
BAD_LINK = "this link is not valid any more (used, expired, or replaced by a newer one); ask for a new one"


def start_verification(
    *, user_id: uuid.UUID, email: str, store: AuthStore, mailer: AccountMailer, clock: Clock, settings: AuthSettings
) -> None:
    """Mail a verification link to `email` (the one email an unverified address may get)."""
    ttl = timedelta(hours=settings.email_verify_hours)
    token = store.issue_token(user_id=user_id, purpose="verify_email", email=email, now=clock.now(), ttl=ttl)
    mailer.send_verification(to=email, token=token)


def verify_after_signup(
    *, user_id: uuid.UUID, email: str, store: AuthStore, mailer: AccountMailer, throttle: Throttle, clock: Clock,
    settings: AuthSettings,
) -> None:  # fmt: skip
    """The sign-up's verification email, unless the address got too many lately (an address can be
    signed up, deleted and signed up again): then the user asks for a new link later."""
    limit = settings.account_mail_per_hour
    try:
        throttle.hit(f"mail:to:{email_key(email)}", limit=limit, window_s=HOUR_S, what="emails to this address")
    except RateLimited:
        logger.warning("no verification email after sign-up: the address had %d this hour", limit)
        return
    start_verification(user_id=user_id, email=email, store=store, mailer=mailer, clock=clock, settings=settings)


def allow_resend(*, user_id: uuid.UUID, store: AuthStore, throttle: Throttle, settings: AuthSettings) -> str:
    """The address a new verification link may go to now (refused when verified or too often)."""
    user = _user(store, user_id)
    if user.email_verified:
        raise FailedPrecondition("this email address is verified already")
    limit_account_mail(user_key=str(user_id), email=user.email, throttle=throttle, settings=settings)
    return user.email


def verify_email(*, token: str, store: AuthStore, clock: Clock) -> UserRow:
    redeemed = store.verify_email(token=token, now=clock.now())
    if redeemed is None:
        raise InvalidArgument(BAD_LINK, details={"token": "unknown, used or expired"})
    logger.info("email verified", extra={"user_id": str(redeemed.user_id)})
    return _user(store, redeemed.user_id)


def limit_account_mail(*, user_key: str, email: str, throttle: Throttle, settings: AuthSettings) -> None:
    """Account emails per requester and per recipient address, so neither can be used to flood."""
    limit = settings.account_mail_per_hour
    throttle.hit(f"mail:from:{user_key}", limit=limit, window_s=HOUR_S, what="emails asked for")
    throttle.hit(f"mail:to:{email_key(email)}", limit=limit, window_s=HOUR_S, what="emails to this address")


def limit_password_resets(*, email: str, ip: str | None, throttle: Throttle, settings: AuthSettings) -> None:
    limit_account_mail(user_key=f"ip:{address_bucket(ip)}", email=email, throttle=throttle, settings=settings)


def mail_reset_link(
    *, email: str, store: AuthStore, mailer: AccountMailer, clock: Clock, settings: AuthSettings
) -> None:
    """Mail a reset link if the address has an account. Runs after the answer went out, so
    neither the answer nor its timing says whether an account exists."""
    user = store.user_by_email(email=email)
    if user is None:
        return
    minutes = settings.password_reset_minutes
    token = store.issue_token(
        user_id=user.id, purpose="reset_password", email=user.email, now=clock.now(), ttl=timedelta(minutes=minutes)
    )
    mailer.send_password_reset(to=user.email, token=token, minutes=minutes)


def reset_password(
    *, token: str, password: str, ip: str | None, store: AuthStore, hashing: PasswordHasher, throttle: Throttle,
    clock: Clock, settings: AuthSettings,
) -> None:  # fmt: skip
    """Set a new password from an emailed token; every session of the account ends."""
    limit = settings.auth_ip_limit_per_minute
    # Hashing comes first (constant work for any token), so the route is limited like sign-up.
    throttle.hit(f"reset:ip:{address_bucket(ip)}", limit=limit, window_s=60, what="password resets")
    done = store.reset_password(token=token, password_hash=hashing.hash(password), now=clock.now())
    if done is None:
        raise InvalidArgument(BAD_LINK, details={"token": "unknown, used or expired"})
    redeemed, ended = done
    logger.info("password reset", extra={"user_id": str(redeemed.user_id), "sessions_ended": ended})


def change_password(
    *, user_id: uuid.UUID, session_id: uuid.UUID | None, current: str, new: str, store: AuthStore,
    hashing: PasswordHasher, throttle: Throttle, clock: Clock, settings: AuthSettings,
) -> None:  # fmt: skip
    """Replace a known password; every other session of the account ends, this one stays."""
    limit = settings.login_max_failures
    throttle.hit(f"password-change:{user_id}", limit=limit, window_s=15 * 60, what="password changes")
    user = _user(store, user_id)
    if user.password_hash is None:
        raise FailedPrecondition("this account signs in with Google or Microsoft and has no password to change")
    if not hashing.verify(user.password_hash, current):
        raise PermissionDenied("the current password is not right", details={"current_password": "not right"})
    ended = store.change_password(user_id=user_id, password_hash=hashing.hash(new), now=clock.now(), keep=session_id)
    logger.info("password changed", extra={"user_id": str(user_id), "sessions_ended": ended})


def _user(store: AuthStore, user_id: uuid.UUID) -> UserRow:
    user = store.user_by_id(user_id=user_id)
    if user is None:
        raise NotFound("the account no longer exists")
    return user
