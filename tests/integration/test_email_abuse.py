"""Probes: can the app be used to send email to anyone? (Before the fix: yes, all of these.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from shared.platform.errors import PermissionDenied
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


def _as(client: TestClient, user: TestUser) -> TestClient:
    client.cookies.clear()
    for name, value in user.cookies.items():
        client.cookies.set(name, value)
    return client


def _schedule(client: TestClient, send_at: datetime, text: str = "start the essay") -> int:
    return client.post("/v1/notify/schedule", json={"send_at": send_at.isoformat(), "text": text}).status_code


def test_test_email_in_a_loop_is_refused_after_the_hourly_quota(client: TestClient, container: Container) -> None:
    """Before: 30 (and 50) requests in a row were all 202."""
    _as(client, make_user(container))
    quota = container.settings.notify_test_per_hour
    statuses = [client.post("/v1/notify/test").status_code for _ in range(quota + 2)]
    assert statuses == [202] * quota + [429, 429]


def test_custom_reminders_are_capped_per_day(client: TestClient, container: Container) -> None:
    _as(client, make_user(container))
    soon = datetime.now(UTC) + timedelta(hours=1)
    quota = container.settings.notify_custom_per_day
    assert [_schedule(client, soon) for _ in range(quota + 1)] == [201] * quota + [429]


def test_send_at_in_the_past_or_beyond_a_year_is_refused(client: TestClient, container: Container) -> None:
    """Before: `send_at: 2000-01-01` was accepted and sent on the next tick, jumping every queue."""
    _as(client, make_user(container))
    past = client.post("/v1/notify/schedule", json={"send_at": "2000-01-01T00:00:00Z", "text": "account suspended"})
    assert (past.status_code, past.json()["error"]["code"]) == (400, "INVALID_ARGUMENT")
    assert "send_at" in past.json()["error"]["details"]
    assert _schedule(client, datetime.now(UTC) + timedelta(days=366)) == 400
    assert _schedule(client, datetime.now(UTC) + timedelta(days=364)) == 201


def test_an_unverified_address_gets_no_test_email_and_no_custom_reminder(
    client: TestClient, container: Container
) -> None:
    """Before: sign up with anyone's address, then mail them through /notify."""
    user = make_user(container, verified=False)
    _as(client, user)
    for response in (
        client.post("/v1/notify/test"),
        client.post(
            "/v1/notify/schedule",
            json={"send_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(), "text": "hello"},
        ),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == PermissionDenied.code
    with container.db.connection() as conn:
        rows = conn.execute(
            "SELECT count(*) FROM notification_deliveries WHERE user_id = %(u)s", {"u": user.user_id}
        ).fetchone()
    assert rows == (0,)
