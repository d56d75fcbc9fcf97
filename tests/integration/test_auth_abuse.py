"""Sign-in delays, rate limits and hash upgrades on login, against real Postgres and Redis."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, extract_parameters
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.adapters.passwords import MEMORY_COST_KIB, TIME_COST
from shared.container import Container
from shared.platform.clock import FixedClock
from tests.conftest import FROM_APP
from tests.support.auth_stack import STRONG_PASSWORD, auth_app
from tests.support.clients import started

pytestmark = pytest.mark.integration

App = tuple[TestClient, Container, FixedClock]


def _email() -> str:
    return f"student-{uuid.uuid4().hex[:8]}@example.edu"


def _signup(client: TestClient, email: str) -> None:
    assert client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD}).status_code == 201
    client.cookies.clear()


def _login(client: TestClient, email: str, password: str = STRONG_PASSWORD) -> int:
    return client.post("/v1/auth/login", json={"email": email, "password": password}).status_code


@pytest.fixture
def locking_app(stack: Stack, database_url: str) -> Iterator[App]:
    with auth_app(stack, database_url, LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=2) as app:
        yield app


def from_address(client: TestClient, ip: str) -> TestClient:
    """The same app (same Redis keys) reached from another client address."""
    return started(TestClient(client.app, client=(ip, 40000), headers=FROM_APP))


def test_repeated_failures_delay_that_address_with_retry_after_then_it_passes(locking_app: App) -> None:
    client, _, _ = locking_app
    email = _email()
    _signup(client, email)
    assert [_login(client, email, "wrong password here") for _ in range(3)] == [401, 401, 401]
    delayed = client.post("/v1/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert delayed.status_code == 429
    assert delayed.json()["error"]["code"] == "RATE_LIMITED"
    assert delayed.json()["error"]["details"]["reason"] == "sign_in_delayed"
    assert 1 <= int(delayed.headers["retry-after"]) <= 2
    time.sleep(2.1)  # the delay is a Redis TTL: real time, two seconds here
    assert _login(client, email) == 200


def test_each_further_failure_doubles_the_delay(stack: Stack, database_url: str) -> None:
    limits: dict[str, object] = {"LOGIN_MAX_FAILURES": 2, "LOGIN_LOCKOUT_SECONDS": 1, "LOGIN_LOCKOUT_MAX_SECONDS": 3}
    with auth_app(stack, database_url, extra=limits) as (client, _, _):
        email = _email()
        assert [_login(client, email, "wrong password here") for _ in range(2)] == [401, 401]
        first = client.post("/v1/auth/login", json={"email": email, "password": "wrong password here"})
        assert (first.status_code, first.headers["retry-after"]) == (429, "1")
        time.sleep(1.1)
        assert _login(client, email, "wrong password here") == 401
        second = client.post("/v1/auth/login", json={"email": email, "password": "wrong password here"})
        assert (second.status_code, second.headers["retry-after"]) == (429, "2")


def test_failures_from_elsewhere_never_lock_the_owner_out(stack: Stack, database_url: str) -> None:
    """Probe (lockout DoS): before, five wrong passwords from another address gave the owner a 429."""
    limits: dict[str, object] = {"LOGIN_MAX_FAILURES": 3, "LOGIN_ACCOUNT_MAX_FAILURES": 6}
    with auth_app(stack, database_url, extra=limits) as (owner, _, _):
        email = _email()
        _signup(owner, email)
        for n in range(2):  # 2 attackers x 3 failures: both pairs and the account pass their thresholds
            attacker = from_address(owner, f"203.0.113.{n + 1}")
            assert [_login(attacker, email, "a wrong guess") for _ in range(3)] == [401, 401, 401]
            assert _login(attacker, email) == 429  # the attacker's own pair waits, even with the password
        assert _login(from_address(owner, "198.51.100.9"), email) == 429  # new addresses wait meanwhile
        assert _login(owner, email) == 200  # the owner's address signed in before: no account-wide wait


def test_unknown_emails_are_delayed_exactly_like_real_ones(locking_app: App) -> None:
    client, _, _ = locking_app
    nobody, somebody = _email(), _email()
    _signup(client, somebody)
    unknown = [_login(client, nobody, "wrong password here") for _ in range(4)]
    known = [_login(client, somebody, "wrong password here") for _ in range(4)]
    assert unknown == known == [401, 401, 401, 429]


def test_success_resets_the_failure_count(locking_app: App) -> None:
    client, _, _ = locking_app
    email = _email()
    _signup(client, email)
    assert [_login(client, email, "wrong password here") for _ in range(2)] == [401, 401]
    assert _login(client, email) == 200
    assert [_login(client, email, "wrong password here") for _ in range(2)] == [401, 401]
    assert _login(client, email) == 200


def test_one_address_spraying_many_accounts_waits(stack: Stack, database_url: str) -> None:
    with auth_app(stack, database_url, LOGIN_ADDRESS_MAX_FAILURES=3) as (client, _, _):
        assert [_login(client, _email(), "wrong password here") for _ in range(4)] == [401, 401, 401, 429]


def test_per_ip_limit_on_login_and_signup(stack: Stack, database_url: str) -> None:
    with auth_app(stack, database_url, AUTH_IP_LIMIT_PER_MINUTE=3) as (client, _, _):
        statuses = [_login(client, _email(), "wrong password here") for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        signups = [
            client.post("/v1/auth/signup", json={"email": _email(), "password": STRONG_PASSWORD}).status_code
            for _ in range(4)
        ]
        assert signups == [201, 201, 201, 429]
        refused = client.post("/v1/auth/signup", json={"email": _email(), "password": STRONG_PASSWORD})
        assert refused.json()["error"]["code"] == "RATE_LIMITED"
        assert 1 <= int(refused.headers["retry-after"]) <= 60


def test_ipv6_hosts_of_one_slash_64_share_the_per_address_limit(stack: Stack, database_url: str) -> None:
    limits: dict[str, object] = {"AUTH_IP_LIMIT_PER_MINUTE": 2}
    with auth_app(stack, database_url, ip="2001:db8:7:7::1", extra=limits) as (first, _, _):
        assert [_login(first, _email(), "wrong password here") for _ in range(2)] == [401, 401]
        assert _login(from_address(first, "2001:db8:7:7:ffff::2"), _email(), "wrong password here") == 429
        assert _login(from_address(first, "2001:db8:7:8::1"), _email(), "wrong password here") == 401


def _stored_hash(container: Container, email: str) -> str:
    with container.db.connection() as conn:
        row = conn.execute("SELECT password_hash FROM users WHERE email = %(e)s", {"e": email}).fetchone()
    assert row is not None
    return str(row[0])


def _set_hash(container: Container, email: str, password_hash: str) -> None:
    with container.db.connection() as conn:
        conn.execute("UPDATE users SET password_hash = %(h)s WHERE email = %(e)s", {"h": password_hash, "e": email})


@pytest.fixture
def app(stack: Stack, database_url: str) -> Iterator[App]:
    with auth_app(stack, database_url) as built:
        yield built


def test_stored_hash_uses_the_pinned_argon2id_parameters(app: App) -> None:
    client, built, _ = app
    email = _email()
    _signup(client, email)
    stored = _stored_hash(built, email)
    params = extract_parameters(stored)
    assert stored.startswith("$argon2id$v=19$")
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19_456, 2, 1)
    assert params.hash_len >= 32 and params.salt_len >= 16


@pytest.mark.parametrize(("memory", "time_cost"), [(7_168, 5), (19_456, 1), (8_192, 2)])
def test_weaker_hash_is_upgraded_on_successful_login_only(app: App, memory: int, time_cost: int) -> None:
    client, built, _ = app
    email = _email()
    _signup(client, email)
    weak = PasswordHasher(time_cost=time_cost, memory_cost=memory, parallelism=1).hash(STRONG_PASSWORD)
    _set_hash(built, email, weak)
    assert _login(client, email, "wrong password here") == 401
    assert _stored_hash(built, email) == weak
    assert _login(client, email) == 200
    upgraded = extract_parameters(_stored_hash(built, email))
    assert (upgraded.memory_cost, upgraded.time_cost) == (MEMORY_COST_KIB, TIME_COST)


def test_stronger_hash_is_kept_not_downgraded(app: App) -> None:
    client, built, _ = app
    email = _email()
    _signup(client, email)
    strong = PasswordHasher(time_cost=3, memory_cost=65_536, parallelism=4).hash(STRONG_PASSWORD)
    _set_hash(built, email, strong)
    assert _login(client, email) == 200
    assert _stored_hash(built, email) == strong


def test_every_attempt_is_recorded_and_logged_without_secrets(app: App, caplog: pytest.LogCaptureFixture) -> None:
    client, built, _ = app
    email = _email()
    caplog.set_level(logging.INFO)
    _signup(client, email)
    _login(client, email, "wrong password here")
    _login(client, email)
    attempts = [r for r in caplog.records if r.getMessage() == "sign-in attempt"]
    assert [getattr(r, "outcome", None) for r in attempts] == ["failed", "ok"]
    logged = " ".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert STRONG_PASSWORD not in logged and "wrong password here" not in logged and email not in logged
    with built.db.connection() as conn:
        rows = conn.execute(
            "SELECT succeeded FROM login_attempts WHERE email = %(e)s ORDER BY id", {"e": email}
        ).fetchall()
    assert [row[0] for row in rows] == [False, True]


def test_unknown_email_costs_the_same_argon2_verify_as_a_wrong_password(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, built, _ = app
    email = _email()
    _signup(client, email)
    hashing = built.password_hashing
    verified: list[bool] = []
    real_verify = hashing.verify

    def recording(stored_hash: str | None, password: str) -> bool:
        verified.append(stored_hash is None)  # None: checked against the dummy hash
        return real_verify(stored_hash, password)

    monkeypatch.setattr(hashing, "verify", recording)
    assert _login(client, email, "wrong password here") == 401
    assert _login(client, _email(), "wrong password here") == 401
    assert verified == [False, True]
