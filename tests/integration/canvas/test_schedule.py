"""Scheduled Canvas syncs against the stub Canvas: due connections are synced on a spread
schedule, moved due dates and new assignments reach the reminders, revoked tokens stop the
schedule (`needs_reconnect`), and a Canvas file whose document the student deleted stays deleted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from devtools.canvas_stub import CanvasStub
from shared.container import Container
from shared.workers import run_drain, run_timer_job
from tests.support.canvas_stub import as_user, connect_user, connected_user, sync_now
from tests.support.users import TestUser

pytestmark = pytest.mark.integration


def _make_due(canvas: Container, *users: TestUser) -> None:
    with canvas.db.connection() as conn:
        conn.execute(
            "UPDATE canvas_connections SET next_sync_at = now() - interval '1 minute' WHERE user_id = ANY(%s)",
            ([u.user_id for u in users],),
        )


def _next_sync_in_hours(canvas: Container, user: TestUser) -> float:
    with canvas.db.connection() as conn:
        row = conn.execute(
            "SELECT extract(epoch FROM next_sync_at - now()) / 3600 FROM canvas_connections WHERE user_id = %s",
            (user.user_id,),
        ).fetchone()
    assert row is not None
    return float(row[0])


def _runs(canvas: Container, user: TestUser) -> list[str]:
    with canvas.db.connection() as conn:
        rows = conn.execute(
            "SELECT status FROM canvas_sync_runs WHERE user_id = %s ORDER BY created_at", (user.user_id,)
        ).fetchall()
    return [r[0] for r in rows]


def _tick(canvas: Container) -> None:
    """One scheduler tick, then the canvas.sync drain runs what it queued."""
    run_timer_job(canvas, "canvas_schedule")
    run_drain(canvas, "canvas.sync", budget_s=0.3)


def test_due_connections_are_synced_and_moved_to_their_next_time(api: TestClient, canvas: Container) -> None:
    due, later = connected_user(api, canvas), connected_user(api, canvas)
    _make_due(canvas, due)
    with canvas.db.connection() as conn:
        conn.execute(
            "UPDATE canvas_connections SET next_sync_at = now() + interval '3 hours' WHERE user_id = %s",
            (later.user_id,),
        )
    _tick(canvas)
    assert _runs(canvas, due) == ["done"] and _runs(canvas, later) == []
    # Never synced before, so no work due soon: the next sync is one period (6 h ± 10 %) away.
    assert 5.3 < _next_sync_in_hours(canvas, due) < 6.7
    _tick(canvas)
    assert _runs(canvas, due) == ["done"]  # not due again on the next tick


def test_students_with_work_due_soon_are_synced_hourly(api: TestClient, canvas: Container) -> None:
    student = connected_user(api, canvas)
    sync_now(api, canvas, student)  # the school has unsubmitted work due in 30 and 72 hours
    _make_due(canvas, student)
    _tick(canvas)
    assert 0.85 < _next_sync_in_hours(canvas, student) < 1.15


def test_never_scheduled_connections_are_spread_over_the_period(api: TestClient, canvas: Container) -> None:
    students = [connected_user(api, canvas) for _ in range(6)]
    with canvas.db.connection() as conn:
        conn.execute(
            "UPDATE canvas_connections SET next_sync_at = NULL, created_at = now() WHERE user_id = ANY(%s)",
            ([s.user_id for s in students],),
        )
    run_timer_job(canvas, "canvas_schedule")
    # Spread over the next 6 hours by their ids: none of the six is due in the instant they connected.
    assert [_runs(canvas, s) for s in students] == [[]] * 6
    with canvas.db.connection() as conn:
        conn.execute(
            "UPDATE canvas_connections SET created_at = now() - interval '7 hours' WHERE user_id = ANY(%s)",
            ([s.user_id for s in students],),
        )
    run_timer_job(canvas, "canvas_schedule")
    assert [_runs(canvas, s) for s in students] == [["queued"]] * 6


def test_moved_due_dates_and_new_assignments_reach_the_reminders_and_submitted_work_gets_none(
    api: TestClient, canvas: Container, stub: CanvasStub
) -> None:
    student = connected_user(api, canvas)
    sync_now(api, canvas, student)
    soon = datetime.now(UTC) + timedelta(hours=1, minutes=30)
    stub.move_due_date(3, soon)  # was due 170 hours from now
    new_id = 990000 + uuid.uuid4().int % 9000
    stub.add_assignment(1, new_id, "Lab report (new)", soon)
    stub.set_submission(2, "submitted")
    stub.move_due_date(2, soon)  # moved, but already handed in
    _make_due(canvas, student)
    _tick(canvas)
    with canvas.db.connection() as conn:
        due: dict[int, datetime] = dict(
            conn.execute(
                "SELECT canvas_id, due_at FROM assignments WHERE user_id = %s AND canvas_id IN (2, 3, %s)",
                (student.user_id, new_id),
            ).fetchall()
        )
    assert set(due) == {2, 3, new_id}
    assert abs((due[3] - soon).total_seconds()) < 1 and abs((due[new_id] - soon).total_seconds()) < 1
    run_timer_job(canvas, "reminders")
    with canvas.db.connection() as conn:
        reminded = {
            row[0]
            for row in conn.execute(
                "SELECT a.canvas_id FROM notification_deliveries d JOIN assignments a ON a.id = d.assignment_id"
                " WHERE d.user_id = %s AND d.kind = 'reminder'",
                (student.user_id,),
            ).fetchall()
        }
    assert {3, new_id} <= reminded
    assert 2 not in reminded


def test_a_revoked_token_marks_the_connection_and_stops_its_schedule_until_reconnected(
    api: TestClient, canvas: Container, stub: CanvasStub
) -> None:
    student = connected_user(api, canvas)
    stub.state.refresh.clear()  # the student removed the app in Canvas
    stub.expire_access_tokens()
    _make_due(canvas, student)
    _tick(canvas)
    assert _runs(canvas, student) == ["failed"]
    status = as_user(api, student).get("/v1/canvas/connection").json()
    assert status["status"] == "needs_reconnect" and "CANVAS_TOKEN_EXPIRED" in status["status_reason"]
    _make_due(canvas, student)
    _tick(canvas)
    assert _runs(canvas, student) == ["failed"]  # skipped: no new run
    connect_user(api, student)
    assert as_user(api, student).get("/v1/canvas/connection").json()["status"] == "active"
    _make_due(canvas, student)
    _tick(canvas)
    assert _runs(canvas, student) == ["failed", "done"]


def test_a_canvas_file_the_student_deleted_is_not_brought_back(api: TestClient, canvas: Container) -> None:
    student = connected_user(api, canvas)
    sync_now(api, canvas, student)
    with canvas.db.connection() as conn:
        row = conn.execute(
            "SELECT document_id FROM canvas_files WHERE user_id = %s AND canvas_id = 101", (student.user_id,)
        ).fetchone()
    assert row is not None and row[0] is not None
    assert as_user(api, student).delete(f"/v1/documents/{row[0]}").status_code == 204
    _make_due(canvas, student)
    _tick(canvas)  # the scheduled sync, not only one the student starts, leaves it deleted
    with canvas.db.connection() as conn:
        after = conn.execute(
            "SELECT status, document_id FROM canvas_files WHERE user_id = %s AND canvas_id = 101", (student.user_id,)
        ).fetchone()
    assert after == ("dismissed", None)
    assert _runs(canvas, student)[-1] == "done"
