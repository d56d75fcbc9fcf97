"""Session tokens: 256 random bits in the cookie, only their SHA-256 in the database."""

from __future__ import annotations

import hashlib
import secrets

SESSION_COOKIE = "studyaid_session"


def session_cookie_name(*, secure: bool) -> str:
    """`__Host-` binds a Secure cookie to this exact host and `Path=/`; plain http dev cannot use it."""
    return f"__Host-{SESSION_COOKIE}" if secure else SESSION_COOKIE


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
