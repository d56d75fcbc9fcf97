"""Entry points shared by the Functions bindings, the local runner and `studyaid worker`."""

from __future__ import annotations

import logging
import os
import socket
import uuid

from shared.container import Container
from shared.platform.consumer import StreamConsumer
from shared.platform.context import set_request_id
from shared.platform.drain import DrainLimits, DrainReport, drain
from shared.platform.stream_names import GROUPS, LEGACY_GROUP
from shared.platform.streams import dead_key, stream_key
from shared.platform.triggers import RawBlob

logger = logging.getLogger(__name__)


class NothingRegistered(LookupError):
    """No context has registered work for this stream, blob path or timer yet."""


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def make_consumer(container: Container, stream: str, *, consumer: str | None = None) -> StreamConsumer:
    settings = container.settings
    return StreamConsumer(
        container.redis,
        key=stream_key(settings.stream_prefix, stream),
        dead_key=dead_key(settings.stream_prefix, stream),
        group=GROUPS[stream],
        consumer=consumer or consumer_name(),
        visibility_timeout_ms=settings.stream_visibility_timeout_ms,
        replaces_group=LEGACY_GROUP,
        lanes=container.lanes,
    )


def run_drain(container: Container, stream: str, *, budget_s: float | None = None) -> DrainReport:
    handler = container.registry.stage_handlers.get(stream)
    if handler is None:
        logger.error("no handler is registered for stream %s; its messages wait in Redis", stream)
        return DrainReport(stream=stream, no_handler=True, errors=[f"no handler registered for {stream}"])
    settings = container.settings
    limits = DrainLimits(
        budget_s=budget_s if budget_s is not None else settings.drain_budget_seconds,
        max_deliveries=settings.stream_max_deliveries,
        concurrency=settings.drain_concurrency,
    )
    report = drain(make_consumer(container, stream), handler, limits)
    busy = report.acked or report.retried or report.dead or report.reclaimed
    logger.log(logging.INFO if busy else logging.DEBUG, "drained %s", stream, extra={"report": vars(report)})
    return report


def handle_raw_blob(container: Container, path: str) -> None:
    """`path` is `raw/{user_id}/{doc_id}/{name}` (container included, as the trigger gives it)."""
    handler = container.registry.raw_blob_handler
    if handler is None:
        raise NothingRegistered(f"no handler is registered for new raw blobs; {path} was not ingested")
    parts = path.split("/", 3)
    if len(parts) != 4 or parts[0] != "raw" or not all(parts[1:]):
        logger.error("ignoring blob %s: not raw/{user_id}/{doc_id}/{name}", path)
        return
    try:
        handler(RawBlob(user_id=parts[1], doc_id=parts[2], name=parts[3], path=path))
    finally:
        set_request_id(None)  # the handler takes the upload's request id; it ends with this blob


def run_timer_job(container: Container, name: str) -> dict[str, object]:
    job = container.registry.timer_jobs.get(name)
    if job is None:
        logger.error("no job is registered for timer %s", name)
        return {"job": name, "status": "no_handler"}
    result = job()
    logger.info("timer %s ran", name, extra={"result": result})
    return {"job": name, "status": "ok", **result}
