"""Argon2id parameters, the upgrade rule and the concurrency bound (no services)."""

from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher, Type, extract_parameters, profiles

from shared.auth.adapters.passwords import PasswordHashing, is_weaker
from shared.platform.errors import Unavailable

OWASP_ROWS = [(47_104, 1), (19_456, 2), (12_288, 3), (9_216, 4), (7_168, 5)]  # (m KiB, t), p = 1


@pytest.fixture(scope="module")
def hashing() -> PasswordHashing:
    return PasswordHashing(concurrency=2, queue_timeout_s=5)


def test_pinned_parameters_meet_an_owasp_row(hashing: PasswordHashing) -> None:
    params = extract_parameters(hashing.hash("a long enough password"))
    assert params.type is Type.ID and params.version == 19 and params.parallelism == 1
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2
    assert any(params.memory_cost >= m and params.time_cost >= t for m, t in OWASP_ROWS)
    assert params.hash_len >= 32 and params.salt_len >= 16


def test_verify_is_exact(hashing: PasswordHashing) -> None:
    stored = hashing.hash("Exact Password 123")
    assert hashing.verify(stored, "Exact Password 123")
    for wrong in ("exact password 123", "Exact Password 12", "Exact Password 123 ", ""):
        assert not hashing.verify(stored, wrong)


def test_missing_or_garbage_hash_never_verifies(hashing: PasswordHashing) -> None:
    assert not hashing.verify(None, "timing-parity-dummy-password")
    assert not hashing.verify("not-a-hash", "anything at all")


@pytest.mark.parametrize(
    ("hasher", "weaker"),
    [
        (PasswordHasher(time_cost=5, memory_cost=7_168, parallelism=1), True),
        (PasswordHasher(time_cost=1, memory_cost=47_104, parallelism=1), True),
        (PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, type=Type.I), True),
        (PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, hash_len=16), True),
        (PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1), False),
        (PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=4), False),
        (PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY), False),
        (PasswordHasher.from_parameters(profiles.PRE_21_2), True),  # 100 MiB, but a 16-byte tag
    ],
)
def test_only_weaker_hashes_need_a_rehash(hashing: PasswordHashing, hasher: PasswordHasher, weaker: bool) -> None:
    stored = hasher.hash("some password here")
    assert hashing.needs_rehash(stored) is weaker
    assert is_weaker(extract_parameters(stored), hashing.parameters) is weaker


def test_concurrency_is_bounded_and_excess_waits_then_is_refused() -> None:
    bounded = PasswordHashing(concurrency=1, queue_timeout_s=0.05)
    held = threading.Event()
    release = threading.Event()

    def hold_the_only_slot() -> None:
        with bounded._slot():
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold_the_only_slot)
    holder.start()
    try:
        assert held.wait(5)
        with pytest.raises(Unavailable):
            bounded.hash("a password that waits")
    finally:
        release.set()
        holder.join()
    assert bounded.verify(bounded.hash("free again now"), "free again now")
