"""The one place where contexts plug their work into the Functions app and the local runner.

Each context exposes a factory taking the container; add one line per handler below.
A stream, blob or timer with nothing registered is reported clearly by `shared.workers`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.ai.stage import ai_stage_handler
from shared.auth.retention import auth_retention
from shared.canvas.retention import canvas_retention
from shared.canvas.stage import sync_handler as canvas_sync_handler
from shared.canvas.sync.schedule import queue_scheduled_syncs
from shared.container import Container
from shared.documents import wiring as documents
from shared.logs.jobs import log_purge_job
from shared.media.stage import media_handler, media_requeuer
from shared.media.store import claims_retention
from shared.notify.retention import notify_retention
from shared.notify.stage import notify_stage, reminders_job
from shared.platform.dedupe import dedupe_retention
from shared.platform.drain import StageHandler
from shared.platform.housekeeping import retention_job
from shared.platform.retention import TableRetention
from shared.settings import Settings
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
    jobs["retention"] = lambda: retention_job(
        db=container.db,
        redis=container.redis,
        clock=container.clock,
        settings=container.settings,
        prefix=container.settings.stream_prefix,
        rules=retention_rules(container.settings),
        streams=STREAMS,
    )
    jobs["canvas_schedule"] = lambda: queue_scheduled_syncs(
        db=container.db, publisher=container.publisher, clock=container.clock, settings=container.settings
    )
    jobs["study_digest"] = lambda: digest_job(container)
    return jobs


def retention_rules(settings: Settings) -> list[TableRetention]:
    """Every context's rules for its operational tables, for the `retention` job."""
    rules = [*auth_retention(settings), *canvas_retention(settings), *notify_retention(settings)]
    return [*rules, dedupe_retention(settings), claims_retention()]
