"""Use case: from a verified provider identity to our user, found by (provider, subject), else created.

Never linked by email: an email claim can be mutable or unverified (Entra's "nOAuth"), and
a password account's address may not be verified yet, so auto-linking would hand one person's account
to another. A provider account whose email is already taken is refused with CONFLICT.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from shared.auth.oauth.oidc import Identity
from shared.auth.store import AuthStore
from shared.auth.store.users import UserRow
from shared.platform.clock import Clock
from shared.platform.errors import Conflict

logger = logging.getLogger(__name__)


def user_for_identity(*, identity: Identity, store: AuthStore, clock: Clock) -> UserRow:
    user = store.user_by_identity(provider=identity.provider, subject=identity.subject)
    if user is not None:
        return user
    user_id = uuid.uuid4()
    # A provider that vouches for the address verifies it; otherwise it waits for our link.
    verified_at = clock.now() if identity.email and identity.email_verified else None
    created = store.create_identity_user(
        user_id=user_id, email=identity.email or _placeholder_email(identity), display_name=identity.name,
        verified_at=verified_at, provider=identity.provider, subject=identity.subject, issuer=identity.issuer,
        identity_email=identity.email,
    )  # fmt: skip
    if created is None:
        raise Conflict(
            "an account with this email already exists; sign in the way you first did, or have a password"
            " reset link mailed to the address (POST /v1/auth/password/forgot)",
            details={"field": "email", "provider": identity.provider},
        )
    logger.info("account created", extra={"user_id": str(user_id), "method": identity.provider})
    return created


def _placeholder_email(identity: Identity) -> str:
    digest = hashlib.sha256(identity.subject.encode()).hexdigest()[:24]
    return f"{identity.provider}-{digest}@accounts.invalid"
