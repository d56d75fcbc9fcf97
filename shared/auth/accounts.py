"""Use cases: sign up and sign in with email and password.

Unknown email and wrong password give the same error after the same Argon2 work (a dummy hash
is verified for unknown emails); sign-in delays count failures by a hash of the email whether or
not the account exists, so neither the answer nor its timing tells an account exists.
"""

from __future__ import annotations

import logging
import uuid

from shared.auth import store
from shared.auth.addresses import address_bucket
from shared.auth.clients import auth_clients
from shared.auth.contracts import LoginRequest, SignupRequest
from shared.auth.store import UserRow
from shared.container import Container
from shared.platform.errors import Conflict, Unauthenticated
from shared.platform.throttle import LoginPolicy, email_key

logger = logging.getLogger(__name__)

WRONG_CREDENTIALS = "the email or password is not right"


def sign_up(container: Container, *, body: SignupRequest, ip: str | None) -> UserRow:
    clients = auth_clients(container)
    limit = container.settings.auth_ip_limit_per_minute
    clients.throttle.hit(f"signup:ip:{address_bucket(ip)}", limit=limit, window_s=60, what="sign-ups from this address")
    password_hash = clients.hashing.hash(body.password)
    user_id = uuid.uuid4()
    with container.db.connection() as conn:
        created = store.insert_user(
            conn, user_id=user_id, email=body.email, display_name=body.display_name, password_hash=password_hash
        )
        user = store.user_by_id(conn, user_id=user_id) if created else None
    if user is None:
        raise Conflict("an account with this email already exists", details={"field": "email"})
    clients.throttle.record_success(account=email_key(body.email), address=address_bucket(ip))
    logger.info("account created", extra={"user_id": str(user_id), "method": "password"})
    return user


def sign_in(container: Container, *, body: LoginRequest, ip: str | None) -> UserRow:
    clients = auth_clients(container)
    account, address = email_key(body.email), address_bucket(ip)
    limit = container.settings.auth_ip_limit_per_minute
    clients.throttle.hit(f"login:ip:{address}", limit=limit, window_s=60, what="sign-ins")
    clients.throttle.check_sign_in(account=account, address=address)
    with container.db.connection() as conn:
        user = store.user_by_email(conn, email=body.email.strip())
    ok = clients.hashing.verify(user.password_hash if user else None, body.password)
    _record(container, email=body.email, ip=ip, account=account, succeeded=ok)
    if not ok or user is None:
        clients.throttle.record_failure(account=account, address=address, policy=login_policy(container))
        raise Unauthenticated(WRONG_CREDENTIALS)
    clients.throttle.record_success(account=account, address=address)
    _upgrade_hash(container, user=user, password=body.password)
    return user


def login_policy(container: Container) -> LoginPolicy:
    settings = container.settings
    return LoginPolicy(
        pair_failures=settings.login_max_failures,
        address_failures=settings.login_address_max_failures,
        account_failures=settings.login_account_max_failures,
        first_delay_s=settings.login_lockout_seconds,
        max_delay_s=settings.login_lockout_max_seconds,
    )


def _upgrade_hash(container: Container, *, user: UserRow, password: str) -> None:
    hashing = auth_clients(container).hashing
    if user.password_hash is not None and hashing.needs_rehash(user.password_hash):
        with container.db.connection() as conn:
            store.set_password_hash(conn, user_id=user.id, password_hash=hashing.hash(password))
        logger.info("password hash upgraded", extra={"user_id": str(user.id)})


def _record(container: Container, *, email: str, ip: str | None, account: str, succeeded: bool) -> None:
    with container.db.connection() as conn:
        store.record_login_attempt(conn, email=email.strip()[:320], ip=ip, succeeded=succeeded)
    logger.info("sign-in attempt", extra={"account": account, "ip": ip, "outcome": "ok" if succeeded else "failed"})
