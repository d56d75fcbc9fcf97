"""Starting a sync (from the API) and running it (the `canvas.sync` stream handler).

The API inserts a `queued` run and publishes `canvas.sync`; the drain for that stream runs
the sync outside any request. A run whose Canvas access is gone or refused ends `failed` with
the reason (retrying cannot help); a database or Redis failure raises, so the message is
retried and the run, still `running`, is claimed again.
"""

from __future__ import annotations

import logging
import uuid

from pydantic import ValidationError

from shared.canvas.client import CanvasClient
from shared.canvas.contracts import CanvasSyncRequest, SyncResult, SyncStarted
from shared.canvas.crypto import TokenDecryptError, TokenKeyError
from shared.canvas.documents_port import DocumentSink, ServiceDocuments
from shared.canvas.errors import CanvasAuthExpired, CanvasError
from shared.canvas.kit import build_kit
from shared.canvas.store_connections import get_connection
from shared.canvas.store_schedule import mark_needs_reconnect
from shared.canvas.store_sync import active_run, claim_run, create_run, fail_unfinished_run, finish_run
from shared.canvas.sync import run_sync
from shared.canvas.sync_deps import SyncDeps
from shared.canvas.tokens import StoredTokens
from shared.container import Container
from shared.platform.drain import StageHandler
from shared.platform.errors import FailedPrecondition
from shared.platform.messages import Message
from shared.platform.publisher import Publisher

logger = logging.getLogger(__name__)


def start_sync(*, container: Container, publisher: Publisher, user_id: uuid.UUID) -> SyncStarted:
    """Queue a sync, or hand back the one already queued or running for this user."""
    now = container.clock.now()
    with container.db.connection() as conn:
        if get_connection(conn, user_id=user_id) is None:
            raise FailedPrecondition("connect Canvas first: POST /v1/canvas/connect")
        running = active_run(conn, user_id=user_id, now=now)
        if running is not None:
            return SyncStarted(sync_id=running.id, status="running" if running.status == "running" else "queued")
        limit = container.settings.canvas_syncs_per_hour
        container.throttle.hit(f"canvas-sync:{user_id}", limit=limit, window_s=3600, what="Canvas syncs this hour")
        run_id = uuid.uuid4()
        create_run(conn, run_id=run_id, user_id=user_id, now=now)
    publisher.publish(CanvasSyncRequest(sync_id=run_id, user_id=user_id))
    return SyncStarted(sync_id=run_id, status="queued")


def execute_sync(container: Container, request: CanvasSyncRequest, *, documents: DocumentSink) -> None:
    with container.db.connection() as conn:
        if not claim_run(conn, run_id=request.sync_id, now=container.clock.now()):
            logger.info("sync %s already finished; nothing to do", request.sync_id)
            return
    status, result, error, reconnect = "failed", None, None, False
    try:
        result = _run(container, request, documents=documents)
        status = "done"
    except CanvasError as exc:
        error = f"{exc.code}: {exc.reason}"
        reconnect = isinstance(exc, CanvasAuthExpired)
    except (TokenDecryptError, TokenKeyError) as exc:
        error = f"CANVAS_TOKENS_UNREADABLE: the stored Canvas tokens cannot be read ({exc}); connect Canvas again"
        reconnect = True
    except FailedPrecondition as exc:
        error = f"{exc.code}: {exc.message}"
    except ValidationError as exc:
        error = f"CANVAS_BAD_DATA: Canvas sent a course list this service cannot read ({exc.error_count()} problems)"
    with container.db.connection() as conn:
        payload = result.model_dump(mode="json") if result else None
        finish_run(conn, run_id=request.sync_id, status=status, result=payload, error=error, now=container.clock.now())
        if reconnect and error:  # the tokens are revoked or unusable: skip scheduled syncs until reconnected
            mark_needs_reconnect(conn, user_id=request.user_id, reason=error)
    logger.info("sync %s %s", request.sync_id, status, extra={"error": error})


def _run(container: Container, request: CanvasSyncRequest, *, documents: DocumentSink) -> SyncResult:
    settings = container.settings
    with build_kit(settings) as kit:
        tokens = StoredTokens(pool=container.db, kit=kit, user_id=request.user_id, clock=container.clock)
        deps = SyncDeps(
            pool=container.db,
            client=CanvasClient(http=kit.http, guard=kit.guard, tokens=tokens, policy=kit.policy),
            documents=documents,
            clock=container.clock,
            per_page=settings.canvas_per_page,
            max_file_bytes=settings.canvas_max_file_bytes,
        )
        return run_sync(deps, run_id=request.sync_id, user_id=request.user_id)


def sync_handler(container: Container) -> StageHandler:
    def handle(message: Message) -> None:
        if not isinstance(message, CanvasSyncRequest):
            raise TypeError(f"expected CanvasSyncRequest, got {type(message).__name__}")
        documents = ServiceDocuments(blobs=container.blobs, publisher=container.publisher)
        execute_sync(container, message, documents=documents)

    def dead(message: Message, code: str, error: str) -> None:
        if isinstance(message, CanvasSyncRequest):
            with container.db.connection() as conn:
                fail_unfinished_run(conn, run_id=message.sync_id, error=f"{code}: {error}", now=container.clock.now())

    return StageHandler(stream=CanvasSyncRequest.stream, message_type=CanvasSyncRequest, handle=handle, on_dead=dead)
