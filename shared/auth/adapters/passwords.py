"""Password hashing: Argon2id with parameters pinned here, bounded concurrency, upgrade on login.

The parameters are OWASP's second Argon2id row (19 MiB, t=2, p=1); argon2-cffi's own defaults
may change between releases, so they are never used. Each hash in flight holds `memory_cost`
KiB, so a semaphore caps how many run at once: a burst of logins waits (or is refused with
UNAVAILABLE after a timeout) instead of exhausting memory.
"""

from __future__ import annotations

import threading

from argon2 import Parameters, PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from shared.platform.errors import Unavailable

MEMORY_COST_KIB = 19_456
TIME_COST = 2
PARALLELISM = 1
HASH_LEN = 32
SALT_LEN = 16
ARGON2_VERSION = 19


class PasswordHashing:
    """Hash and verify under a concurrency bound; say when a stored hash is weaker than ours."""

    def __init__(self, *, concurrency: int, queue_timeout_s: float) -> None:
        self._hasher = PasswordHasher(
            time_cost=TIME_COST,
            memory_cost=MEMORY_COST_KIB,
            parallelism=PARALLELISM,
            hash_len=HASH_LEN,
            salt_len=SALT_LEN,
            type=Type.ID,
        )
        self._slots = threading.BoundedSemaphore(concurrency)
        self._timeout = queue_timeout_s
        # Verified for unknown emails, so they cost what a wrong password costs.
        self._dummy = self._hasher.hash("timing-parity-dummy-password")

    @property
    def parameters(self) -> Parameters:
        return extract_parameters(self._dummy)

    def hash(self, password: str) -> str:
        with self._slot():
            return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when `password` matches; a missing hash is checked against a dummy (same cost)."""
        with self._slot():
            try:
                return self._hasher.verify(stored_hash or self._dummy, password) and stored_hash is not None
            except (VerificationError, InvalidHashError):
                return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return is_weaker(extract_parameters(stored_hash), self.parameters)

    def _slot(self) -> _Slot:
        return _Slot(self._slots, self._timeout)


def is_weaker(stored: Parameters, current: Parameters) -> bool:
    """A hash is upgraded only when some cost is below ours; one that is stronger everywhere stays."""
    return (
        stored.type is not Type.ID
        or stored.version < ARGON2_VERSION
        or stored.memory_cost < current.memory_cost
        or stored.time_cost < current.time_cost
        or stored.hash_len < current.hash_len
        or stored.salt_len < current.salt_len
    )


class _Slot:
    def __init__(self, semaphore: threading.BoundedSemaphore, timeout: float) -> None:
        self._semaphore = semaphore
        self._timeout = timeout

    def __enter__(self) -> None:
        if not self._semaphore.acquire(timeout=self._timeout):
            raise Unavailable("too many sign-ins at once; retry in a moment")

    def __exit__(self, *_exc: object) -> None:
        self._semaphore.release()
