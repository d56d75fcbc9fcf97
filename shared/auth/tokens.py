"""Session tokens: 256 random bits in the cookie, only their SHA-256 in the database."""

from __future__ import annotations

import hashlib
import secrets

SESSION_COOKIE = "studyaid_session"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
