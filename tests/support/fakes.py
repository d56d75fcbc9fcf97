"""Fakes for unit tests: small plain classes that record what happened, no Postgres, Redis or network.

Each one stands in for a port a use case takes as a keyword argument; tests assert on the plain
data it keeps (`publisher.published`, `sender.sent`, `blobs.blobs`). Every context's unit tests
import them from here, so one fake per port serves the whole suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared.auth.adapters import PasswordHasher
from shared.notify.contracts import EmailSender, OutgoingEmail, SendError
from shared.platform.blobs import BlobStore
from shared.platform.blobs_memory import MemoryBlobStore
from shared.platform.clock import Clock, FixedClock
from shared.platform.errors import RateLimited
from shared.platform.messages import Message
from shared.platform.publisher import Publisher
from shared.platform.throttle import LoginPolicy, Throttle

#: Where every fixed clock starts unless a test says otherwise: a Monday, well inside any window.
EPOCH = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fixed_clock(at: datetime = EPOCH) -> FixedClock:
    """A clock that stands still until the test moves it (`clock.advance(seconds=61)`)."""
    return FixedClock(at)


def memory_blobs() -> MemoryBlobStore:
    """A blob store in a dict, with the app's containers already made."""
    blobs = MemoryBlobStore()
    blobs.ensure_containers()
    return blobs


class ListPublisher:
    """Records every message published; entry ids count up like a stream's."""

    def __init__(self) -> None:
        self.published: list[Message] = []

    def publish(self, message: Message) -> str:
        self.published.append(message)
        return f"{len(self.published)}-0"

    def of(self, kind: type[Message]) -> list[Message]:
        """The messages of one type, in publishing order."""
        return [message for message in self.published if isinstance(message, kind)]


class RecordingEmailSender:
    """Records each email sent; raises the scripted failures first, one per send."""

    name = "recording"

    def __init__(self, failures: list[SendError] | None = None) -> None:
        self.sent: list[OutgoingEmail] = []
        self.failures = list(failures or [])

    def send(self, email: OutgoingEmail) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(email)
        return f"recorded-{len(self.sent)}"

    def to(self, address: str) -> list[OutgoingEmail]:
        return [email for email in self.sent if email.to == address]


class MemoryThrottle:
    """The Redis throttle's rules over dicts, timed by the test's clock.

    Same semantics as `RedisThrottle`: fixed windows that start at the first hit; per-pair,
    per-address and per-account sign-in delays that double past their thresholds; addresses that
    signed in to an account are exempt from the account-wide delay.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.windows: dict[str, tuple[int, datetime]] = {}
        self.failures: dict[str, int] = {}
        self.locks: dict[str, datetime] = {}
        self.known: dict[str, set[str]] = {}
        self.forgotten: list[str] = []

    def hit(self, bucket: str, *, limit: int, window_s: int, what: str) -> None:
        now = self.clock.now()
        count, ends = self.windows.get(bucket, (0, now + timedelta(seconds=window_s)))
        if ends <= now:
            count, ends = 0, now + timedelta(seconds=window_s)
        self.windows[bucket] = (count + 1, ends)
        if count + 1 > limit:
            raise RateLimited(f"too many {what}; retry later", retry_after_s=max(self._left(ends), 1))

    def check_sign_in(self, *, account: str, address: str) -> None:
        scopes: tuple[str, ...] = _scopes(account, address)
        if address in self.known.get(account, set()):
            scopes = scopes[:2]  # the account-wide wait is for strangers only
        wait = max(self._left(self.locks.get(scope)) for scope in scopes)
        if wait > 0:
            raise RateLimited(
                "too many failed sign-ins; retry later", retry_after_s=wait, details={"reason": "sign_in_delayed"}
            )

    def record_failure(self, *, account: str, address: str, policy: LoginPolicy) -> None:
        thresholds = (policy.pair_failures, policy.address_failures, policy.account_failures)
        for scope, threshold in zip(_scopes(account, address), thresholds, strict=True):
            count = self.failures[scope] = self.failures.get(scope, 0) + 1
            if count >= threshold:
                delay = policy.delay_s(failures=count, threshold=threshold)
                self.locks[scope] = self.clock.now() + timedelta(seconds=delay)

    def record_success(self, *, account: str, address: str) -> None:
        pair = _scopes(account, address)[0]
        self.failures.pop(pair, None)
        self.locks.pop(pair, None)
        self.known.setdefault(account, set()).add(address)

    def forget(self, *, account: str) -> None:
        self.forgotten.append(account)
        self.known.pop(account, None)
        self.failures.pop(f"acct:{account}", None)
        self.locks.pop(f"acct:{account}", None)

    def _left(self, until: datetime | None) -> int:
        if until is None:
            return 0
        return max(int((until - self.clock.now()).total_seconds()), 0)


def _scopes(account: str, address: str) -> tuple[str, str, str]:
    return f"pair:{account}:{address}", f"addr:{address}", f"acct:{account}"


@dataclass
class FakePasswordHashing:
    """Hashes are readable (`fake$<password>`); a hash starting `weak$` asks to be upgraded.

    `verified` counts every check, including the dummy one for an unknown email, so a test can
    see that an unknown email costs the same work as a wrong password.
    """

    verified: int = 0
    hashed: int = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return f"fake${password}"

    def verify(self, stored_hash: str | None, password: str) -> bool:
        self.verified += 1
        if stored_hash is None:
            return False
        return stored_hash.split("$", 1)[1] == password

    def needs_rehash(self, stored_hash: str) -> bool:
        return stored_hash.startswith("weak$")


def _conforms(
    clock: FixedClock, blobs: MemoryBlobStore, publisher: ListPublisher, sender: RecordingEmailSender
) -> tuple[Clock, BlobStore, Publisher, EmailSender, Throttle, PasswordHasher]:
    """Never called: mypy checks here that each fake still satisfies its port."""
    return clock, blobs, publisher, sender, MemoryThrottle(clock), FakePasswordHashing()
