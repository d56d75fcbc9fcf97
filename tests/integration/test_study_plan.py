"""`GET /v1/plan` and the study settings: a plan against real due dates that follows every change."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from tests.conftest import FROM_APP
from tests.support.clients import started
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
    other = started(TestClient(as_student.app, cookies=make_user(container).cookies, headers=FROM_APP))
    assert other.get("/v1/study/settings").json() == {"daily_minutes": 30, "digest": False}


class _Canvas:
    """Canvas rows as a sync leaves them: modules, their items, and files that became documents."""

    def __init__(self, container: Container, user: TestUser, course: uuid.UUID) -> None:
        self.container, self.user, self.course = container, user, course

    def _canvas_id(self) -> int:
        return uuid.uuid4().int % 10**12

    def module(self, name: str) -> uuid.UUID:
        module_id = uuid.uuid4()
        with self.container.db.connection() as conn:
            conn.execute(
                "INSERT INTO canvas_modules (id, user_id, course_id, canvas_id, name) VALUES (%s, %s, %s, %s, %s)",
                (module_id, self.user.user_id, self.course, self._canvas_id(), name),
            )
        return module_id

    def item(self, module: uuid.UUID, kind: str, content_id: int) -> None:
        with self.container.db.connection() as conn:
            conn.execute(
                "INSERT INTO canvas_module_items (id, user_id, module_id, canvas_id, type, content_id)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (uuid.uuid4(), self.user.user_id, module, self._canvas_id(), kind, content_id),
            )

    def assignment(self, module: uuid.UUID | None, due_in_days: int) -> uuid.UUID:
        assignment_id = _assignment(self.container, self.user, self.course, due_in_days)
        if module is not None:
            with self.container.db.connection() as conn:
                row = conn.execute("SELECT canvas_id FROM assignments WHERE id = %s", (assignment_id,)).fetchone()
            assert row is not None
            self.item(module, "Assignment", int(row[0]))
        return assignment_id

    def document(self, title: str, module: uuid.UUID | None, pages: int = 2) -> uuid.UUID:
        """A Canvas file ingested as a document of the course, linked from `module` when given."""
        doc_id, file_canvas_id = uuid.uuid4(), self._canvas_id()
        with self.container.db.connection() as conn:
            conn.execute(
                "INSERT INTO documents (id, user_id, title, filename, kind, raw_blob_path, course_id, page_count)"
                " VALUES (%s, %s, %s, 'f.pdf', 'pdf', %s, %s, %s)",
                (doc_id, self.user.user_id, title, f"{self.user.user_id}/{doc_id}/f.pdf", self.course, pages),
            )
            conn.execute(
                "INSERT INTO canvas_files (id, user_id, course_id, canvas_id, display_name, document_id, status)"
                " VALUES (%s, %s, %s, %s, %s, %s, 'ingested')",
                (uuid.uuid4(), self.user.user_id, self.course, file_canvas_id, title, doc_id),
            )
        if module is not None:
            self.item(module, "File", file_canvas_id)
        return doc_id


def _reading_items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for day in plan["days"] for item in day["items"] if item["kind"] == "reading"]


def test_an_assignment_reads_its_modules_documents_first_then_its_courses(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    canvas = _Canvas(container, student, make_course(container, user_id=student.user_id))
    week1, week2 = canvas.module("Week 1"), canvas.module("Week 2")
    first = canvas.assignment(week1, due_in_days=4)
    second = canvas.assignment(week2, due_in_days=9)
    week1_doc = canvas.document("Week 1 lecture", week1)
    week2_doc = canvas.document("Another week 2 reading", week2)  # sorts first by title: order is not by title
    loose_doc = canvas.document("A course handout", None)  # in the course, in no module
    as_student.put("/v1/study/settings", json={"daily_minutes": 60}, headers=FROM_APP)
    readings = _reading_items(as_student.get("/v1/plan").json())
    assert {i["document_id"]: i["assignment_id"] for i in readings} == {
        str(week1_doc): str(first),  # the module's own document
        str(loose_doc): str(first),  # the rest of the course: for the course's first assignment
        str(week2_doc): str(second),  # not crammed before the first assignment: it belongs to week 2's
    }
    order = [i["document_id"] for i in readings]
    assert order == [str(week1_doc), str(loose_doc), str(week2_doc)]  # for one assignment, its module first


def test_a_module_document_whose_assignment_is_past_falls_back_to_the_course(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    canvas = _Canvas(container, student, make_course(container, user_id=student.user_id))
    week1, week2 = canvas.module("Week 1"), canvas.module("Week 2")
    done = canvas.assignment(week1, due_in_days=3)
    upcoming = canvas.assignment(week2, due_in_days=6)
    with container.db.connection() as conn:
        conn.execute("UPDATE assignments SET submitted = true WHERE id = %s", (done,))
    week1_doc = canvas.document("Week 1 lecture", week1)
    readings = _reading_items(as_student.get("/v1/plan").json())
    assert {i["document_id"]: i["assignment_id"] for i in readings} == {str(week1_doc): str(upcoming)}


def test_module_links_of_another_student_do_not_reach_the_plan(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    canvas = _Canvas(container, student, make_course(container, user_id=student.user_id))
    week1 = canvas.module("Week 1")
    mine = canvas.assignment(week1, due_in_days=5)
    other = make_user(container)
    theirs = _Canvas(container, other, make_course(container, user_id=other.user_id))
    their_module = theirs.module("Week 1")
    theirs.assignment(their_module, due_in_days=2)
    their_doc = theirs.document("Their notes", their_module)
    with container.db.connection() as conn:  # their module lists my assignment's Canvas id too
        row = conn.execute("SELECT canvas_id FROM assignments WHERE id = %s", (mine,)).fetchone()
    assert row is not None
    theirs.item(their_module, "Assignment", int(row[0]))
    readings = _reading_items(as_student.get("/v1/plan").json())
    assert str(their_doc) not in {i["document_id"] for i in readings}
