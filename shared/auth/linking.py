"""From a verified provider identity to our user: found by (provider, subject), else created.

Never linked by email: an email claim can be mutable or unverified (Entra's "nOAuth"), and
a password account's address may not be verified yet, so auto-linking would hand one person's account
to another. A provider account whose email is already taken is refused with CONFLICT.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from shared.auth import store
from shared.auth.oidc import Identity
from shared.auth.store import UserRow
from shared.container import Container
from shared.platform.errors import Conflict, Internal

logger = logging.getLogger(__name__)


def user_for_identity(container: Container, identity: Identity) -> UserRow:
    with container.db.connection() as conn:
        user = store.user_by_identity(conn, provider=identity.provider, subject=identity.subject)
        if user is not None:
            return user
        user_id = uuid.uuid4()
        email = identity.email or _placeholder_email(identity)
        # A provider that vouches for the address verifies it; otherwise it waits for our link.
        verified_at = container.clock.now() if identity.email and identity.email_verified else None
        if not store.insert_user(
            conn, user_id=user_id, email=email, display_name=identity.name, password_hash=None, verified_at=verified_at
        ):
            raise Conflict(
                "an account with this email already exists; sign in the way you first did, or have a password"
                " reset link mailed to the address (POST /v1/auth/password/forgot)",
                details={"field": "email", "provider": identity.provider},
            )
        store.insert_identity(
            conn, provider=identity.provider, subject=identity.subject, user_id=user_id, issuer=identity.issuer,
            email=identity.email,
        )  # fmt: skip
        created = store.user_by_id(conn, user_id=user_id)
    if created is None:
        raise Internal("the new account vanished")
    logger.info("account created", extra={"user_id": str(user_id), "method": identity.provider})
    return created


def _placeholder_email(identity: Identity) -> str:
    digest = hashlib.sha256(identity.subject.encode()).hexdigest()[:24]
    return f"{identity.provider}-{digest}@accounts.invalid"
