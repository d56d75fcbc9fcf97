"""Users and sessions made straight in the database, for tests of routes that need a caller."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared.auth.contracts import Role
from shared.auth.tokens import SESSION_COOKIE, hash_token, new_session_token
from shared.container import Container


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # not a test class, despite its name

    user_id: uuid.UUID
    email: str
    token: str

    @property
    def cookies(self) -> dict[str, str]:
        return {SESSION_COOKIE: self.token}


def make_user(
    container: Container, *, role: Role = "student", email: str | None = None, verified: bool = True
) -> TestUser:
    user_id = uuid.uuid4()
    email = email or f"{user_id.hex[:10]}@example.edu"
    token = new_session_token()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO users (id, email, display_name, role, email_verified_at) VALUES (%s, %s, %s, %s, %s)",
            (user_id, email, "Test Student", role, datetime.now(UTC) if verified else None),
        )
        conn.execute(
            "INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES (%s, %s, %s, %s)",
            (uuid.uuid4(), user_id, hash_token(token), datetime.now(UTC) + timedelta(hours=1)),
        )
    return TestUser(user_id=user_id, email=email, token=token)
