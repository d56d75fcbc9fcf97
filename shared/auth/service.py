"""What other contexts ask of auth outside a request: the account behind a user id."""

from __future__ import annotations

import uuid

from shared.auth.contracts import Account
from shared.auth.store.users import user_by_id
from shared.platform.db import Conn


def account_by_id(conn: Conn, *, user_id: uuid.UUID) -> Account | None:
    """The account's address and password hash; None when the account no longer exists."""
    user = user_by_id(conn, user_id=user_id)
    if user is None:
        return None
    return Account(user_id=user.id, email=user.email, password_hash=user.password_hash)
