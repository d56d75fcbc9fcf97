"""Use cases: sign up and sign in with email and password.

Unknown email and wrong password give the same error after the same Argon2 work (a dummy hash
is verified for unknown emails); sign-in delays count failures by a hash of the email whether or
not the account exists, so neither the answer nor its timing tells an account exists.
"""

from __future__ import annotations

import logging
import uuid

from shared.auth.adapters import PasswordHasher
from shared.auth.addresses import address_bucket
from shared.auth.contracts import LoginRequest, SignupRequest
from shared.auth.settings import AuthSettings
from shared.auth.store import AuthStore
from shared.auth.store.users import UserRow
from shared.platform.errors import Conflict, Unauthenticated
from shared.platform.throttle import LoginPolicy, Throttle, email_key

logger = logging.getLogger(__name__)

WRONG_CREDENTIALS = "the email or password is not right"


def sign_up(
    *, body: SignupRequest, ip: str | None, store: AuthStore, hashing: PasswordHasher, throttle: Throttle,
    settings: AuthSettings,
) -> UserRow:  # fmt: skip
    limit = settings.auth_ip_limit_per_minute
    throttle.hit(f"signup:ip:{address_bucket(ip)}", limit=limit, window_s=60, what="sign-ups from this address")
    password_hash = hashing.hash(body.password)
    user_id = uuid.uuid4()
    user = store.create_user(
        user_id=user_id, email=body.email, display_name=body.display_name, password_hash=password_hash
    )
    if user is None:
        raise Conflict("an account with this email already exists", details={"field": "email"})
    throttle.record_success(account=email_key(body.email), address=address_bucket(ip))
    logger.info("account created", extra={"user_id": str(user_id), "method": "password"})
    return user


def sign_in(
    *, body: LoginRequest, ip: str | None, store: AuthStore, hashing: PasswordHasher, throttle: Throttle,
    settings: AuthSettings,
) -> UserRow:  # fmt: skip
    account, address = email_key(body.email), address_bucket(ip)
    throttle.hit(f"login:ip:{address}", limit=settings.auth_ip_limit_per_minute, window_s=60, what="sign-ins")
    throttle.check_sign_in(account=account, address=address)
    user = store.user_by_email(email=body.email.strip())
    ok = hashing.verify(user.password_hash if user else None, body.password)
    store.record_login_attempt(email=body.email.strip()[:320], ip=ip, succeeded=ok)
    logger.info("sign-in attempt", extra={"account": account, "ip": ip, "outcome": "ok" if ok else "failed"})
    if not ok or user is None:
        throttle.record_failure(account=account, address=address, policy=login_policy(settings))
        raise Unauthenticated(WRONG_CREDENTIALS)
    throttle.record_success(account=account, address=address)
    _upgrade_hash(user=user, password=body.password, store=store, hashing=hashing)
    return user


def login_policy(settings: AuthSettings) -> LoginPolicy:
    return LoginPolicy(
        pair_failures=settings.login_max_failures,
        address_failures=settings.login_address_max_failures,
        account_failures=settings.login_account_max_failures,
        first_delay_s=settings.login_lockout_seconds,
        max_delay_s=settings.login_lockout_max_seconds,
    )


def _upgrade_hash(*, user: UserRow, password: str, store: AuthStore, hashing: PasswordHasher) -> None:
    if user.password_hash is not None and hashing.needs_rehash(user.password_hash):
        store.set_password_hash(user_id=user.id, password_hash=hashing.hash(password))
        logger.info("password hash upgraded", extra={"user_id": str(user.id)})
