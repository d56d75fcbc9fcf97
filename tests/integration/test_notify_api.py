"""`/v1/notify`: test email, custom reminders, status, preferences; always the caller's own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.notify.contracts import NotifyRequest
from shared.platform.streams import stream_key
from tests.support.notify_data import add_assignment, stream_data
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


def as_user(user: TestUser) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={user.token}"}


def test_routes_need_a_session(client: TestClient) -> None:
    assert client.post("/v1/notify/test").status_code == 401
    assert client.get("/v1/notify/preferences").status_code == 401


def test_test_email_is_queued_published_and_visible_in_status(client: TestClient, container: Container) -> None:
    user = make_user(container)
    response = client.post("/v1/notify/test", headers={**as_user(user), "X-Request-Id": "req-test-mail"})
    assert response.status_code == 202
    body = response.json()
    assert (body["kind"], body["status"], body["attempts"]) == ("test", "queued", 0)
    key = stream_key(container.settings.stream_prefix, NotifyRequest.stream)
    published = [NotifyRequest.model_validate_json(d) for d in stream_data(container.redis, key)]
    [mine] = [m for m in published if str(m.delivery_id) == body["id"]]
    assert mine.user_id == user.user_id and mine.request_id == "req-test-mail"
    status = client.get(f"/v1/notify/status/{body['id']}", headers=as_user(user))
    assert status.status_code == 200 and status.json()["id"] == body["id"]
    stranger = make_user(container)
    assert client.get(f"/v1/notify/status/{body['id']}", headers=as_user(stranger)).status_code == 404


def test_schedule_for_own_assignment_or_free_text(client: TestClient, container: Container) -> None:
    user = make_user(container)
    assignment = add_assignment(container, user_id=user.user_id, due_at=datetime(2042, 5, 1, tzinfo=UTC))
    send_at = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    made = client.post(
        "/v1/notify/schedule",
        headers=as_user(user),
        json={"send_at": send_at, "assignment_id": str(assignment.id), "text": "start early"},
    )
    assert made.status_code == 201
    assert (made.json()["kind"], made.json()["assignment_id"]) == ("custom", str(assignment.id))
    free = client.post(
        "/v1/notify/schedule", headers=as_user(user), json={"send_at": send_at, "text": "buy a lab coat"}
    )
    assert free.status_code == 201
    stranger = make_user(container)
    foreign = client.post(
        "/v1/notify/schedule", headers=as_user(stranger), json={"send_at": send_at, "assignment_id": str(assignment.id)}
    )
    assert foreign.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"send_at": "2042-01-01T10:00:00+00:00"},
        {"send_at": "2042-01-01T10:00:00", "text": "naive time"},
        {"send_at": "2042-01-01T10:00:00+00:00", "text": ""},
        {"send_at": "2042-01-01T10:00:00+00:00", "text": "x", "extra": 1},
    ],
)
def test_schedule_refuses_bad_requests(client: TestClient, container: Container, body: dict[str, object]) -> None:
    user = make_user(container)
    response = client.post("/v1/notify/schedule", headers=as_user(user), json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_ARGUMENT"


def test_preferences_default_then_change_and_reset(client: TestClient, container: Container) -> None:
    user = make_user(container)
    first = client.get("/v1/notify/preferences", headers=as_user(user))
    assert first.json() == {"windows_hours": [72, 24, 2], "time_zone": "UTC", "opted_out": False}
    changed = client.put(
        "/v1/notify/preferences",
        headers=as_user(user),
        json={"windows_hours": [2, 48, 48], "time_zone": "Europe/Berlin", "opted_out": True},
    )
    assert changed.json() == {"windows_hours": [48, 2], "time_zone": "Europe/Berlin", "opted_out": True}
    partial = client.put("/v1/notify/preferences", headers=as_user(user), json={"opted_out": False})
    assert partial.json() == {"windows_hours": [48, 2], "time_zone": "Europe/Berlin", "opted_out": False}
    reset = client.put("/v1/notify/preferences", headers=as_user(user), json={"windows_hours": None})
    assert reset.json()["windows_hours"] == [72, 24, 2]
    other = make_user(container)
    assert client.get("/v1/notify/preferences", headers=as_user(other)).json()["time_zone"] == "UTC"


@pytest.mark.parametrize(
    "body", [{"time_zone": "Mars/Olympus"}, {"windows_hours": [0]}, {"windows_hours": [721]}, {"windows_hours": []}]
)
def test_preferences_refuse_bad_values(client: TestClient, container: Container, body: dict[str, object]) -> None:
    user = make_user(container)
    assert client.put("/v1/notify/preferences", headers=as_user(user), json=body).status_code == 400


def test_unknown_delivery_is_404(client: TestClient, container: Container) -> None:
    user = make_user(container)
    assert client.get(f"/v1/notify/status/{uuid.uuid4()}", headers=as_user(user)).status_code == 404
