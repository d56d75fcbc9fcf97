"""The specification's Canvas fields: courses' `start_date`/`end_date` (the course's own Canvas
dates, else its term's) and assignments' `title`/`status` beside `name`/`submitted`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from devtools.canvas_stub import CanvasStub
from shared.container import Container
from tests.support.canvas_stub import as_user, connected_user, sync_now

pytestmark = pytest.mark.integration


def _span(course: dict[str, Any]) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(course["start_date"]), datetime.fromisoformat(course["end_date"])


def test_courses_carry_dates_and_assignments_title_and_status(
    api: TestClient, canvas: Container, stub: CanvasStub
) -> None:
    own = stub.state.school.courses[0]
    own.update(start_at="2026-09-01T08:00:00Z", end_at="2026-11-30T17:00:00Z")
    student = connected_user(api, canvas)
    assert sync_now(api, canvas, student)["status"] == "done"
    client = as_user(api, student)
    courses = {c["canvas_id"]: c for c in client.get("/v1/canvas/courses", params={"limit": 50}).json()["items"]}
    dated = courses.pop(own["id"])
    assert _span(dated) == (datetime(2026, 9, 1, 8, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC))
    term = (datetime(2026, 8, 24, 6, tzinfo=UTC), datetime(2026, 12, 18, 6, tzinfo=UTC))
    assert {_span(c) for c in courses.values()} == {term}
    items = client.get("/v1/canvas/assignments", params={"limit": 50}).json()["items"]
    assert items and all(a["title"] == a["name"] for a in items)
    assert {(a["submitted"], a["status"]) for a in items} == {(True, "submitted"), (False, "unsubmitted")}
