"""A whole sync: every active course, then per course its assignments, modules and files.

One failing course part or file is recorded in the result and the sync goes on; only a
failure to list the courses at all (or a database failure) ends the run.
"""

from __future__ import annotations

import time
import uuid

from shared.canvas.contracts import Failure, SyncProgress, SyncResult
from shared.canvas.models import Course
from shared.canvas.store_sync import set_progress
from shared.canvas.sync_course import save_course, sync_assignments, sync_modules
from shared.canvas.sync_deps import SyncDeps, guarded
from shared.canvas.sync_files import sync_files


def list_courses(deps: SyncDeps) -> list[Course]:
    params: dict[str, str | list[str]] = {
        "enrollment_state": "active",
        "include[]": ["term"],
        "per_page": str(deps.per_page),
    }
    return [Course.model_validate(c) for c in deps.client.paginate("courses", params)]


def run_sync(deps: SyncDeps, *, run_id: uuid.UUID, user_id: uuid.UUID) -> SyncResult:
    started = time.monotonic()
    result = SyncResult()
    courses = list_courses(deps)
    progress = SyncProgress(courses_total=len(courses))
    for course in courses:
        progress.current = course.name
        _save_progress(deps, run_id, progress)
        _sync_course(deps, user_id=user_id, course=course, result=result)
        progress.courses_done += 1
    progress.current = None
    _save_progress(deps, run_id, progress)
    stats = deps.client.stats
    result.counts.canvas_requests = stats.requests
    result.counts.throttled = stats.throttled
    result.counts.token_refreshes = stats.refreshed
    result.counts.duration_ms = int((time.monotonic() - started) * 1000)
    return result


def _sync_course(deps: SyncDeps, *, user_id: uuid.UUID, course: Course, result: SyncResult) -> None:
    course_id = save_course(deps, user_id=user_id, course=course, result=result)

    def failure(kind: str) -> Failure:
        values = {"kind": kind, "canvas_id": course.id, "name": course.name, "code": "", "reason": ""}
        return Failure.model_validate(values)

    guarded(
        result,
        failure("assignments"),
        lambda: sync_assignments(deps, user_id=user_id, course=course, course_id=course_id, result=result),
    )
    linked = guarded(
        result,
        failure("modules"),
        lambda: sync_modules(deps, user_id=user_id, course=course, course_id=course_id, result=result),
    )
    guarded(
        result,
        failure("files"),
        lambda: sync_files(
            deps, user_id=user_id, course=course, course_id=course_id, linked=linked or set(), result=result
        ),
    )


def _save_progress(deps: SyncDeps, run_id: uuid.UUID, progress: SyncProgress) -> None:
    with deps.pool.connection() as conn:
        set_progress(conn, run_id=run_id, progress=progress.model_dump())
