"""`GET /v1/plan` and the study settings: a plan against real due dates that follows every change."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from tests.conftest import FROM_APP
from tests.support.study_docs import make_course, studied_document
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


@pytest.fixture
def student(container: Container) -> TestUser:
    return make_user(container)


@pytest.fixture
def as_student(client: TestClient, student: TestUser) -> TestClient:
    client.cookies.update(student.cookies)
    return client


def _assignment(container: Container, user: TestUser, course: uuid.UUID, due_in_days: int) -> uuid.UUID:
    assignment_id = uuid.uuid4()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO assignments (id, user_id, course_id, canvas_id, name, due_at) VALUES (%s, %s, %s, %s, %s, %s)",
            (assignment_id, user.user_id, course, uuid.uuid4().int % 10**12, "Search essay",
             datetime.now(UTC) + timedelta(days=due_in_days)),
        )  # fmt: skip
    return assignment_id


def _readings(plan: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for day in plan["days"]:
        for item in day["items"]:
            if item["kind"] == "reading":
                found.setdefault(item["document_id"], []).append(day["day"])
    return found


def test_plan_reads_each_course_document_before_its_assignment_is_due(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    course = make_course(container, user_id=student.user_id)
    doc_id, aids = studied_document(container, user_id=student.user_id, course_id=course)
    assignment = _assignment(container, student, course, due_in_days=6)
    assert as_student.put("/v1/study/settings", json={"daily_minutes": 10}).json() == {
        "daily_minutes": 10,
        "digest": False,
    }
    plan = as_student.get("/v1/plan").json()
    today = plan["days"][0]
    assert today["items"][0]["kind"] == "reviews"
    assert today["items"][0]["card_count"] == len(aids.cards)  # every new card is due today
    days = _readings(plan)[str(doc_id)]
    assert days and max(date.fromisoformat(d) for d in days) < date.fromisoformat(plan["days"][0]["day"]) + timedelta(
        days=6
    )
    assert all(day["minutes"] <= 10 for day in plan["days"])
    reading = next(i for d in plan["days"] for i in d["items"] if i["kind"] == "reading")
    assert reading["assignment_id"] == str(assignment) and reading["document_title"] == "Informed search"
    assert plan["at_risk"] == []


def test_moving_a_due_date_replans_and_reports_what_no_longer_fits(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    course = make_course(container, user_id=student.user_id)
    studied_document(container, user_id=student.user_id, course_id=course)
    assignment = _assignment(container, student, course, due_in_days=10)
    as_student.put("/v1/study/settings", json={"daily_minutes": 5})
    assert as_student.get("/v1/plan").json()["at_risk"] == []
    with container.db.connection() as conn:
        conn.execute("UPDATE assignments SET due_at = now() + interval '26 hours' WHERE id = %s", (assignment,))
    moved = as_student.get("/v1/plan").json()
    assert [r["assignment_id"] for r in moved["at_risk"]] == [str(assignment)]
    assert moved["at_risk"][0]["minutes_short"] > 0


def test_missed_reviews_are_planned_today(container: Container, as_student: TestClient, student: TestUser) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    with container.db.connection() as conn:
        conn.execute("UPDATE review_cards SET due = now() + interval '3 days' WHERE document_id = %s", (doc_id,))
    ahead = as_student.get("/v1/plan").json()
    assert not ahead["days"][0]["items"] and ahead["days"][3]["items"][0]["card_count"] == len(aids.cards)
    with container.db.connection() as conn:
        conn.execute("UPDATE review_cards SET due = now() - interval '3 days' WHERE document_id = %s", (doc_id,))
    missed = as_student.get("/v1/plan").json()
    assert missed["days"][0]["items"][0]["card_count"] == len(aids.cards)


def test_settings_are_validated_and_per_student(container: Container, as_student: TestClient) -> None:
    bad = as_student.put("/v1/study/settings", json={"daily_minutes": 2})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "INVALID_ARGUMENT"
    assert as_student.put("/v1/study/settings", json={"digest": True}).json() == {"daily_minutes": 30, "digest": True}
    other = TestClient(as_student.app, cookies=make_user(container).cookies, headers=FROM_APP)
    assert other.get("/v1/study/settings").json() == {"daily_minutes": 30, "digest": False}
