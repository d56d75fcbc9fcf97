"""Abuse limits in Redis, shared by every instance: fixed-window rate limits and sign-in delays.

Every context that limits a caller (sign-in, uploads, generation starts, Canvas syncs, emails)
takes a `Throttle`; the container builds the Redis one once (`container.throttle`).

Keys carry the stream prefix (so parallel test sessions never collide) and a hash of the
email, never the email itself. Limits apply to unknown emails exactly as to real ones, so
neither reveals whether an account exists.

Failed sign-ins are counted per (account, address), per address, and per account (OWASP's
authentication cheat sheet): past a threshold each scope waits, and the wait doubles with every
further failure. The per-account wait never applies to addresses that signed in to that account
before, so an attacker elsewhere cannot lock the owner out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from redis import Redis

from shared.platform.errors import RateLimited

#: How long failures are remembered, and an address that signed in stays known to the account.
FAILURE_MEMORY_S = 24 * 3600
KNOWN_ADDRESS_S = 90 * 24 * 3600


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:32]


@dataclass(frozen=True)
class LoginPolicy:
    pair_failures: int
    address_failures: int
    account_failures: int
    first_delay_s: int
    max_delay_s: int

    def delay_s(self, *, failures: int, threshold: int) -> int:
        doubled: int = self.first_delay_s * 2 ** min(failures - threshold, 30)
        return min(doubled, self.max_delay_s)


class Throttle(Protocol):
    """The port: fixed-window limits and the sign-in delays, whatever keeps the counts."""

    def hit(self, bucket: str, *, limit: int, window_s: int, what: str) -> None: ...

    def check_sign_in(self, *, account: str, address: str) -> None: ...

    def record_failure(self, *, account: str, address: str, policy: LoginPolicy) -> None: ...

    def record_success(self, *, account: str, address: str) -> None: ...

    def forget(self, *, account: str) -> None: ...


class RedisThrottle:
    """The counts in Redis, so every instance sees the same ones."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = f"{prefix}auth:"  # the keys kept the name of the context that first used them

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

    def check_sign_in(self, *, account: str, address: str) -> None:
        """Refuse while any scope this attempt falls in is waiting out its delay."""
        pipe = self._redis.pipeline()
        pipe.sismember(self._key("known", account), address)
        for scope in _scopes(account, address):
            pipe.ttl(self._key("lock", scope))
        known, *ttls = pipe.execute()
        if known:
            ttls = ttls[:2]  # the account-wide wait is for strangers only
        wait = max(int(ttl) for ttl in ttls)
        if wait > 0:
            raise RateLimited(
                "too many failed sign-ins; retry later", retry_after_s=wait, details={"reason": "sign_in_delayed"}
            )

    def record_failure(self, *, account: str, address: str, policy: LoginPolicy) -> None:
        thresholds = (policy.pair_failures, policy.address_failures, policy.account_failures)
        scopes = _scopes(account, address)
        pipe = self._redis.pipeline()
        for scope in scopes:
            pipe.incr(self._key("fail", scope))
            pipe.expire(self._key("fail", scope), FAILURE_MEMORY_S)
        counts = pipe.execute()[::2]
        pipe = self._redis.pipeline()
        for scope, count, threshold in zip(scopes, counts, thresholds, strict=True):
            if int(count) >= threshold:
                pipe.set(self._key("lock", scope), "1", ex=policy.delay_s(failures=int(count), threshold=threshold))
        pipe.execute()

    def record_success(self, *, account: str, address: str) -> None:
        """The pair starts afresh, and the address is known to the account from now on."""
        pair = _scopes(account, address)[0]
        pipe = self._redis.pipeline()
        pipe.delete(self._key("fail", pair), self._key("lock", pair))
        pipe.sadd(self._key("known", account), address)
        pipe.expire(self._key("known", account), KNOWN_ADDRESS_S)
        pipe.execute()

    def forget(self, *, account: str) -> None:
        """Drop what is kept about an account: its known addresses and its failure counts.
        (Per-pair counts name an address too; they lapse within `FAILURE_MEMORY_S`.)"""
        scope = f"acct:{account}"
        self._redis.delete(self._key("known", account), self._key("fail", scope), self._key("lock", scope))

    def _key(self, kind: str, scope: str) -> str:
        return f"{self._prefix}{kind}:{scope}"


def _scopes(account: str, address: str) -> tuple[str, str, str]:
    return f"pair:{account}:{address}", f"addr:{address}", f"acct:{account}"
