"""Email verification, password reset and change, and the list of sessions, over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.platform.clock import FixedClock
from shared.platform.errors import PermissionDenied
from tests.conftest import FROM_APP
from tests.support.auth_stack import STRONG_PASSWORD, auth_app
from tests.support.clients import started
from tests.support.outbox import mails_to, token_in

pytestmark = pytest.mark.integration

App = tuple[TestClient, Container, FixedClock, Path]
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def app(stack: Stack, database_url: str, tmp_path: Path) -> Iterator[App]:
    with auth_app(stack, database_url, OUTBOX_DIR=tmp_path, ACCOUNT_MAIL_PER_HOUR=2) as built:
        yield (*built, tmp_path)


def _email() -> str:
    return f"student-{uuid.uuid4().hex[:8]}@example.edu"


def _signup(client: TestClient, email: str) -> str:
    response = client.post("/v1/auth/signup", json={"email": email, "password": STRONG_PASSWORD})
    assert response.status_code == 201, response.text
    return client.cookies[SESSION_COOKIE]


def _session(client: TestClient, token: str) -> int:
    browser = started(TestClient(client.app, client=("10.0.0.1", 40003), headers=FROM_APP))
    browser.cookies.set(SESSION_COOKIE, token)
    return browser.get("/v1/auth/session").status_code


def _login(client: TestClient, email: str, password: str) -> TestClient:
    """A separate browser of the same person (its own cookie jar) signed in."""
    other = started(TestClient(client.app, client=("10.0.0.1", 40001), headers=FROM_APP))
    assert other.post("/v1/auth/login", json={"email": email, "password": password}).status_code == 200
    return other


def test_signup_mails_one_verification_link_that_works_once(app: App) -> None:
    client, built, _, outbox = app
    email = _email()
    _signup(client, email)
    [mail] = mails_to(outbox, email)
    assert mail["Subject"] == "Confirm your email address for Study Aid"
    token = token_in(mail)
    with built.db.connection() as conn:
        stored = conn.execute("SELECT count(*) FROM account_tokens WHERE token_hash = %(t)s", {"t": token.encode()})
        assert stored.fetchone() == (0,)  # only the hash is kept
    verified = client.post("/v1/auth/email/verify", json={"token": token})
    assert verified.status_code == 200 and verified.json()["email_verified"] is True
    again = client.post("/v1/auth/email/verify", json={"token": token})
    assert (again.status_code, again.json()["error"]["code"]) == (400, "INVALID_ARGUMENT")
    assert client.get("/v1/auth/session").json()["user"]["email_verified"] is True


def test_no_other_email_reaches_an_unverified_address(app: App) -> None:
    client, _, _, outbox = app
    email = _email()
    _signup(client, email)
    refused = client.post("/v1/notify/test")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == PermissionDenied.code
    assert refused.json()["error"]["details"]["reason"] == "email_unverified"
    assert [m["Subject"] for m in mails_to(outbox, email)] == ["Confirm your email address for Study Aid"]
    assert client.post("/v1/auth/email/verify", json={"token": token_in(mails_to(outbox, email)[0])}).status_code == 200
    assert client.post("/v1/notify/test").status_code == 202


def test_resend_retires_the_older_link_and_is_rate_limited(app: App) -> None:
    client, _, _, outbox = app
    email = _email()
    _signup(client, email)  # the sign-up's email counts for the address: one more may follow this hour
    assert [client.post("/v1/auth/email/resend").status_code for _ in range(2)] == [202, 429]
    first, latest = mails_to(outbox, email)
    assert client.post("/v1/auth/email/verify", json={"token": token_in(first)}).status_code == 400
    assert client.post("/v1/auth/email/verify", json={"token": token_in(latest)}).status_code == 200
    assert client.post("/v1/auth/email/resend").status_code == 409  # verified already


def test_forgot_password_answers_alike_for_unknown_and_known_addresses(app: App) -> None:
    client, _, _, outbox = app
    email, nobody = _email(), _email()
    _signup(client, email)
    client.cookies.clear()
    known = client.post("/v1/auth/password/forgot", json={"email": email})
    unknown = client.post("/v1/auth/password/forgot", json={"email": nobody})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content) == (202, b"")
    assert mails_to(outbox, nobody) == []
    assert mails_to(outbox, email)[-1]["Subject"] == "Reset your Study Aid password"
    elsewhere = started(TestClient(client.app, client=("10.0.0.2", 1), headers=FROM_APP))
    # the address had the sign-up's email and one reset link: ACCOUNT_MAIL_PER_HOUR (2) is reached
    assert elsewhere.post("/v1/auth/password/forgot", json={"email": email}).status_code == 429
    assert elsewhere.post("/v1/auth/password/forgot", json={"email": _email()}).status_code == 202
    assert client.post("/v1/auth/password/forgot", json={"email": _email()}).status_code == 429  # per requester


def test_reset_sets_the_password_once_and_ends_every_session(app: App) -> None:
    client, _, _, outbox = app
    email = _email()
    old_session = _signup(client, email)
    phone = _login(client, email, STRONG_PASSWORD)
    client.cookies.clear()
    assert client.post("/v1/auth/password/forgot", json={"email": email}).status_code == 202
    token = token_in(mails_to(outbox, email)[-1])
    reset = client.post("/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD})
    assert reset.status_code == 204
    assert _session(client, old_session) == 401 and phone.get("/v1/auth/session").status_code == 401
    again = client.post("/v1/auth/password/reset", json={"token": token, "password": "yet another passphrase"})
    assert again.status_code == 400
    signed_in = _login(client, email, NEW_PASSWORD)
    assert signed_in.get("/v1/auth/session").json()["user"]["email_verified"] is True  # the link proved the address


def test_a_reset_link_expires(app: App) -> None:
    client, built, clock, outbox = app
    email = _email()
    _signup(client, email)
    assert client.post("/v1/auth/password/forgot", json={"email": email}).status_code == 202
    clock.advance(minutes=built.settings.password_reset_minutes, seconds=1)
    token = token_in(mails_to(outbox, email)[-1])
    assert client.post("/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD}).status_code == 400


def test_change_password_needs_the_current_one_and_ends_the_other_sessions(app: App) -> None:
    client, _, _, _ = app
    email = _email()
    _signup(client, email)
    laptop = _login(client, email, STRONG_PASSWORD)
    wrong = client.post("/v1/auth/password/change", json={"current_password": "not it", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 403
    body = {"current_password": STRONG_PASSWORD, "new_password": NEW_PASSWORD}
    assert client.post("/v1/auth/password/change", json=body).status_code == 204
    assert client.get("/v1/auth/session").status_code == 200  # this session stays
    assert laptop.get("/v1/auth/session").status_code == 401
    _login(client, email, NEW_PASSWORD)


def test_sessions_are_listed_and_one_can_be_ended(app: App) -> None:
    client, _, _, _ = app
    email = _email()
    _signup(client, email)
    laptop = _login(client, email, STRONG_PASSWORD)
    listed = client.get("/v1/auth/sessions").json()["sessions"]
    assert len(listed) == 2 and sorted(s["current"] for s in listed) == [False, True]
    [other] = [s for s in listed if not s["current"]]
    assert client.delete(f"/v1/auth/sessions/{other['id']}").status_code == 204
    assert laptop.get("/v1/auth/session").status_code == 401
    assert client.delete(f"/v1/auth/sessions/{other['id']}").status_code == 404
    stranger = started(TestClient(client.app, client=("10.0.0.9", 40002), headers=FROM_APP))
    _signup(stranger, _email())
    [mine] = client.get("/v1/auth/sessions").json()["sessions"]
    assert stranger.delete(f"/v1/auth/sessions/{mine['id']}").status_code == 404
    assert client.get("/v1/auth/session").status_code == 200


def test_signing_an_address_up_again_and_again_stops_mailing_it(app: App) -> None:
    client, _, _, outbox = app
    email = _email()
    for _ in range(3):
        _signup(client, email)
        assert client.request("DELETE", "/v1/account", json={"password": STRONG_PASSWORD}).status_code == 204
    assert len(mails_to(outbox, email)) == 2  # ACCOUNT_MAIL_PER_HOUR: the third sign-up sent nothing


def test_reset_attempts_are_limited_per_address(stack: Stack, database_url: str, tmp_path: Path) -> None:
    """Each attempt costs an Argon2 hash whatever the token, so guessing is limited like sign-up."""
    with auth_app(stack, database_url, OUTBOX_DIR=tmp_path, AUTH_IP_LIMIT_PER_MINUTE=2) as built:
        client = built[0]
        body = {"token": "guessed", "password": NEW_PASSWORD}
        assert [client.post("/v1/auth/password/reset", json=body).status_code for _ in range(3)] == [400, 400, 429]
