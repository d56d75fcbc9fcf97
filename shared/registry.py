"""The one place where contexts plug their work into the Functions app and the local runner.

Each context exposes a factory taking the container; add one line per handler below.
A stream, blob or timer with nothing registered is reported clearly by `shared.workers`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.ai.worker import ai_stage_handler
from shared.canvas.schedule import queue_scheduled_syncs
from shared.canvas.worker import sync_handler as canvas_sync_handler
from shared.container import Container
from shared.documents import stage as documents
from shared.housekeeping import retention_job
from shared.logs.stage import log_purge_job
from shared.media.handler import media_handler
from shared.media.start import media_requeuer
from shared.notify.wiring import notify_stage, reminders_job
from shared.platform.drain import StageHandler
from shared.study.plan.digest import digest_job

STREAMS: tuple[str, ...] = ("ingest.request", "ai.request", "media.request", "notify.request", "canvas.sync")
#: Each stream's consumer group, as the specification names them (Canvas's follows the pattern).
GROUPS: dict[str, str] = {
    "ingest.request": "ingestion:group",
    "ai.request": "ai:group",
    "media.request": "media:group",
    "notify.request": "notify:group",
    "canvas.sync": "canvas:group",
}
#: The one group every stream used before; a drain that creates its stream's group takes over from it.
LEGACY_GROUP = "workers"
TIMER_JOBS: tuple[str, ...] = ("reminders", "log_purge", "reconciler", "retention", "canvas_schedule", "study_digest")


@dataclass(frozen=True)
class RawBlob:
    """A new blob in `raw/{user_id}/{doc_id}/{name}`."""

    user_id: str
    doc_id: str
    name: str
    path: str


RawBlobHandler = Callable[[RawBlob], None]
TimerJob = Callable[[], dict[str, object]]


def stage_handlers(container: Container) -> dict[str, StageHandler]:
    handlers: list[StageHandler] = []
    handlers.append(documents.ingest_handler(container))
    handlers.append(ai_stage_handler(container))
    handlers.append(notify_stage(container))
    handlers.append(media_handler(container))
    handlers.append(canvas_sync_handler(container))
    return {handler.stream: handler for handler in handlers}


def raw_blob_handler(container: Container) -> RawBlobHandler | None:
    return documents.raw_blob_handler(container)


def timer_jobs(container: Container) -> dict[str, TimerJob]:
    jobs: dict[str, TimerJob] = {}
    jobs["reconciler"] = documents.reconciler_job(container, requeue_media=media_requeuer(container))
    jobs["reminders"] = lambda: reminders_job(container)
    jobs["log_purge"] = lambda: log_purge_job(container)
    jobs["retention"] = lambda: retention_job(container, streams=STREAMS)
    jobs["canvas_schedule"] = lambda: queue_scheduled_syncs(
        db=container.db, publisher=container.publisher, clock=container.clock, settings=container.settings
    )
    jobs["study_digest"] = lambda: digest_job(container)
    return jobs
