"""The auth use cases driven with fakes: no Postgres, no Redis, no HTTP; the clock moves by hand."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import pytest

from shared.auth import jwt_tokens
from shared.auth.adapters.mail import AccountMail
from shared.auth.contracts import LoginRequest, SignupRequest
from shared.auth.oauth.linking import user_for_identity
from shared.auth.oauth.oidc import Identity
from shared.auth.settings import AuthSettings
from shared.auth.store.users import UserRow
from shared.auth.use_cases import accounts, recovery, sessions
from shared.auth.use_cases.accounts import WRONG_CREDENTIALS
from shared.auth.use_cases.sessions import Caller, OpenedSession
from shared.platform.clock import FixedClock
from shared.platform.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
)
from shared.platform.throttle import email_key
from tests.support.auth_fakes import MemoryAuthStore
from tests.support.fakes import FakePasswordHashing, MemoryThrottle, RecordingEmailSender, fixed_clock

PASSWORD = "correct horse battery staple"
IP = "203.0.113.7"
KEY = "k" * 32


def auth_settings(**values: object) -> AuthSettings:
    return AuthSettings.model_validate(values)


@dataclass
class World:
    """Every port of the auth use cases, as fakes."""

    settings: AuthSettings = field(default_factory=auth_settings)
    clock: FixedClock = field(default_factory=fixed_clock)
    store: MemoryAuthStore = field(default_factory=MemoryAuthStore)
    hashing: FakePasswordHashing = field(default_factory=FakePasswordHashing)
    sender: RecordingEmailSender = field(default_factory=RecordingEmailSender)
    throttle: MemoryThrottle = field(init=False)
    mail: AccountMail = field(init=False)

    def __post_init__(self) -> None:
        self.throttle = MemoryThrottle(self.clock)
        self.mail = AccountMail(sender=self.sender, base_url="https://app.example/")

    def sign_up(self, email: str = "ada@example.edu", *, ip: str | None = IP) -> UserRow:
        body = SignupRequest(email=email, password=PASSWORD)
        return accounts.sign_up(
            body=body, ip=ip, store=self.store, hashing=self.hashing, throttle=self.throttle, settings=self.settings
        )

    def sign_in(self, email: str = "ada@example.edu", password: str = PASSWORD, *, ip: str | None = IP) -> UserRow:
        body = LoginRequest(email=email, password=password)
        return accounts.sign_in(
            body=body, ip=ip, store=self.store, hashing=self.hashing, throttle=self.throttle, settings=self.settings
        )

    def open(self, user: UserRow, *, presented: uuid.UUID | None = None) -> OpenedSession:
        return sessions.open_session(
            user_id=user.id, auth_method="password", caller=Caller(user_agent="test", ip=IP), presented=presented,
            store=self.store, clock=self.clock, settings=self.settings,
        )  # fmt: skip

    def token_in_last_email(self) -> str:
        found = re.search(r"#token=([\w-]+)", self.sender.sent[-1].text)
        assert found is not None, self.sender.sent[-1].text
        return found.group(1)


@pytest.fixture
def world() -> World:
    return World()


# Sign up


def test_sign_up_stores_a_hash_never_the_password_and_remembers_the_address(world: World) -> None:
    user = world.sign_up()
    assert world.store.users[user.id].password_hash == f"fake${PASSWORD}"
    assert user.email_verified is False
    assert world.throttle.known[email_key("ada@example.edu")] == {IP}


def test_sign_up_refuses_a_taken_email_whatever_its_case(world: World) -> None:
    world.sign_up("ada@example.edu")
    with pytest.raises(Conflict) as refused:
        world.sign_up("ADA@example.edu")
    assert refused.value.details == {"field": "email"}
    assert len(world.store.users) == 1


def test_sign_ups_from_one_address_are_limited_per_minute() -> None:
    world = World(settings=auth_settings(AUTH_IP_LIMIT_PER_MINUTE=2))
    world.sign_up("a@example.edu")
    world.sign_up("b@example.edu")
    with pytest.raises(RateLimited):
        world.sign_up("c@example.edu")
    world.clock.advance(seconds=61)
    world.sign_up("c@example.edu")


# Sign in


def test_sign_in_with_the_right_password_returns_the_user_and_records_the_attempt(world: World) -> None:
    user = world.sign_up()
    assert world.sign_in().id == user.id
    assert [(a.email, a.ip, a.succeeded) for a in world.store.attempts] == [("ada@example.edu", IP, True)]


def test_unknown_email_and_wrong_password_look_the_same_and_cost_the_same(world: World) -> None:
    world.sign_up()
    with pytest.raises(Unauthenticated) as wrong:
        world.sign_in(password="not the password")
    with pytest.raises(Unauthenticated) as unknown:
        world.sign_in("nobody@example.edu")
    assert wrong.value.message == unknown.value.message == WRONG_CREDENTIALS
    assert world.hashing.verified == 2, "the unknown email is checked against a dummy hash too"
    assert [a.succeeded for a in world.store.attempts] == [False, False]


def test_repeated_failures_make_the_pair_wait_and_the_wait_doubles() -> None:
    world = World(settings=auth_settings(LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_SECONDS=60))
    world.sign_up()
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            world.sign_in(password="wrong")
    with pytest.raises(RateLimited) as waiting:
        world.sign_in()  # even the right password waits
    assert waiting.value.retry_after_s == 60
    assert waiting.value.details["reason"] == "sign_in_delayed"
    world.clock.advance(seconds=61)
    with pytest.raises(Unauthenticated):
        world.sign_in(password="wrong")
    with pytest.raises(RateLimited) as longer:
        world.sign_in()
    assert longer.value.retry_after_s == 120


def test_a_success_clears_the_pairs_failures() -> None:
    world = World(settings=auth_settings(LOGIN_MAX_FAILURES=3))
    world.sign_up()
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            world.sign_in(password="wrong")
    world.sign_in()
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            world.sign_in(password="wrong")
    assert world.sign_in().email == "ada@example.edu"


def test_strangers_guessing_an_account_do_not_lock_out_its_owner() -> None:
    world = World(settings=auth_settings(LOGIN_ACCOUNT_MAX_FAILURES=3, LOGIN_MAX_FAILURES=50))
    world.sign_up(ip=IP)
    for n in range(3):
        with pytest.raises(Unauthenticated):
            world.sign_in(password="guess", ip=f"198.51.100.{n}")
    with pytest.raises(RateLimited):
        world.sign_in(ip="198.51.100.99")  # another stranger waits
    assert world.sign_in(ip=IP).email == "ada@example.edu"  # the owner's own address does not


def test_a_weak_stored_hash_is_upgraded_on_sign_in(world: World) -> None:
    user = world.sign_up()
    world.store.set_password_hash(user_id=user.id, password_hash=f"weak${PASSWORD}")
    world.sign_in()
    assert world.store.users[user.id].password_hash == f"fake${PASSWORD}"


# Sessions


def test_signing_in_again_ends_the_session_the_request_presented(world: World) -> None:
    user = world.sign_up()
    first = world.open(user)
    second = world.open(user, presented=first.session_id)
    assert world.store.live_session_ids(user.id) == {second.session_id}
    assert first.token != second.token


def test_sessions_are_listed_newest_use_first_with_the_current_one_marked(world: World) -> None:
    user = world.sign_up()
    older = world.open(user)
    world.clock.advance(minutes=1)
    newer = world.open(user)
    listed = sessions.list_sessions(
        user_id=user.id, current=older.session_id, store=world.store, clock=world.clock, settings=world.settings
    )
    assert [(s.id, s.current) for s in listed.sessions] == [(newer.session_id, False), (older.session_id, True)]


def test_idle_sessions_drop_out_of_the_list(world: World) -> None:
    user = world.sign_up()
    world.open(user)
    world.clock.advance(minutes=world.settings.session_idle_minutes + 1)
    listed = sessions.list_sessions(
        user_id=user.id, current=None, store=world.store, clock=world.clock, settings=world.settings
    )
    assert listed.sessions == []


def test_a_user_ends_their_own_session_but_not_anothers(world: World) -> None:
    ada, bob = world.sign_up("ada@example.edu"), world.sign_up("bob@example.edu")
    bobs = world.open(bob)
    with pytest.raises(NotFound):
        sessions.end_session(user_id=ada.id, session_id=bobs.session_id, store=world.store, clock=world.clock)
    sessions.end_session(user_id=bob.id, session_id=bobs.session_id, store=world.store, clock=world.clock)
    assert world.store.live_session_ids(bob.id) == set()
    with pytest.raises(NotFound):  # already over
        sessions.end_session(user_id=bob.id, session_id=bobs.session_id, store=world.store, clock=world.clock)


def test_session_info_ends_at_the_idle_limit_or_the_absolute_one(world: World) -> None:
    user = world.sign_up()
    opened = world.open(user)
    info = sessions.session_info(session_id=opened.session_id, store=world.store, settings=world.settings)
    assert info.expires_at == opened.expires_at
    assert (info.idle_expires_at - world.clock.now()).total_seconds() == world.settings.session_idle_minutes * 60
    with pytest.raises(Unauthenticated):
        sessions.session_info(session_id=uuid.uuid4(), store=world.store, settings=world.settings)


def test_the_bearer_token_names_the_session_and_lives_its_ttl(world: World) -> None:
    user = world.sign_up()
    opened = world.open(user)
    bearer = sessions.bearer_token(
        user_id=user.id, session_id=opened.session_id, key=KEY, clock=world.clock, settings=world.settings
    )
    claims = jwt_tokens.verify(bearer.access_token, key=KEY, now=world.clock.now())
    assert (claims.user_id, claims.session_id) == (user.id, opened.session_id)
    assert bearer.expires_in == world.settings.jwt_ttl_seconds


# Email verification


def verify_after_signup(world: World, user: UserRow) -> None:
    recovery.verify_after_signup(
        user_id=user.id, email=user.email, store=world.store, mailer=world.mail, throttle=world.throttle,
        clock=world.clock, settings=world.settings,
    )  # fmt: skip


def test_the_verification_link_verifies_the_address_once(world: World) -> None:
    user = world.sign_up()
    verify_after_signup(world, user)
    [email] = world.sender.sent
    assert email.to == user.email and email.headers == {"X-Studyaid-Purpose": "verification"}
    assert "https://app.example/verify-email#token=" in email.text
    token = world.token_in_last_email()
    assert recovery.verify_email(token=token, store=world.store, clock=world.clock).email_verified is True
    with pytest.raises(InvalidArgument):
        recovery.verify_email(token=token, store=world.store, clock=world.clock)


def test_a_newer_link_retires_the_older_one(world: World) -> None:
    user = world.sign_up()
    verify_after_signup(world, user)
    older = world.token_in_last_email()
    verify_after_signup(world, user)
    with pytest.raises(InvalidArgument):
        recovery.verify_email(token=older, store=world.store, clock=world.clock)
    recovery.verify_email(token=world.token_in_last_email(), store=world.store, clock=world.clock)


def test_an_expired_link_is_refused(world: World) -> None:
    user = world.sign_up()
    verify_after_signup(world, user)
    world.clock.advance(hours=world.settings.email_verify_hours, seconds=1)
    with pytest.raises(InvalidArgument):
        recovery.verify_email(token=world.token_in_last_email(), store=world.store, clock=world.clock)


def test_an_address_signed_up_again_and_again_stops_getting_mail() -> None:
    world = World(settings=auth_settings(ACCOUNT_MAIL_PER_HOUR=2))
    user = world.sign_up()
    for _ in range(3):
        verify_after_signup(world, user)
    assert len(world.sender.sent) == 2


def test_resending_is_refused_once_verified(world: World) -> None:
    user = world.sign_up()

    def resend() -> str:
        return recovery.allow_resend(
            user_id=user.id, store=world.store, throttle=world.throttle, settings=world.settings
        )

    assert resend() == user.email
    verify_after_signup(world, user)
    recovery.verify_email(token=world.token_in_last_email(), store=world.store, clock=world.clock)
    with pytest.raises(FailedPrecondition):
        resend()


# Password reset and change


def mail_reset(world: World, email: str) -> None:
    recovery.mail_reset_link(
        email=email, store=world.store, mailer=world.mail, clock=world.clock, settings=world.settings
    )


def reset(world: World, token: str, password: str = "a brand new passphrase") -> None:
    recovery.reset_password(
        token=token, password=password, ip=IP, store=world.store, hashing=world.hashing, throttle=world.throttle,
        clock=world.clock, settings=world.settings,
    )  # fmt: skip


def test_no_reset_mail_goes_to_an_address_without_an_account(world: World) -> None:
    mail_reset(world, "nobody@example.edu")
    assert world.sender.sent == []


def test_a_reset_sets_the_password_verifies_the_address_and_ends_every_session(world: World) -> None:
    user = world.sign_up()
    world.open(user)
    world.open(user)
    mail_reset(world, user.email)
    assert "/reset-password#token=" in world.sender.sent[-1].text
    reset(world, world.token_in_last_email())
    stored = world.store.users[user.id]
    assert stored.password_hash == "fake$a brand new passphrase"
    assert stored.email_verified is True
    assert world.store.live_session_ids(user.id) == set()
    assert world.sign_in(password="a brand new passphrase").id == user.id


def test_a_reset_link_works_once_and_not_after_its_minutes(world: World) -> None:
    user = world.sign_up()
    mail_reset(world, user.email)
    token = world.token_in_last_email()
    reset(world, token)
    with pytest.raises(InvalidArgument):
        reset(world, token)
    mail_reset(world, user.email)
    world.clock.advance(minutes=world.settings.password_reset_minutes + 1)
    with pytest.raises(InvalidArgument):
        reset(world, world.token_in_last_email())


def test_reset_requests_are_limited_per_requester_and_recipient() -> None:
    world = World(settings=auth_settings(ACCOUNT_MAIL_PER_HOUR=1))

    def ask(email: str) -> None:
        recovery.limit_password_resets(email=email, ip=IP, throttle=world.throttle, settings=world.settings)

    ask("ada@example.edu")
    with pytest.raises(RateLimited):  # the same address asks again, for another recipient
        ask("bob@example.edu")


def change(world: World, user: UserRow, *, session_id: uuid.UUID | None, current: str) -> None:
    recovery.change_password(
        user_id=user.id, session_id=session_id, current=current, new="another long passphrase", store=world.store,
        hashing=world.hashing, throttle=world.throttle, clock=world.clock, settings=world.settings,
    )  # fmt: skip


def test_changing_the_password_keeps_this_session_and_ends_the_others(world: World) -> None:
    user = world.sign_up()
    here, elsewhere = world.open(user), world.open(user)
    change(world, user, session_id=here.session_id, current=PASSWORD)
    assert world.store.live_session_ids(user.id) == {here.session_id}
    assert elsewhere.session_id not in world.store.live_session_ids(user.id)
    assert world.store.users[user.id].password_hash == "fake$another long passphrase"


def test_changing_needs_the_current_password_and_an_account_that_has_one(world: World) -> None:
    user = world.sign_up()
    with pytest.raises(PermissionDenied):
        change(world, user, session_id=None, current="not it")
    identity = Identity("google", "sub-1", "https://accounts.google.com", "sso@example.edu", True, "Sso")
    sso = user_for_identity(identity=identity, store=world.store, clock=world.clock)
    with pytest.raises(FailedPrecondition):
        change(world, sso, session_id=None, current="anything")


# Linking a provider identity


def test_a_new_identity_creates_a_user_the_provider_verified_and_finds_it_again(world: World) -> None:
    identity = Identity("google", "sub-1", "https://accounts.google.com", "ada@gmail.example", True, "Ada")
    created = user_for_identity(identity=identity, store=world.store, clock=world.clock)
    assert (created.email, created.email_verified, created.password_hash) == ("ada@gmail.example", True, None)
    assert user_for_identity(identity=identity, store=world.store, clock=world.clock).id == created.id
    assert len(world.store.users) == 1


def test_an_identity_is_never_linked_to_an_account_by_its_email(world: World) -> None:
    world.sign_up("ada@example.edu")
    identity = Identity("microsoft", "sub-2", "https://login.example", "ada@example.edu", True, "Ada")
    with pytest.raises(Conflict) as refused:
        user_for_identity(identity=identity, store=world.store, clock=world.clock)
    assert refused.value.details == {"field": "email", "provider": "microsoft"}
    assert world.store.identities == {}


def test_an_identity_without_an_email_gets_an_unverified_placeholder(world: World) -> None:
    identity = Identity("microsoft", "sub-3", "https://login.example", None, False, "Anon")
    created = user_for_identity(identity=identity, store=world.store, clock=world.clock)
    assert created.email.startswith("microsoft-") and created.email.endswith("@accounts.invalid")
    assert created.email_verified is False
