"""The auth context's ports: hashing passwords, and mailing the account links.

Their adapters sit beside them (`passwords.py`: Argon2id; `mail.py`: the emails, over the notify
context's sender); the container builds each once.
"""

from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when `password` matches; a missing hash costs what a wrong password costs."""
        ...

    def needs_rehash(self, stored_hash: str) -> bool: ...


class AccountMailer(Protocol):
    def send_verification(self, *, to: str, token: str) -> None: ...

    def send_password_reset(self, *, to: str, token: str, minutes: int) -> None: ...
