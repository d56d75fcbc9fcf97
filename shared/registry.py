"""The one place where contexts plug their work into the Functions app and the local runner.

Each context exposes a factory taking the container; add one line per handler below. A
container builds its `Registry` once (`container.registry`), and the registry builds each
table on first use, so a drain or a timer run reuses the handlers and their clients.
A stream, blob or timer with nothing registered is reported clearly by `shared.workers`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TypeVar, cast

from shared.ai.stage import ai_stage_handler
from shared.auth.store.retention import auth_retention
from shared.canvas.retention import canvas_retention
from shared.canvas.stage import sync_handler as canvas_sync_handler
from shared.canvas.sync.schedule import queue_scheduled_syncs
from shared.container import Container
from shared.documents import stage as documents
from shared.logs.stage import log_purge_job
from shared.media.stage import media_handler, media_requeuer
from shared.media.store import claims_retention
from shared.notify.retention import notify_retention
from shared.notify.stage import notify_stage, reminders_job
from shared.platform.dedupe import dedupe_retention
from shared.platform.drain import StageHandler
from shared.platform.housekeeping import retention_job
from shared.platform.retention import TableRetention
from shared.platform.stream_names import STREAMS
from shared.platform.triggers import RawBlobHandler, TimerJob
from shared.settings import Settings
from shared.study.plan.digest import digest_job

TimerFactory = Callable[[Container], TimerJob]


def _reconciler(container: Container) -> TimerJob:
    return documents.reconciler_job(container, requeue_media=media_requeuer(container))


def _canvas_schedule(container: Container) -> TimerJob:
    return partial(
        queue_scheduled_syncs,
        db=container.db,
        publisher=container.publisher,
        clock=container.clock,
        settings=container.settings,
    )


def _retention(container: Container) -> TimerJob:
    settings = container.settings
    return partial(
        retention_job,
        db=container.db,
        redis=container.redis,
        clock=container.clock,
        settings=settings,
        prefix=settings.stream_prefix,
        rules=retention_rules(settings),
        streams=STREAMS,
    )


def retention_rules(settings: Settings) -> list[TableRetention]:
    """Every context's rules for its operational tables, for the `retention` job."""
    rules = [*auth_retention(settings), *canvas_retention(settings), *notify_retention(settings)]
    return [*rules, dedupe_retention(settings), claims_retention()]


#: Every timer's job, each a factory taking the container (the Functions bindings name these).
TIMERS: dict[str, TimerFactory] = {
    "reminders": lambda container: partial(reminders_job, container),
    "log_purge": lambda container: partial(log_purge_job, container),
    "reconciler": _reconciler,
    "retention": _retention,
    "canvas_schedule": _canvas_schedule,
    "study_digest": lambda container: partial(digest_job, container),
}
TIMER_JOBS: tuple[str, ...] = tuple(TIMERS)


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
    return {name: factory(container) for name, factory in TIMERS.items()}


T = TypeVar("T")


class Registry:
    """A container's handlers and jobs, each table built once, on first use.

    A test may hand in a table instead (`Registry(container, timer_jobs={})`).
    """

    def __init__(self, container: Container, **given: object) -> None:
        self._container = container
        self._lock = threading.Lock()
        self._built: dict[str, object] = dict(given)

    @property
    def stage_handlers(self) -> dict[str, StageHandler]:
        return self._once("stage_handlers", stage_handlers)

    @property
    def raw_blob_handler(self) -> RawBlobHandler | None:
        return self._once("raw_blob_handler", raw_blob_handler)

    @property
    def timer_jobs(self) -> dict[str, TimerJob]:
        return self._once("timer_jobs", timer_jobs)

    def _once(self, name: str, build: Callable[[Container], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = build(self._container)
            return cast(T, self._built[name])  # stored under `name` by `build` (or given as its table)
