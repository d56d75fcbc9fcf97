"""The daily log_purge timer: partitions ahead of time, whole partitions dropped past retention."""

from __future__ import annotations

import logging
from datetime import datetime

from psycopg_pool import ConnectionPool

from shared.container import Container
from shared.logs import partitions, sink, store
from shared.platform.db import Conn

logger = logging.getLogger(__name__)


def purge_logs(*, db: ConnectionPool[Conn], now: datetime, retention_days: int, weeks_ahead: int) -> dict[str, object]:
    with db.connection() as conn:
        created = partitions.ensure_ahead(conn, now=now, weeks_ahead=weeks_ahead)
        old = partitions.expired(partitions.existing(conn), now=now, retention_days=retention_days)
        for partition in old:
            partitions.drop(conn, partition)
    store.forget_known_partitions()
    dropped = [p.name for p in old]
    logger.info("log purge: dropped %d partitions older than %d days", len(dropped), retention_days)
    return {"dropped": dropped, "ensured": created}


def log_purge_job(container: Container) -> dict[str, object]:
    ensure_sink(container)
    settings = container.settings
    return purge_logs(
        db=container.db,
        now=container.clock.now(),
        retention_days=settings.log_retention_days,
        weeks_ahead=settings.log_partitions_ahead_weeks,
    )


def ensure_sink(container: Container) -> None:
    """Copy the process's logs into the table when LOG_SINK_DB is on (idempotent)."""
    settings = container.settings
    if settings.log_sink_db:
        sink.install(pool=container.db, service=settings.service_name, level=settings.log_sink_level)
