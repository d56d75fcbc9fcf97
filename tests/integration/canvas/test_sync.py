"""Connect to the stub Canvas, sync the fixture school into Postgres, read it back over the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from devtools.canvas_stub import CanvasStub
from devtools.devhost import functions_host
from devtools.devhost.stack import Stack
from shared.container import Container
from shared.workers import run_drain
from tests.support.canvas_stub import api_over, as_user, canvas_container, connect_user, connected_user, sync_now
from tests.support.function_app import fresh_function_app
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration

SCHOOL_COURSES = 7
SCHOOL_ASSIGNMENTS = 17  # 1 recorded + 4 per canvasapi course
SUPPORTED_FILES = 7  # pdf, docx and pptx among the school's files (3 of course 1's are txt/png/jpg)


@pytest.fixture
def student(canvas: Container, api: TestClient) -> TestUser:
    return connected_user(api, canvas)


def _counts(run: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = run["result"]["counts"]
    return counts


def test_full_sync_brings_the_school_into_postgres_and_the_api(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    run = sync_now(api, canvas, student)
    assert run["status"] == "done", run
    counts = _counts(run)
    assert (counts["courses"], counts["assignments"]) == (SCHOOL_COURSES, SCHOOL_ASSIGNMENTS)
    assert counts["files_ingested"] == SUPPORTED_FILES and counts["files_skipped"] == 3
    assert counts["modules"] == 7 and run["result"]["failures"] == []
    assert run["progress"] == {"courses_total": SCHOOL_COURSES, "courses_done": SCHOOL_COURSES, "current": None}
    assert counts["canvas_requests"] == len(stub.api_requests()) + len(stub.file_requests()) - 2  # minus OAuth
    courses = as_user(api, student).get("/v1/canvas/courses").json()["items"]
    assert {c["name"] for c in courses} >= {"Course 101", "Test Course 1234", "University Birthday"}
    assert all(c["term"] == "Fall Term" for c in courses)
    with canvas.db.connection() as conn:
        docs = conn.execute(
            "SELECT d.kind, d.source, s.status FROM documents d JOIN document_stages s ON s.document_id = d.id"
            " WHERE d.user_id = %(u)s AND s.stage = 'ingest'",
            {"u": student.user_id},
        ).fetchall()
        items = conn.execute("SELECT count(*) FROM canvas_module_items WHERE user_id = %(u)s", {"u": student.user_id})
        assert items.fetchone() == (15,)
    assert sorted(kind for kind, _, _ in docs) == ["docx", "docx", "pdf", "pdf", "pdf", "pptx", "pptx"]
    assert {source for _, source, _ in docs} == {"canvas"}


def test_pages_are_followed_by_their_opaque_link_and_hidden_files_come_through_modules(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    sync_now(api, canvas, student)
    paths = [(r.path, r.status) for r in stub.api_requests()]
    assert paths.count(("/api/v1/courses", 200)) == 3  # 7 courses, 3 per page
    assert ("/api/v1/courses/1/modules/3/items", 200) in paths  # items left out inline
    assert ("/api/v1/courses/2/files", 401) in paths  # Files tab hidden from students
    assert ("/api/v1/courses/2/files/201", 200) in paths and ("/api/v1/courses/2/files/202", 200) in paths
    assert all(not r.authorized for r in stub.file_requests())  # the token never reaches the file host


def test_submission_state_decides_submitted(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    stub.set_submission(1, "unsubmitted")
    stub.set_submission(2, "submitted")
    sync_now(api, canvas, student)
    with canvas.db.connection() as conn:
        rows: dict[int, bool] = dict(
            conn.execute(
                "SELECT canvas_id, submitted FROM assignments WHERE user_id = %(u)s AND canvas_id IN (1, 2, 110000100)",
                {"u": student.user_id},
            ).fetchall()
        )
    assert rows == {1: False, 2: True, 110000100: True}  # the recorded submission is graded
    stub.set_submission(1, "submitted")
    run = sync_now(api, canvas, student)
    assert _counts(run)["assignments_changed"] == 1


def test_resync_writes_nothing_new_and_only_a_changed_file_is_ingested_again(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    sync_now(api, canvas, student)
    before = _snapshot(canvas, student)
    again = sync_now(api, canvas, student)
    counts = _counts(again)
    assert (counts["courses_changed"], counts["assignments_changed"], counts["files_ingested"]) == (0, 0, 0)
    assert counts["files_unchanged"] == SUPPORTED_FILES
    assert _snapshot(canvas, student) == before and counts["removed"] == 0
    downloads_before = len(stub.file_requests())
    stub.touch_file(101)
    third = sync_now(api, canvas, student)
    assert (_counts(third)["files_ingested"], _counts(third)["files_unchanged"]) == (1, SUPPORTED_FILES - 1)
    assert len(stub.file_requests()) == downloads_before + 1
    after = _snapshot(canvas, student)
    assert after["documents"] == before["documents"]  # same document, re-ingested in place
    changed = {k for k in before["files"] if before["files"][k] != after["files"][k]}
    assert changed == {101}


def _snapshot(canvas: Container, user: TestUser) -> dict[str, Any]:
    with canvas.db.connection() as conn:
        params = {"u": user.user_id}
        return {
            "courses": conn.execute("SELECT id, updated_at FROM courses WHERE user_id = %(u)s", params).fetchall(),
            "assignments": conn.execute(
                "SELECT id, updated_at FROM assignments WHERE user_id = %(u)s ORDER BY id", params
            ).fetchall(),
            "items": conn.execute(
                "SELECT id, updated_at FROM canvas_module_items WHERE user_id = %(u)s ORDER BY id", params
            ).fetchall(),
            "files": {
                r[0]: r[1:]
                for r in conn.execute(
                    "SELECT canvas_id, updated_at, canvas_updated_at FROM canvas_files WHERE user_id = %(u)s", params
                ).fetchall()
            },
            "documents": conn.execute("SELECT id FROM documents WHERE user_id = %(u)s ORDER BY id", params).fetchall(),
        }


def test_a_failing_course_and_a_broken_file_do_not_fail_the_rest(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    stub.fail_course(3, status=500)
    stub.break_file(301)
    run = sync_now(api, canvas, student)
    assert run["status"] == "done"
    failures = {(f["kind"], f["canvas_id"]): f for f in run["result"]["failures"]}
    assert set(failures) == {("assignments", 3), ("modules", 3), ("files", 3), ("file", 301)}
    assert failures[("assignments", 3)]["code"] == "CANVAS_UNAVAILABLE"
    assert failures[("file", 301)]["code"] == "CANVAS_NOT_FOUND"
    assert _counts(run)["files_ingested"] == SUPPORTED_FILES - 2  # 301 broken, 401 in the failing course
    stub.state.failing_courses.clear()
    stub.state.broken_files.clear()
    healed = sync_now(api, canvas, student)
    assert healed["result"]["failures"] == [] and _counts(healed)["files_ingested"] == 2


def test_an_expired_token_is_refreshed_during_the_sync(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    stub.expire_access_tokens()
    stub.throttle(2, kind="429")
    stub.throttle(1, kind="403")
    run = sync_now(api, canvas, student)
    assert run["status"] == "done" and run["result"]["failures"] == []
    assert _counts(run)["token_refreshes"] == 1 and _counts(run)["throttled"] == 3


def test_user_b_never_sees_user_a(api: TestClient, canvas: Container, student: TestUser) -> None:
    run = sync_now(api, canvas, student)
    course_id = as_user(api, student).get("/v1/canvas/courses").json()["items"][0]["id"]
    other = as_user(api, make_user(canvas))
    assert other.get("/v1/canvas/courses").json() == {"items": [], "next_cursor": None}
    assert other.get("/v1/canvas/assignments").json()["items"] == []
    assert other.get(f"/v1/canvas/sync/{run['sync_id']}").status_code == 404
    assert other.get("/v1/canvas/assignments", params={"course_id": course_id}).status_code == 404
    assert other.post("/v1/canvas/sync").json()["error"]["code"] == "FAILED_PRECONDITION"
    assert as_user(api, None).get("/v1/canvas/courses").status_code == 401


def test_starting_syncs_is_rate_limited_per_user(stack: Stack, database_url: str, stub: CanvasStub) -> None:
    with canvas_container(stack, database_url, stub, CANVAS_SYNCS_PER_HOUR=2) as limited, api_over(limited) as api:
        user = connected_user(api, limited)
        assert sync_now(api, limited, user)["status"] == "done"
        first = as_user(api, user).post("/v1/canvas/sync")
        again = as_user(api, user).post("/v1/canvas/sync")
        assert first.status_code == again.status_code == 202
        assert first.json()["sync_id"] == again.json()["sync_id"]  # the queued run, not a second one
        run_drain(limited, "canvas.sync", budget_s=0.3)
        refused = as_user(api, user).post("/v1/canvas/sync")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_an_assignment_deleted_in_canvas_is_removed_here(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    sync_now(api, canvas, student)
    stub.remove_assignment(1, 4)
    run = sync_now(api, canvas, student)
    assert _counts(run)["removed"] == 1 and _counts(run)["assignments"] == SCHOOL_ASSIGNMENTS - 1, run
    with canvas.db.connection() as conn:
        left = conn.execute(
            "SELECT count(*) FROM assignments WHERE user_id = %(u)s AND canvas_id = 4", {"u": student.user_id}
        ).fetchone()
    assert left == (0,)


def test_the_drain_canvas_timer_runs_the_sync_as_azure_would(stack: Stack, database_url: str, stub: CanvasStub) -> None:
    with canvas_container(stack, database_url, stub, DRAIN_BUDGET_SECONDS=0.3) as fast, api_over(fast) as api:
        user = connected_user(api, fast)
        functions = functions_host.index(fresh_function_app().app)
        sync_id = as_user(api, user).post("/v1/canvas/sync").json()["sync_id"]
        functions_host.call_timer(functions["drain_canvas"])
        run = api.get(f"/v1/canvas/sync/{sync_id}").json()
    assert run["status"] == "done" and _counts(run)["courses"] == SCHOOL_COURSES


def test_a_sync_whose_canvas_grant_is_gone_fails_with_a_reason(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    stub.state.refresh.clear()  # the student removed the app in Canvas
    stub.expire_access_tokens()
    run = sync_now(api, canvas, student)
    assert run["status"] == "failed" and run["result"] is None
    assert run["error"].startswith("CANVAS_TOKEN_EXPIRED") and "connect Canvas again" in run["error"]
    stub.throttle(20, kind="429")
    connect_user(api, student)
    throttled = sync_now(api, canvas, student)
    assert throttled["status"] == "failed" and throttled["error"].startswith("CANVAS_RATE_LIMITED")


def test_a_deleted_canvas_document_stays_deleted_until_the_file_changes(
    api: TestClient, canvas: Container, stub: CanvasStub, student: TestUser
) -> None:
    """Probe (F9): before, the next sync downloaded the file again and the document came back."""
    sync_now(api, canvas, student)
    with canvas.db.connection() as conn:
        row = conn.execute(
            "SELECT document_id FROM canvas_files WHERE user_id = %(u)s AND canvas_id = 101", {"u": student.user_id}
        ).fetchone()
    assert row is not None
    assert as_user(api, student).delete(f"/v1/documents/{row[0]}").status_code == 204
    titles = {d["title"] for d in api.get("/v1/documents", params={"limit": 100}).json()["items"]}
    again = sync_now(api, canvas, student)
    assert _counts(again)["files_ingested"] == 0
    assert {d["title"] for d in api.get("/v1/documents", params={"limit": 100}).json()["items"]} == titles
    stub.touch_file(101)  # a new version in Canvas is fetched again
    assert _counts(sync_now(api, canvas, student))["files_ingested"] == 1
