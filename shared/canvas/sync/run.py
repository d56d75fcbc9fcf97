"""A whole sync: every active course, then per course its assignments, modules and files.

One failing course part or file is recorded in the result and the sync goes on; only a
failure to list the courses at all (or a database failure) ends the run. `execute_sync` is the
`canvas.sync` stream's use case: a run whose Canvas access is gone or refused ends `failed` with
the reason (retrying cannot help); a database or Redis failure raises, so the message is retried
and the run, still `running`, is claimed again.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from shared.canvas.adapters import CanvasPages, DocumentSink
from shared.canvas.adapters.canvas_api import CanvasApi
from shared.canvas.adapters.client import CanvasClient
from shared.canvas.adapters.crypto import TokenDecryptError, TokenKeyError
from shared.canvas.adapters.models import Course
from shared.canvas.adapters.tokens import StoredTokens
from shared.canvas.contracts import CanvasSyncRequest, Failure, SyncProgress, SyncResult
from shared.canvas.errors import CanvasAuthExpired, CanvasError
from shared.canvas.settings import CanvasSettings
from shared.canvas.store.runs import claim_run, finish_run, set_progress
from shared.canvas.store.schedule import mark_needs_reconnect
from shared.canvas.sync.course import save_course, sync_assignments, sync_modules
from shared.canvas.sync.files import sync_files
from shared.canvas.sync.ports import SyncPorts, guarded
from shared.platform.clock import Clock
from shared.platform.db import Conn
from shared.platform.errors import FailedPrecondition

logger = logging.getLogger(__name__)


def list_courses(client: CanvasPages, *, per_page: int) -> list[Course]:
    params: dict[str, str | list[str]] = {
        "enrollment_state": "active",
        "include[]": ["term"],
        "per_page": str(per_page),
    }
    return [Course.model_validate(c) for c in client.paginate("courses", params)]


def run_sync(ports: SyncPorts, *, run_id: uuid.UUID, user_id: uuid.UUID) -> SyncResult:
    started = time.monotonic()
    result = SyncResult()
    courses = list_courses(ports.client, per_page=ports.per_page)
    progress = SyncProgress(courses_total=len(courses))
    for course in courses:
        progress.current = course.name
        _save_progress(ports, run_id, progress)
        _sync_course(ports, user_id=user_id, course=course, result=result)
        progress.courses_done += 1
    progress.current = None
    _save_progress(ports, run_id, progress)
    stats = ports.client.stats
    result.counts.canvas_requests = stats.requests
    result.counts.throttled = stats.throttled
    result.counts.token_refreshes = stats.refreshed
    result.counts.duration_ms = int((time.monotonic() - started) * 1000)
    return result


def _sync_course(ports: SyncPorts, *, user_id: uuid.UUID, course: Course, result: SyncResult) -> None:
    course_id = save_course(ports, user_id=user_id, course=course, result=result)

    def failure(kind: str) -> Failure:
        values = {"kind": kind, "canvas_id": course.id, "name": course.name, "code": "", "reason": ""}
        return Failure.model_validate(values)

    guarded(
        result,
        failure("assignments"),
        lambda: sync_assignments(ports, user_id=user_id, course=course, course_id=course_id, result=result),
    )
    linked = guarded(
        result,
        failure("modules"),
        lambda: sync_modules(ports, user_id=user_id, course=course, course_id=course_id, result=result),
    )
    guarded(
        result,
        failure("files"),
        lambda: sync_files(
            ports, user_id=user_id, course=course, course_id=course_id, linked=linked or set(), result=result
        ),
    )


def _save_progress(ports: SyncPorts, run_id: uuid.UUID, progress: SyncProgress) -> None:
    with ports.pool.connection() as conn:
        set_progress(conn, run_id=run_id, progress=progress.model_dump())


def execute_sync(
    *,
    request: CanvasSyncRequest,
    db: ConnectionPool[Conn],
    clock: Clock,
    canvas: Callable[[], CanvasApi],
    documents: DocumentSink,
    settings: CanvasSettings,
) -> None:
    """Claim the run, sync, and record how it ended (the `canvas.sync` handler's use case).

    `canvas` hands over the Canvas adapters; it raises `FailedPrecondition` when Canvas is not
    configured, which ends the run `failed` with that reason like any refusal."""
    with db.connection() as conn:
        if not claim_run(conn, run_id=request.sync_id, now=clock.now()):
            logger.info("sync %s already finished; nothing to do", request.sync_id)
            return
    result: SyncResult | None = None
    error, reconnect = None, False
    try:
        api = canvas()
        tokens = StoredTokens(pool=db, canvas=api, user_id=request.user_id, clock=clock)
        ports = SyncPorts(
            pool=db,
            client=CanvasClient(http=api.http, guard=api.guard, tokens=tokens, policy=api.policy),
            documents=documents,
            clock=clock,
            per_page=settings.canvas_per_page,
            max_file_bytes=settings.canvas_max_file_bytes,
        )
        result = run_sync(ports, run_id=request.sync_id, user_id=request.user_id)
    except (CanvasError, TokenDecryptError, TokenKeyError, FailedPrecondition, ValidationError) as exc:
        error, reconnect = why_failed(exc)
    status = "failed" if error else "done"
    with db.connection() as conn:
        payload = result.model_dump(mode="json") if result else None
        finish_run(conn, run_id=request.sync_id, status=status, result=payload, error=error, now=clock.now())
        if reconnect and error:  # the tokens are revoked or unusable: skip scheduled syncs until reconnected
            mark_needs_reconnect(conn, user_id=request.user_id, reason=error)
    logger.info("sync %s %s", request.sync_id, status, extra={"error": error})


def why_failed(exc: Exception) -> tuple[str, bool]:
    """A failed run's recorded error, and whether the student must connect Canvas again."""
    if isinstance(exc, CanvasError):
        return f"{exc.code}: {exc.reason}", isinstance(exc, CanvasAuthExpired)
    if isinstance(exc, TokenDecryptError | TokenKeyError):
        return f"CANVAS_TOKENS_UNREADABLE: the stored Canvas tokens cannot be read ({exc}); connect Canvas again", True
    if isinstance(exc, FailedPrecondition):
        return f"{exc.code}: {exc.message}", False
    if isinstance(exc, ValidationError):
        return (
            f"CANVAS_BAD_DATA: Canvas sent a course list this service cannot read ({exc.error_count()} problems)",
            False,
        )
    raise TypeError(f"not a sync failure: {type(exc).__name__}") from exc
