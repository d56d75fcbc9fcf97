"""`/v1/canvas/*`: connect, disconnect, sync and read what was synced (all scoped to the caller)."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import RedirectResponse

from shared.auth.deps import CurrentUser, OptionalUser
from shared.canvas import cursors
from shared.canvas.contracts import (
    AssignmentPage,
    ConnectionStatus,
    ConnectStarted,
    CourseMedia,
    CourseMediaUpdate,
    CoursePage,
    Disconnected,
    SyncProgress,
    SyncResult,
    SyncRun,
    SyncStarted,
)
from shared.canvas.service import (
    connection_status,
    disconnect,
    finish_connect,
    set_course_media,
    start_connect,
    start_sync,
)
from shared.canvas.store.reads import course_exists, list_assignments, list_courses
from shared.canvas.store.runs import get_run
from shared.deps import ContainerDep
from shared.platform.app_url import redirect_to_app
from shared.platform.errors import AppError, InvalidArgument, NotFound
from shared.platform.iso_time import IsoDatetime

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/canvas", tags=["canvas"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post("/connect")
def connect(principal: CurrentUser, container: ContainerDep) -> ConnectStarted:
    """Start the OAuth flow: send the student to `authorize_url`; Canvas comes back to the callback."""
    canvas = container.canvas
    with container.db.connection() as conn:
        return start_connect(conn=conn, canvas=canvas, user_id=principal.user_id, now=container.clock.now())


@router.get("/callback", status_code=303, response_class=RedirectResponse)
def callback(
    principal: OptionalUser,
    container: ContainerDep,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
) -> RedirectResponse:
    """Canvas's redirect target: connects the signed-in user who started, then back to the app.

    The app sees `?canvas=connected`, or `?canvas=error&code=<error code>` when nothing was connected.
    """
    app_url = container.settings.app_url
    try:
        canvas = container.canvas
        with container.db.connection() as conn:
            finish_connect(
                conn=conn, canvas=canvas, code=code, state=state, error=error, now=container.clock.now(),
                signed_in=principal.user_id if principal else None,
            )  # fmt: skip
    except AppError as exc:
        logger.info("canvas connect refused: %s", exc.message)
        return redirect_to_app(app_url, canvas="error", code=exc.code)
    return redirect_to_app(app_url, canvas="connected")


@router.get("/connection")
def get_connection_status(principal: CurrentUser, container: ContainerDep) -> ConnectionStatus:
    with container.db.connection() as conn:
        return connection_status(conn=conn, user_id=principal.user_id)


@router.delete("/connection")
def delete_connection(principal: CurrentUser, container: ContainerDep) -> Disconnected:
    """Revoke the token at Canvas and delete the stored tokens; synced courses stay."""
    return disconnect(db=container.db, canvas=container.canvas, user_id=principal.user_id)


@router.post("/sync", status_code=202)
def sync(principal: CurrentUser, container: ContainerDep, response: Response) -> SyncStarted:
    """Queue a sync (or return the one already queued or running); poll `Location` for progress."""
    started = start_sync(
        db=container.db,
        publisher=container.publisher,
        throttle=container.throttle,
        clock=container.clock,
        settings=container.settings,
        user_id=principal.user_id,
    )
    response.headers["Location"] = f"/v1/canvas/sync/{started.sync_id}"
    return started


@router.get("/sync/{sync_id}")
def sync_status(sync_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> SyncRun:
    with container.db.connection() as conn:
        run = get_run(conn, run_id=sync_id, user_id=principal.user_id)
    if run is None:
        raise NotFound("no such sync")
    return SyncRun(
        sync_id=run.id,
        status=run.status,  # type: ignore[arg-type]  # the table's CHECK keeps it to SyncStatus
        progress=SyncProgress.model_validate(run.progress),
        result=SyncResult.model_validate(run.result) if run.result else None,
        error=run.error,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )


@router.get("/courses")
def courses(
    principal: CurrentUser, container: ContainerDep, cursor: str | None = None, limit: Limit = 50
) -> CoursePage:
    with container.db.connection() as conn:
        rows = list_courses(conn, user_id=principal.user_id, after=cursors.decode(cursor), limit=limit + 1)
    more = len(rows) > limit
    items = rows[:limit]
    return CoursePage(items=items, next_cursor=cursors.encode(items[-1].name, items[-1].id) if more else None)


@router.put("/courses/{course_id}/media")
def course_media(
    course_id: uuid.UUID, body: CourseMediaUpdate, principal: CurrentUser, container: ContainerDep
) -> CourseMedia:
    """Opt a course's synced files in to (or out of) videos; uploads always get theirs."""
    with container.db.connection() as conn:
        found = set_course_media(conn, user_id=principal.user_id, course_id=course_id, media=body.media)
    if found is None:
        raise NotFound("no such course")
    return found


@router.get("/assignments")
def assignments(
    principal: CurrentUser,
    container: ContainerDep,
    course_id: uuid.UUID | None = None,
    due_from: IsoDatetime | None = None,
    due_to: IsoDatetime | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> AssignmentPage:
    """Assignments by due date (undated last); filter by course and a `[due_from, due_to)` window."""
    if due_from and due_to and due_to <= due_from:
        raise InvalidArgument("due_to must be after due_from", details={"field": "due_to"})
    with container.db.connection() as conn:
        if course_id is not None and not course_exists(conn, user_id=principal.user_id, course_id=course_id):
            raise NotFound("no such course")
        rows = list_assignments(
            conn, user_id=principal.user_id, course_id=course_id, due_from=due_from, due_to=due_to,
            after=cursors.decode_due(cursor), limit=limit + 1,
        )  # fmt: skip
    more = len(rows) > limit
    items = rows[:limit]
    last = items[-1] if items else None
    next_cursor = None
    if more and last is not None:
        next_cursor = cursors.encode(last.due_at.isoformat() if last.due_at else "infinity", last.id)
    return AssignmentPage(items=items, next_cursor=next_cursor)
