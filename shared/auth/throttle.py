"""Abuse limits in Redis, shared by every instance: fixed-window rate limits and account lockout.

Keys carry the stream prefix (so parallel test sessions never collide) and a hash of the
email, never the email itself. Lockout and limits apply to unknown emails exactly as to real
ones, so neither reveals whether an account exists.
"""

from __future__ import annotations

import hashlib

from redis import Redis

from shared.platform.errors import RateLimited


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]


class Throttle:
    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}auth:"

    def hit(self, bucket: str, *, limit: int, window_s: int, what: str) -> None:
        """Count one request in `bucket`; past `limit` in the window, refuse with Retry-After."""
        key = f"{self._prefix}rate:{bucket}"
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window_s, nx=True)
        pipe.ttl(key)
        count, _, ttl = pipe.execute()
        if int(count) > limit:
            raise RateLimited(f"too many {what}; retry later", retry_after_s=max(int(ttl), 1))

    def check_lock(self, account: str) -> None:
        ttl = int(self._redis.ttl(f"{self._prefix}lock:{account}"))
        if ttl > 0:
            raise RateLimited(
                "this account is temporarily locked after repeated failed sign-ins; retry later",
                retry_after_s=ttl,
                details={"reason": "account_locked"},
            )

    def record_failure(self, account: str, *, max_failures: int, lockout_s: int) -> None:
        """Count a failed sign-in; the `max_failures`-th locks the account for `lockout_s`."""
        key = f"{self._prefix}fail:{account}"
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, lockout_s, nx=True)
        failures, _ = pipe.execute()
        if int(failures) >= max_failures:
            pipe = self._redis.pipeline()
            pipe.set(f"{self._prefix}lock:{account}", "1", ex=lockout_s)
            pipe.delete(key)
            pipe.execute()

    def clear_failures(self, account: str) -> None:
        self._redis.delete(f"{self._prefix}fail:{account}")
